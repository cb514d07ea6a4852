// ns-3 TCP validation and benchmark, the counterpart of icelab's `bench tcp`.
//
// Topology (one flow; every hop delay is rtt/6, 10 ms for the default 60 ms RTT):
//
//   sender --100 Mbps-- r1 --10 Mbps, drop-tail 50 packets-- r2 --100 Mbps-- receiver
//
// With --flows=2 each flow has its own sender and receiver; both share r1--r2. The
// second flow's two edge hops get the delay that makes its propagation RTT
// --secondRttMs: (secondRttMs/2 - rttMs/6)/2 each.
//
// Workload: a BulkSendApplication per flow sends without limit from t = 0 over TCP
// (TcpCubic, TcpNewReno or TcpLinuxReno with TcpClassicRecovery; SACK, timestamps,
// window scaling; MSS 1460, i.e. 1448 payload bytes; initial cwnd 10; 4 MiB buffers;
// delayed ACKs every 2 segments or 200 ms; initial and min RTO 1 s) to a PacketSink.
// --loss=P drops data packets at random (RateErrorModel, per packet) on the bottleneck,
// at r2's receiving device. The traffic-control queue disc is removed, as in flow60s,
// so every device is a plain DropTailQueue: 100 packets except r1's bottleneck device
// (--queue, 50 packets).
//
// Output: one line of JSON on stdout (see README.md for the fields); a diagnostic line
// on stderr. wall_s is measured with std::chrono::steady_clock around Simulator::Run()
// only; cpu_s is the process CPU time over the same span.
//
// Build: see run.sh (g++ -O2 -std=c++17 ... -lns3-core -lns3-network -lns3-internet
// -lns3-point-to-point -lns3-applications -lns3-traffic-control).

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

// Per-flow counters, filled by the sender socket's traces.
struct FlowStats
{
    uint64_t dataSegments = 0;    // TCP segments with payload sent by the sender
    uint64_t retransmissions = 0; // ... whose first byte was sent before
    SequenceNumber32 highEnd{0};  // one past the highest payload byte sent so far
    bool anyData = false;
    SequenceNumber32 highAck{0};  // highest ACK number received by the sender
    bool anyAck = false;
    uint64_t rttSamples = 0;      // ACKs of new data with a timestamp echo
    double rttSumSeconds = 0;     // sum of their RTTs (now - TSecr, ns-3's 1 ms TS clock)
    uint64_t fastRecoveries = 0;  // congestion-state changes into CA_RECOVERY
    uint64_t timeouts = 0;        // congestion-state changes into CA_LOSS (RTO)
};

std::vector<FlowStats> g_flows;
uint64_t g_segments = 0;      // TCP segments sent by the end hosts (Ipv4 SendOutgoing)
uint64_t g_errorDrops = 0;    // packets dropped by the error model (PhyRxDrop)
uint64_t g_queueDrops = 0;    // device-queue drops plus traffic-control drops

void
OnSegmentOut(const Ipv4Header&, Ptr<const Packet>, uint32_t)
{
    ++g_segments;
}

void
OnSocketTx(FlowStats* f, Ptr<const Packet> payload, const TcpHeader& header, Ptr<const TcpSocketBase>)
{
    uint32_t len = payload->GetSize();
    if (len == 0)
    {
        return;
    }
    ++f->dataSegments;
    SequenceNumber32 seq = header.GetSequenceNumber();
    if (f->anyData && seq < f->highEnd)
    {
        ++f->retransmissions;
    }
    SequenceNumber32 end = seq + SequenceNumber32(len);
    if (!f->anyData || end > f->highEnd)
    {
        f->highEnd = end;
        f->anyData = true;
    }
}

