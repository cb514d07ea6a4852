import NetTypes
import Simulator

/// `icelab bench sim`: the simulator core's figures (targets in docs/performance.md).
public enum SimBenchmark {
    /// Workload sizes; tests run them small.
    public struct Sizes: Sendable {
        public var loopEvents: Int = 20_000_000
        public var pendingEvents: Int = 10_000
        public var hopPackets: Int = 300_000
        public var flowSeconds: Int64 = 60

        public init() {}

        public static let tiny: Sizes = {
            var s = Sizes()
            s.loopEvents = 50_000
            s.pendingEvents = 1_000
            s.hopPackets = 2_000
            s.flowSeconds = 2
            return s
        }()
    }

    public static func run(_ sizes: Sizes = Sizes(), repetitions: Int = 3) -> BenchmarkReport {
        var report = BenchmarkReport()
        let engine = eventLoop(events: sizes.loopEvents, pending: sizes.pendingEvents, repetitions: repetitions)
        let bare = bareHeapLoop(events: sizes.loopEvents, pending: sizes.pendingEvents, repetitions: repetitions)
        report.add("events_per_s", engine, label: "event loop, events/s (\(sizes.pendingEvents) pending)")
        report.add("heap_events_per_s", bare, label: "bare binary heap, events/s")
        report.add("engine_overhead_ratio", bare / engine, label: "engine overhead (bare / engine)")
        let hops = packetHops(packets: sizes.hopPackets, repetitions: repetitions)
        report.add("packet_hops_per_s", hops, label: "packet-hops/s, 3 hops with loss and queue")
        let fqHops = packetHops(packets: sizes.hopPackets, aqm: .fqCodel(FQCoDelParameters()), repetitions: repetitions)
        report.add("packet_hops_per_s_fq_codel", fqHops, label: "packet-hops/s, the same with FQ-CoDel at the bottleneck")
        let flow = constantBitrateFlow(seconds: sizes.flowSeconds, repetitions: repetitions)
        report.add("sim_speedup", Double(sizes.flowSeconds) / flow.wallSeconds, label: "sim speed-up, 10 Mbps flow (sim s / wall s)")
        report.add("flow_wall_s", flow.wallSeconds, label: "10 Mbps flow, wall seconds")
        report.add("flow_packets_received", Double(flow.received), label: "10 Mbps flow, packets received")
        return report
    }

    // MARK: Event loop

    /// A component that reschedules itself at a random short delay on every event,
    /// keeping the queue at a constant size.
    final class Churn: EventHandler {
        let simulation: Simulation
        var id: Int32 = -1
        var random = Xoshiro256(seed: 1)
        init(simulation: Simulation) {
            self.simulation = simulation
            super.init()
            id = simulation.register(self)
        }
        override func handleEvent(kind: UInt32, arg: Int64) {
            let delay = Int64(random.next() & 0xF_FFFF)
            simulation.schedule(at: simulation.now + .nanoseconds(delay), target: id, arg: arg)
        }
    }

    /// Events per second of `Simulation` with `pending` events queued throughout.
    static func eventLoop(events: Int, pending: Int, repetitions: Int) -> Double {
        let seconds = WallClock.bestSeconds(repetitions: repetitions) {
            let simulation = Simulation(seed: 1)
            let churn = Churn(simulation: simulation)
            for i in 0..<pending {
                simulation.schedule(at: Instant(nanoseconds: Int64(i)), target: churn.id, arg: Int64(i))
            }
            simulation.runUntilIdle(maxEvents: UInt64(events))
        }
        return Double(events) / seconds
    }

    struct BareEntry { var time: Int64; var seq: UInt64 }

    /// The same workload on a plain binary heap of (time, seq) structs: no handlers,
    /// no clock, no cancellation. The baseline the engine is measured against.
    static func bareHeapLoop(events: Int, pending: Int, repetitions: Int) -> Double {
        var checksum: Int64 = 0
        let seconds = WallClock.bestSeconds(repetitions: repetitions) {
            var heap: [BareEntry] = []
            heap.reserveCapacity(pending + 1)
            var random = Xoshiro256(seed: 1)
            var seq: UInt64 = 0
            func less(_ a: BareEntry, _ b: BareEntry) -> Bool { a.time < b.time || (a.time == b.time && a.seq < b.seq) }
            func push(_ e: BareEntry) {
                heap.append(e)
                var c = heap.count - 1
                while c > 0 {
                    let p = (c - 1) / 2
                    if !less(e, heap[p]) { break }
                    heap[c] = heap[p]; c = p
                }
                heap[c] = e
            }
            func pop() -> BareEntry {
                let top = heap[0]
                let last = heap.removeLast()
                if heap.isEmpty { return top }
                var h = 0
                let n = heap.count
                while true {
                    let l = 2 * h + 1
                    if l >= n { break }
                    var c = l
                    if l + 1 < n && less(heap[l + 1], heap[l]) { c = l + 1 }
                    if !less(heap[c], last) { break }
                    heap[h] = heap[c]; h = c
                }
                heap[h] = last
                return top
            }
            for i in 0..<pending { push(BareEntry(time: Int64(i), seq: seq)); seq += 1 }
            for _ in 0..<events {
                let e = pop()
                checksum &+= e.time
                push(BareEntry(time: e.time + Int64(random.next() & 0xF_FFFF), seq: seq))
                seq += 1
            }
        }
        precondition(checksum != 0)
        return Double(events) / seconds
    }

