// ns-3 comparison benchmark for icelab's `bench sim` workload.
//
// Topology (3 point-to-point hops, 10 ms delay each):
//
//   sender --100 Mbps-- r1 --20 Mbps, drop-tail, 1% loss-- r2 --100 Mbps-- receiver
//
// Workload: one constant-bit-rate UDP flow, 10 Mbps of 1200-byte payloads
// (1200 * 8 / 10e6 = 0.96 ms between packets, ~1042 packets/s, 62,500
// packets in 60 simulated seconds). Static global routing, no routing protocol
// traffic. Point-to-point links have no ARP, so every transmission on a link is
// a data packet.
//
// Output: one line of JSON on stdout:
//   {"packets_sent":N,"packets_received":M,"packet_hops":H,"wall_s":W,
//    "packet_hops_per_s":X,"sim_speedup":S}
// wall_s is measured with std::chrono::steady_clock around Simulator::Run()
// only (topology construction is excluded). packet_hops counts PhyTxEnd events
// on all point-to-point devices, i.e. packets put on the wire on some hop; a
// packet lost on the middle hop still counts for that hop (it was transmitted)
// but not for the last one.
//
// Build: see run.sh (g++ -O2 -std=c++17 ... -lns3-core -lns3-network ... -lns3-traffic-control).

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <chrono>
#include <cstdint>
#include <cstdio>

using namespace ns3;

namespace
{

uint64_t g_sent = 0;        // packets handed to the UDP socket by the sender app
uint64_t g_received = 0;    // packets delivered to the sink
uint64_t g_hops = 0;        // PhyTxEnd events on all devices
uint64_t g_lost = 0;        // packets dropped by the error model (PhyRxDrop)
uint64_t g_queueDrops = 0;  // packets dropped by any device/traffic-control queue

void
OnAppTx(Ptr<const Packet>)
{
    ++g_sent;
}

void
OnSinkRx(Ptr<const Packet>, const Address&)
{
    ++g_received;
}

void
OnPhyTxEnd(Ptr<const Packet>)
{
    ++g_hops;
}

void
OnPhyRxDrop(Ptr<const Packet>)
{
    ++g_lost;
}

void
OnQueueDrop(Ptr<const Packet>)
{
    ++g_queueDrops;
}

void
OnQueueDiscDrop(Ptr<const QueueDiscItem>)
{
    ++g_queueDrops;
}

} // namespace

