import Congestion
import Media
import NetTypes
import Simulator

/// Media calls over one simulated bottleneck: host alice runs the senders, bob the
/// receivers, each flow on its own ports, all sharing the link alice→bob. The workload of
/// `icelab bench cc` and of the end-to-end congestion-control tests: a scenario built in
/// code, without a file, so both measure the media and congestion cores alone.
public final class SimulatedCall {
    public typealias Sender = MediaSender<AnyCongestionController>
    public let simulation: Simulation
    public let link: Link
    public private(set) var senders: [SimCoreDriver<Sender>] = []
    public private(set) var receivers: [SimCoreDriver<MediaReceiver>] = []

    /// A link of `capacity` with `latency`, random `loss` and a queue of `queue` each way
    /// under `aqm` (drop-tail unless told otherwise); `starts`: when each flow starts (one
    /// flow per entry); every sender runs `controller` with `rates` (GCC with libwebrtc's
    /// defaults unless told otherwise), sends RTP with ECN field `ecn` and gets `feedback`,
    /// with video loss `recovery` if given.
    public init(seed: UInt64 = 1, capacity: Bitrate, latency: Duration = .milliseconds(50), queue: Duration = .milliseconds(300),
                aqm: QueueDiscipline = .dropTail, loss: Double = 0, starts: [Duration] = [.zero],
                video: VideoSource.Configuration = VideoSource.Configuration(), controller: ControllerRecipe = .gcc,
                rates: ControllerRates = ControllerRates(), feedback: CongestionFeedbackKind = .transportCC, ecn: ECNCodepoint = .notECT,
                recovery: RecoveryConfiguration? = nil) {
        simulation = Simulation(seed: seed)
        let alice = Host(simulation: simulation, name: "alice")
        let bob = Host(simulation: simulation, name: "bob")
        var config = LinkConfig(latency: latency, loss: loss > 0 ? .bernoulli(loss) : .none, bandwidth: capacity, queue: .time(queue))
        config.aqm = aqm
        link = simulation.connect(alice, bob, config: config,
                                  addressesA: [try! InterfaceAddress(parsing: "10.0.0.1/24")],
                                  addressesB: [try! InterfaceAddress(parsing: "10.0.0.2/24")])
        for (i, start) in starts.enumerated() {
            let senderEndpoint = Endpoint(try! IPAddress(parsing: "10.0.0.1"), UInt16(5000 + i))
            let receiverEndpoint = Endpoint(try! IPAddress(parsing: "10.0.0.2"), UInt16(6000 + i))
            var configuration = Sender.Configuration(local: senderEndpoint, remote: receiverEndpoint)
            configuration.video = video
            configuration.feedback = feedback
            configuration.ecn = ecn
            configuration.recovery = recovery
            let sender = SimCoreDriver(host: alice, core: Sender(configuration: configuration,
                                                                 controller: controller.make(rates),
                                                                 random: simulation.randomStream(for: "sender\(i)")))
            let receiver = SimCoreDriver(host: bob, core: MediaReceiver(configuration: .init(answering: configuration)))
            try! sender.bind(senderEndpoint)
            try! receiver.bind(receiverEndpoint)
            simulation.schedule(at: .zero + start) { _ in
                receiver.withCore { core, now in core.start(now: now) }
                sender.withCore { core, now in core.start(now: now) }
            }
            senders.append(sender)
            receivers.append(receiver)
        }
    }

    /// Changes the bottleneck's capacity at `time`.
    public func setCapacity(_ capacity: Bitrate, at time: Duration) {
        simulation.schedule(at: .zero + time) { [link] _ in
            var config = link.forward.config
            config.bandwidth = capacity
            link.forward.update(config)
        }
    }

    /// Runs the simulation until `span` after its start.
    public func run(for span: Duration) { simulation.run(until: .zero + span) }

    /// The first flow's sender.
    public var sender: Sender { senders[0].core }
    /// The first flow's receiver.
    public var receiver: MediaReceiver { receivers[0].core }
}