    // MARK: Network

    /// sender — r1 — r2 — receiver, 10 ms a hop, 100 Mbps edges; the middle link is the
    /// bottleneck (20 Mbps with 1% loss unless told otherwise).
    struct Path {
        let simulation: Simulation
        let sender: Host
        let receiver: Host
        let links: [Link]
    }

    static func threeHopPath(seed: UInt64, queue: QueueLimit, bottleneck rate: Bitrate = .mbps(20), loss: Double = 0.01,
                             aqm: QueueDiscipline = .dropTail) -> Path {
        let simulation = Simulation(seed: seed)
        let sender = Host(simulation: simulation, name: "sender")
        let r1 = Router(simulation: simulation, name: "r1")
        let r2 = Router(simulation: simulation, name: "r2")
        let receiver = Host(simulation: simulation, name: "receiver")
        func address(_ text: String) -> [InterfaceAddress] { [try! InterfaceAddress(parsing: text)] }
        let access = LinkConfig(latency: .milliseconds(10), bandwidth: .mbps(100))
        let bottleneck = LinkConfig(latency: .milliseconds(10), loss: loss > 0 ? .bernoulli(loss) : .none, bandwidth: rate, queue: queue,
                                    aqm: aqm)
        let l1 = simulation.connect(sender, r1, config: access, addressesA: address("10.0.1.2/24"), addressesB: address("10.0.1.1/24"))
        let l2 = simulation.connect(r1, r2, config: bottleneck, addressesA: address("10.0.2.1/24"), addressesB: address("10.0.2.2/24"))
        let l3 = simulation.connect(r2, receiver, config: access, addressesA: address("10.0.3.1/24"), addressesB: address("10.0.3.2/24"))
        sender.routes.addDefault(interface: 0)
        receiver.routes.addDefault(interface: 0)
        r1.routes.add(try! IPPrefix(parsing: "10.0.3.0/24"), interface: 1)
        r2.routes.add(try! IPPrefix(parsing: "10.0.1.0/24"), interface: 0)
        return Path(simulation: simulation, sender: sender, receiver: receiver, links: [l1, l2, l3])
    }

    /// Packet-hops per second with the bottleneck saturated (offered 40 Mbps into 20 Mbps,
    /// a 50 ms drop-tail queue, and `aqm` on top): forwarding, queueing, loss and drops all
    /// exercised.
    static func packetHops(packets: Int, aqm: QueueDiscipline = .dropTail, repetitions: Int) -> Double {
        var hops = 0
        let seconds = WallClock.bestSeconds(repetitions: repetitions) {
            let path = threeHopPath(seed: 1, queue: .time(.milliseconds(50)), aqm: aqm)
            let socket = try! path.sender.bindUDP(port: 5000)
            let sink = UDPSink(socket: try! path.receiver.bindUDP(port: 6000))
            let rate = Bitrate.mbps(40)
            let duration = rate.transmissionTime(bytes: 1200) * Int64(packets)
            _ = ConstantBitrateSource(simulation: path.simulation, socket: socket,
                                      destination: Endpoint(path.receiver.interfaces[0].addresses[0].address, 6000),
                                      rate: rate, payloadSize: 1200, stop: .zero + duration)
            path.simulation.runUntilIdle()
            hops = path.links.reduce(0) { $0 + $1.forward.stats.sentPackets }
            precondition(sink.received > 0)
        }
        return Double(hops) / seconds
    }

    struct FlowResult { var wallSeconds: Double; var received: Int }

    /// The ns-3 comparison workload (Benchmarks/ns3): a 10 Mbps CBR flow of 1200-byte
    /// payloads over the 3-hop path for `seconds` simulated seconds.
    static func constantBitrateFlow(seconds: Int64, repetitions: Int) -> FlowResult {
        var received = 0
        let wall = WallClock.bestSeconds(repetitions: repetitions) {
            let path = threeHopPath(seed: 1, queue: .bytes(100 * 1500))
            let socket = try! path.sender.bindUDP(port: 5000)
            let sink = UDPSink(socket: try! path.receiver.bindUDP(port: 6000))
            _ = ConstantBitrateSource(simulation: path.simulation, socket: socket,
                                      destination: Endpoint(path.receiver.interfaces[0].addresses[0].address, 6000),
                                      rate: .mbps(10), payloadSize: 1200, stop: .zero + .seconds(seconds))
            path.simulation.run(until: .zero + .seconds(seconds))
            received = sink.received
        }
        return FlowResult(wallSeconds: wall, received: received)
    }
}