int
main(int argc, char* argv[])
{
    double simSeconds = 60.0;
    uint32_t seed = 1;
    bool keepQueueDisc = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("simSeconds", "Simulated time in seconds", simSeconds);
    cmd.AddValue("seed", "RNG run number (affects which packets are lost)", seed);
    cmd.AddValue("keepQueueDisc",
                 "Keep ns-3's default FqCoDel queue disc above each device "
                 "(default: remove it, leaving only the drop-tail device queues)",
                 keepQueueDisc);
    cmd.Parse(argc, argv);
    RngSeedManager::SetRun(seed);

    NodeContainer nodes;
    nodes.Create(4); // 0 = sender, 1 = r1, 2 = r2, 3 = receiver
    Ptr<Node> sender = nodes.Get(0);
    Ptr<Node> r1 = nodes.Get(1);
    Ptr<Node> r2 = nodes.Get(2);
    Ptr<Node> receiver = nodes.Get(3);

    // Every link uses the ns-3 default DropTailQueue (100 packets) on its devices.
    PointToPointHelper edge;
    edge.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    edge.SetChannelAttribute("Delay", StringValue("10ms"));
    edge.SetQueue("ns3::DropTailQueue<Packet>");

    PointToPointHelper middle;
    middle.SetDeviceAttribute("DataRate", StringValue("20Mbps"));
    middle.SetChannelAttribute("Delay", StringValue("10ms"));
    middle.SetQueue("ns3::DropTailQueue<Packet>");

    NetDeviceContainer d0 = edge.Install(sender, r1);
    NetDeviceContainer d1 = middle.Install(r1, r2);
    NetDeviceContainer d2 = edge.Install(r2, receiver);

    // 1% random packet loss on the middle hop, applied at r2's receiving device.
    Ptr<RateErrorModel> loss = CreateObject<RateErrorModel>();
    loss->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
    loss->SetRate(0.01);
    d1.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(loss));

    InternetStackHelper stack;
    stack.Install(nodes);

    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0");
    addr.Assign(d0);
    addr.SetBase("10.0.2.0", "255.255.255.0");
    addr.Assign(d1);
    addr.SetBase("10.0.3.0", "255.255.255.0");
    Ipv4InterfaceContainer i2 = addr.Assign(d2);

    // InternetStackHelper/Ipv4AddressHelper put ns-3's default traffic-control root
    // queue disc (FqCoDel in 3.37) above every device. The workload asks for plain
    // drop-tail queues, so remove it unless asked not to; packets then go straight
    // into each device's DropTailQueue (100 packets). With 10 Mbps offered to a
    // 20 Mbps bottleneck nothing queues either way, so this only changes CPU cost.
    if (!keepQueueDisc)
    {
        TrafficControlHelper tch;
        tch.Uninstall(d0);
        tch.Uninstall(d1);
        tch.Uninstall(d2);
    }

    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    const uint16_t port = 9000;
    const uint32_t payload = 1200;

    // CBR source: always "on" for longer than the simulation, 10 Mbps of 1200-byte payloads.
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(i2.GetAddress(1), port));
    onoff.SetAttribute("DataRate", DataRateValue(DataRate("10Mbps")));
    onoff.SetAttribute("PacketSize", UintegerValue(payload));
    onoff.SetAttribute("OnTime", StringValue("ns3::ConstantRandomVariable[Constant=1e6]"));
    onoff.SetAttribute("OffTime", StringValue("ns3::ConstantRandomVariable[Constant=0]"));
    ApplicationContainer src = onoff.Install(sender);
    src.Start(Seconds(0.0));
    src.Stop(Seconds(simSeconds));

    PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sink = sinkHelper.Install(receiver);
    sink.Start(Seconds(0.0));
    sink.Stop(Seconds(simSeconds));

    src.Get(0)->TraceConnectWithoutContext("Tx", MakeCallback(&OnAppTx));
    sink.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&OnSinkRx));
    for (NetDeviceContainer* c : {&d0, &d1, &d2})
    {
        for (uint32_t i = 0; i < c->GetN(); ++i)
        {
            Ptr<NetDevice> dev = c->Get(i);
            dev->TraceConnectWithoutContext("PhyTxEnd", MakeCallback(&OnPhyTxEnd));
            dev->TraceConnectWithoutContext("PhyRxDrop", MakeCallback(&OnPhyRxDrop));
            Ptr<PointToPointNetDevice> p2p = DynamicCast<PointToPointNetDevice>(dev);
            p2p->GetQueue()->TraceConnectWithoutContext("Drop", MakeCallback(&OnQueueDrop));
        }
    }
    // With --keepQueueDisc, count queue-disc drops too (expected: none, 10 Mbps < 20 Mbps).
    if (keepQueueDisc)
    {
        Config::ConnectWithoutContext(
            "/NodeList/*/$ns3::TrafficControlLayer/RootQueueDiscList/*/Drop",
            MakeCallback(&OnQueueDiscDrop));
    }

    Simulator::Stop(Seconds(simSeconds));

    auto t0 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto t1 = std::chrono::steady_clock::now();
    double wall = std::chrono::duration<double>(t1 - t0).count();
    uint64_t events = Simulator::GetEventCount();

    Simulator::Destroy();

    std::fprintf(stderr,
                 "ns-3 flow60s: sim %.0f s, queue disc %s, events %llu (%.0f/s), "
                 "lost on middle hop %llu, queue drops %llu, in flight/undelivered %lld\n",
                 simSeconds,
                 keepQueueDisc ? "FqCoDel" : "none",
                 static_cast<unsigned long long>(events),
                 wall > 0 ? events / wall : 0.0,
                 static_cast<unsigned long long>(g_lost),
                 static_cast<unsigned long long>(g_queueDrops),
                 static_cast<long long>(g_sent) - static_cast<long long>(g_received) -
                     static_cast<long long>(g_lost) - static_cast<long long>(g_queueDrops));
    std::printf("{\"packets_sent\":%llu,\"packets_received\":%llu,\"packet_hops\":%llu,"
                "\"wall_s\":%.6f,\"packet_hops_per_s\":%.0f,\"sim_speedup\":%.1f}\n",
                static_cast<unsigned long long>(g_sent),
                static_cast<unsigned long long>(g_received),
                static_cast<unsigned long long>(g_hops),
                wall,
                wall > 0 ? g_hops / wall : 0.0,
                wall > 0 ? simSeconds / wall : 0.0);
    return 0;
}
