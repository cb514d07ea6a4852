import Congestion
import Media
import NetTypes
import Simulator

/// Media calls over one simulated link: alice runs the senders, bob the receivers, every
/// flow on its own ports, all sharing the link alice→bob.
final class SimulatedCall {
    typealias Sender = MediaSender<GoogCCController>
    let simulation: Simulation
    let link: Link
    private(set) var senders: [SimCoreDriver<Sender>] = []
    private(set) var receivers: [SimCoreDriver<MediaReceiver>] = []

    /// `starts`: when each flow starts (one flow per entry).
    init(seed: UInt64 = 1, capacity: Bitrate, latency: Duration = .milliseconds(50), queue: Duration = .milliseconds(300),
         starts: [Duration] = [.zero], video: VideoSource.Configuration = VideoSource.Configuration()) {
        simulation = Simulation(seed: seed)
        let alice = Host(simulation: simulation, name: "alice")
        let bob = Host(simulation: simulation, name: "bob")
        let config = LinkConfig(latency: latency, bandwidth: capacity, queue: .time(queue))
        link = simulation.connect(alice, bob, config: config,
                                  addressesA: [try! InterfaceAddress(parsing: "10.0.0.1/24")],
                                  addressesB: [try! InterfaceAddress(parsing: "10.0.0.2/24")])
        for (i, start) in starts.enumerated() {
            let senderEndpoint = Endpoint(try! IPAddress(parsing: "10.0.0.1"), UInt16(5000 + i))
            let receiverEndpoint = Endpoint(try! IPAddress(parsing: "10.0.0.2"), UInt16(6000 + i))
            var configuration = Sender.Configuration(local: senderEndpoint, remote: receiverEndpoint)
            configuration.video = video
            let sender = SimCoreDriver(host: alice, core: Sender(configuration: configuration,
                                                                 controller: GoogCCController(),
                                                                 random: simulation.randomStream(for: "sender\(i)")))
            let receiver = SimCoreDriver(host: bob, core: MediaReceiver(configuration: .init(local: receiverEndpoint, remote: senderEndpoint)))
            try! sender.bind(senderEndpoint.address, port: senderEndpoint.port)
            try! receiver.bind(receiverEndpoint.address, port: receiverEndpoint.port)
            simulation.schedule(at: .zero + start) { _ in
                receiver.withCore { core, now in core.start(now: now) }
                sender.withCore { core, now in core.start(now: now) }
            }
            senders.append(sender)
            receivers.append(receiver)
        }
    }

    /// Changes the bottleneck's capacity at `time`.
    func setCapacity(_ capacity: Bitrate, at time: Duration) {
        simulation.schedule(at: .zero + time) { [link] _ in
            var config = link.forward.config
            config.bandwidth = capacity
            link.forward.update(config)
        }
    }

    func run(for span: Duration) { simulation.run(until: .zero + span) }

    var sender: Sender { senders[0].core }
    var receiver: MediaReceiver { receivers[0].core }
}

extension TimeSeries {
    /// The first sample time at which the value reached `threshold`.
    func firstTime(reaching threshold: Double) -> Instant? {
        zip(times, values).first { $0.1 >= threshold }?.0
    }
}

/// Seconds into the run as an instant range.
func seconds(_ a: Double, _ b: Double) -> Range<Instant> { (Instant.zero + .fromSeconds(a))..<(Instant.zero + .fromSeconds(b)) }

/// Jain's fairness index: (Σx)² / (n Σx²), 1 for equal shares.
func jainIndex(_ shares: [Double]) -> Double {
    let sum = shares.reduce(0, +)
    let squares = shares.reduce(0) { $0 + $1 * $1 }
    return sum * sum / (Double(shares.count) * squares)
}