// Every segment the sender receives. An ACK that acknowledges new data gives an RTT
// sample from its timestamp echo, as RFC 7323 RTTM (and ns-3's own estimator) takes it.
// (ns-3's "RTT" trace is a TracedValue: it fires only when the sample changes, so it
// cannot be averaged.)
void
OnSocketRx(FlowStats* f, Ptr<const Packet>, const TcpHeader& header, Ptr<const TcpSocketBase>)
{
    if (!(header.GetFlags() & TcpHeader::ACK))
    {
        return;
    }
    SequenceNumber32 ack = header.GetAckNumber();
    if (f->anyAck && ack <= f->highAck)
    {
        return;
    }
    bool first = !f->anyAck;
    f->highAck = ack;
    f->anyAck = true;
    if (first || !header.HasOption(TcpOption::TS))
    {
        return; // the SYN-ACK
    }
    Ptr<const TcpOptionTS> ts = DynamicCast<const TcpOptionTS>(header.GetOption(TcpOption::TS));
    ++f->rttSamples;
    f->rttSumSeconds += TcpOptionTS::ElapsedTimeFromTsValue(ts->GetEcho()).GetSeconds();
}

void
OnCongState(FlowStats* f, TcpSocketState::TcpCongState_t, TcpSocketState::TcpCongState_t now)
{
    if (now == TcpSocketState::CA_RECOVERY)
    {
        ++f->fastRecoveries;
    }
    else if (now == TcpSocketState::CA_LOSS)
    {
        ++f->timeouts;
    }
}

void
OnPhyRxDrop(Ptr<const Packet>)
{
    ++g_errorDrops;
}

void
OnQueueDrop(Ptr<const Packet>)
{
    ++g_queueDrops;
}

// BulkSendApplication creates its socket in StartApplication (at t = 0); hook the
// socket's traces right after that. The SYN was already sent, but it carries no data.
void
HookSender(Ptr<BulkSendApplication> app, FlowStats* f)
{
    Ptr<Socket> s = app->GetSocket();
    bool ok = s->TraceConnectWithoutContext("Tx", MakeBoundCallback(&OnSocketTx, f)) &&
              s->TraceConnectWithoutContext("Rx", MakeBoundCallback(&OnSocketRx, f)) &&
              s->TraceConnectWithoutContext("CongState", MakeBoundCallback(&OnCongState, f));
    NS_ABORT_MSG_UNLESS(ok, "tcp60s: cannot connect the sender socket traces");
}

std::string
Ms(double ms)
{
    return std::to_string(static_cast<int64_t>(std::llround(ms * 1000.0))) + "us";
}

} // namespace

int
main(int argc, char* argv[])
{
    double simSeconds = 60.0;
    std::string cc = "cubic";
    double loss = 0.0;
    uint32_t queuePackets = 50;
    double bottleneckMbps = 10.0;
    double rttMs = 60.0;
    uint32_t flows = 1;
    double secondRttMs = 0.0;
    uint32_t seed = 1;
    uint32_t mss = 1460;
    std::string recovery = "classic";
    bool hystart = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("simSeconds", "Simulated time in seconds", simSeconds);
    cmd.AddValue("cc", "Congestion control: cubic (TcpCubic), newreno (TcpNewReno) "
                       "or linuxreno (TcpLinuxReno)", cc);
    cmd.AddValue("loss", "Random packet loss rate on the bottleneck (data direction)", loss);
    cmd.AddValue("queue", "Drop-tail queue of r1's bottleneck device, in packets", queuePackets);
    cmd.AddValue("bottleneckMbps", "Bottleneck (r1--r2) rate in Mbps", bottleneckMbps);
    cmd.AddValue("rttMs", "Propagation RTT in ms; every hop delay is rttMs/6", rttMs);
    cmd.AddValue("flows", "Number of flows, 1 or 2", flows);
    cmd.AddValue("secondRttMs", "Propagation RTT of the second flow in ms "
                                "(its edge hops change; default: rttMs)", secondRttMs);
    cmd.AddValue("seed", "RNG run number (affects which packets the error model drops)", seed);
    cmd.AddValue("mss", "MSS in bytes (IP packet = mss + 40; payload per segment = mss - 12 "
                        "for the timestamp option)", mss);
    cmd.AddValue("recovery", "Loss recovery: classic (TcpClassicRecovery, RFC 6675 "
                             "without PRR) or prr (TcpPrrRecovery, ns-3's default)", recovery);
    cmd.AddValue("hystart", "TcpCubic HyStart (ns-3's default: on; icelab: not implemented)",
                 hystart);
    cmd.Parse(argc, argv);
    RngSeedManager::SetRun(seed);

    NS_ABORT_MSG_UNLESS(flows == 1 || flows == 2, "tcp60s: --flows must be 1 or 2");
    if (secondRttMs <= 0)
    {
        secondRttMs = rttMs;
    }
    const double hopMs = rttMs / 6.0;
    NS_ABORT_MSG_UNLESS(secondRttMs / 2.0 >= hopMs,
                        "tcp60s: --secondRttMs must be at least rttMs/3");

    // ---- TCP parameters (attribute names as in ns-3.37) ----
    TypeId ccType;
    if (cc == "cubic")
    {
        ccType = TcpCubic::GetTypeId();
    }
    else if (cc == "newreno")
    {
        ccType = TcpNewReno::GetTypeId();
    }
    else if (cc == "linuxreno")
    {
        ccType = TcpLinuxReno::GetTypeId();
    }
    else
    {
        NS_ABORT_MSG("tcp60s: --cc must be cubic, newreno or linuxreno");
    }
    TypeId recoveryType;
    if (recovery == "classic")
    {
        recoveryType = TcpClassicRecovery::GetTypeId();
    }
    else if (recovery == "prr")
    {
        recoveryType = TcpPrrRecovery::GetTypeId();
    }
    else
    {
        NS_ABORT_MSG("tcp60s: --recovery must be classic or prr");
    }
    // ns-3's SegmentSize is the payload per segment; options come on top. With the
    // 12-byte timestamp option, an MSS of 1460 carries 1448 payload bytes in a
    // 1500-byte IP packet (as Linux and icelab do).
    const uint32_t payloadPerSegment = mss - 12;
    Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(ccType));
    Config::SetDefault("ns3::TcpL4Protocol::RecoveryType", TypeIdValue(recoveryType));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(payloadPerSegment));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(4 << 20));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(4 << 20));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout", TimeValue(MilliSeconds(200)));
    // The SYN's retransmission timer is ConnTimeout (default 3 s), not the RTO.
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(Seconds(1)));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::WindowScaling", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(Seconds(1)));
    Config::SetDefault("ns3::TcpSocketBase::ClockGranularity", TimeValue(MilliSeconds(1)));
    Config::SetDefault("ns3::RttEstimator::InitialEstimation", TimeValue(Seconds(1)));
    Config::SetDefault("ns3::TcpCubic::HyStart", BooleanValue(hystart));

    // ---- Topology ----
    Ptr<Node> r1 = CreateObject<Node>();
    Ptr<Node> r2 = CreateObject<Node>();
    NodeContainer senders;
    NodeContainer receivers;
    senders.Create(flows);
    receivers.Create(flows);
    NodeContainer all(r1, r2);
    all.Add(senders);
    all.Add(receivers);

    PointToPointHelper middle;
    middle.SetDeviceAttribute("DataRate", DataRateValue(DataRate(bottleneckMbps * 1e6)));
    middle.SetChannelAttribute("Delay", StringValue(Ms(hopMs)));
    middle.SetQueue("ns3::DropTailQueue<Packet>");
    NetDeviceContainer dMid = middle.Install(r1, r2);
    // r1's device (r1 -> r2) gets the bottleneck queue; r2 -> r1 keeps 100 packets.
    DynamicCast<PointToPointNetDevice>(dMid.Get(0))
        ->GetQueue()
        ->SetMaxSize(QueueSize(QueueSizeUnit::PACKETS, queuePackets));

    if (loss > 0)
    {
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        em->SetRate(loss);
        dMid.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }

    std::vector<NetDeviceContainer> dLeft(flows);
    std::vector<NetDeviceContainer> dRight(flows);
    for (uint32_t i = 0; i < flows; ++i)
    {
        double edgeMs = i == 0 ? hopMs : (secondRttMs / 2.0 - hopMs) / 2.0;
        PointToPointHelper edge;
        edge.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        edge.SetChannelAttribute("Delay", StringValue(Ms(edgeMs)));
        edge.SetQueue("ns3::DropTailQueue<Packet>");
        dLeft[i] = edge.Install(senders.Get(i), r1);
        dRight[i] = edge.Install(r2, receivers.Get(i));
    }

    InternetStackHelper stack;
    stack.Install(all);

    Ipv4AddressHelper addr;
    addr.SetBase("10.0.0.0", "255.255.255.0");
    addr.Assign(dMid);
    std::vector<Ipv4Address> receiverAddr(flows);
    for (uint32_t i = 0; i < flows; ++i)
    {
        std::string left = "10." + std::to_string(i + 1) + ".1.0";
        std::string right = "10." + std::to_string(i + 1) + ".3.0";
        addr.SetBase(left.c_str(), "255.255.255.0");
        addr.Assign(dLeft[i]);
        addr.SetBase(right.c_str(), "255.255.255.0");
        receiverAddr[i] = addr.Assign(dRight[i]).GetAddress(1);
    }

    // Remove ns-3's default FqCoDel queue disc above every device (as flow60s does):
    // plain drop-tail device queues only.
    std::vector<NetDeviceContainer*> allDevs{&dMid};
    for (uint32_t i = 0; i < flows; ++i)
    {
        allDevs.push_back(&dLeft[i]);
        allDevs.push_back(&dRight[i]);
    }
    TrafficControlHelper tch;
    for (NetDeviceContainer* c : allDevs)
    {
        tch.Uninstall(*c);
    }

    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    // ---- Applications ----
    const uint16_t port = 5000;
    g_flows.assign(flows, FlowStats{});
    std::vector<Ptr<PacketSink>> sinks;
    for (uint32_t i = 0; i < flows; ++i)
    {
        BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(receiverAddr[i], port));
        bulk.SetAttribute("MaxBytes", UintegerValue(0)); // no limit
        bulk.SetAttribute("SendSize", UintegerValue(payloadPerSegment));
        ApplicationContainer src = bulk.Install(senders.Get(i));
        src.Start(Seconds(0.0));
        src.Stop(Seconds(simSeconds));

        PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), port));
        ApplicationContainer sink = sinkHelper.Install(receivers.Get(i));
        sink.Start(Seconds(0.0));
        sink.Stop(Seconds(simSeconds));
        sinks.push_back(DynamicCast<PacketSink>(sink.Get(0)));

        // Node::Initialize (scheduled at node creation) schedules StartApplication at
        // t = 0 once the simulation runs; an event scheduled now at t = 0 runs before
        // that, so it defers the hookup by one more ScheduleNow.
        Ptr<BulkSendApplication> app = DynamicCast<BulkSendApplication>(src.Get(0));
        FlowStats* f = &g_flows[i];
        Simulator::Schedule(Seconds(0.0), [app, f]() {
            Simulator::ScheduleNow(&HookSender, app, f);
        });
    }

    // ---- Counters ----
    for (NodeContainer* c : {&senders, &receivers})
    {
        for (uint32_t i = 0; i < c->GetN(); ++i)
        {
            c->Get(i)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
                "SendOutgoing",
                MakeCallback(&OnSegmentOut));
        }
    }
    for (NetDeviceContainer* c : allDevs)
    {
        for (uint32_t i = 0; i < c->GetN(); ++i)
        {
            Ptr<PointToPointNetDevice> p2p = DynamicCast<PointToPointNetDevice>(c->Get(i));
            p2p->GetQueue()->TraceConnectWithoutContext("Drop", MakeCallback(&OnQueueDrop));
        }
    }
    dMid.Get(1)->TraceConnectWithoutContext("PhyRxDrop", MakeCallback(&OnPhyRxDrop));
    // Without a queue disc, a packet for a device whose queue is full (stopped) is
    // dropped by the traffic-control layer, not by the device queue.
    for (uint32_t i = 0; i < all.GetN(); ++i)
    {
        bool ok = all.Get(i)->GetObject<TrafficControlLayer>()->TraceConnectWithoutContext(
            "TcDrop",
            MakeCallback(&OnQueueDrop));
        NS_ABORT_MSG_UNLESS(ok, "tcp60s: no TrafficControlLayer TcDrop trace");
    }

    Simulator::Stop(Seconds(simSeconds));

    // CPU time as well as wall time: on a shared machine the wall time grows with the
    // load, the process's CPU time much less.
    timespec c0{};
    timespec c1{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    auto t0 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto t1 = std::chrono::steady_clock::now();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double wall = std::chrono::duration<double>(t1 - t0).count();
    double cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) * 1e-9;
    uint64_t events = Simulator::GetEventCount();

    std::vector<double> goodput(flows);
    double goodputSum = 0;
    double goodputSq = 0;
    for (uint32_t i = 0; i < flows; ++i)
    {
        goodput[i] = sinks[i]->GetTotalRx() * 8.0 / simSeconds / 1e6;
        goodputSum += goodput[i];
        goodputSq += goodput[i] * goodput[i];
    }
    uint64_t dataSegments = 0;
    uint64_t retransmissions = 0;
    uint64_t fastRecoveries = 0;
    uint64_t timeouts = 0;
    std::vector<double> rttMean(flows);
    for (uint32_t i = 0; i < flows; ++i)
    {
        const FlowStats& f = g_flows[i];
        dataSegments += f.dataSegments;
        retransmissions += f.retransmissions;
        fastRecoveries += f.fastRecoveries;
        timeouts += f.timeouts;
        rttMean[i] = f.rttSamples > 0 ? f.rttSumSeconds / f.rttSamples * 1e3 : 0.0;
    }

    Simulator::Destroy();

    std::fprintf(stderr,
                 "ns-3 tcp60s: %s, recovery %s, hystart %s, sim %.0f s, events %llu (%.0f/s), "
                 "error-model drops %llu, queue drops %llu, fast recoveries %llu, "
                 "timeouts %llu\n",
                 cc.c_str(),
                 recovery.c_str(),
                 hystart ? "on" : "off",
                 simSeconds,
                 static_cast<unsigned long long>(events),
                 wall > 0 ? events / wall : 0.0,
                 static_cast<unsigned long long>(g_errorDrops),
                 static_cast<unsigned long long>(g_queueDrops),
                 static_cast<unsigned long long>(fastRecoveries),
                 static_cast<unsigned long long>(timeouts));

    auto list = [flows](const std::vector<double>& v, const char* fmt) {
        std::string s = flows > 1 ? "[" : "";
        char buf[64];
        for (uint32_t i = 0; i < flows; ++i)
        {
            std::snprintf(buf, sizeof buf, fmt, v[i]);
            s += (i > 0 ? "," : "") + std::string(buf);
        }
        return flows > 1 ? s + "]" : s;
    };
    std::string out = "{\"cc\":\"" + cc + "\"";
    char buf[256];
    out += ",\"goodput_mbps\":" + list(goodput, "%.4f");
    std::snprintf(buf, sizeof buf, ",\"goodput_share\":%.4f", goodputSum / bottleneckMbps);
    out += buf;
    if (flows > 1)
    {
        std::snprintf(buf, sizeof buf, ",\"jain_index\":%.4f",
                      goodputSq > 0 ? goodputSum * goodputSum / (flows * goodputSq) : 0.0);
        out += buf;
    }
    std::snprintf(buf, sizeof buf,
                  ",\"data_segments\":%llu,\"retransmissions\":%llu,\"segments\":%llu",
                  static_cast<unsigned long long>(dataSegments),
                  static_cast<unsigned long long>(retransmissions),
                  static_cast<unsigned long long>(g_segments));
    out += buf;
    std::snprintf(buf, sizeof buf,
                  ",\"fast_recoveries\":%llu,\"timeouts\":%llu,\"loss_drops\":%llu,"
                  "\"queue_drops\":%llu",
                  static_cast<unsigned long long>(fastRecoveries),
                  static_cast<unsigned long long>(timeouts),
                  static_cast<unsigned long long>(g_errorDrops),
                  static_cast<unsigned long long>(g_queueDrops));
    out += buf;
    out += ",\"rtt_mean_ms\":" + list(rttMean, "%.2f");
    std::snprintf(buf, sizeof buf,
                  ",\"wall_s\":%.6f,\"cpu_s\":%.6f,\"segments_per_s\":%.0f,"
                  "\"sim_speedup\":%.1f}",
                  wall,
                  cpu,
                  wall > 0 ? g_segments / wall : 0.0,
                  wall > 0 ? simSeconds / wall : 0.0);
    out += buf;
    std::printf("%s\n", out.c_str());
    return 0;
}
