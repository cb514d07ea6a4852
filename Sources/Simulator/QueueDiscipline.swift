import NetTypes

/// What a bandwidth-limited link direction does with its queue besides the drop-tail
/// bound (`LinkConfig.queue`): nothing more, or active queue management.
public enum QueueDiscipline: Sendable, Equatable {
    /// First in, first out; packets are dropped only when the bound is reached.
    case dropTail
    /// CoDel (RFC 8289): drops at dequeue once packets have waited longer than `target`
    /// for at least `interval`, more often the longer that lasts.
    case codel(CoDelParameters)
    /// PIE (RFC 8033): drops arriving packets with a probability that a proportional-
    /// integral controller steers towards a target queueing delay.
    case pie(PIEParameters)
    /// FQ-CoDel (RFC 8290): packets hashed by 5-tuple into per-flow queues, each with its
    /// own CoDel, served by deficit round robin with priority for new (sparse) flows.
    case fqCodel(FQCoDelParameters)

    /// The name scenarios and results use: `drop-tail`, `codel`, `pie`, `fq-codel`.
    public var name: String {
        switch self {
        case .dropTail: "drop-tail"
        case .codel: "codel"
        case .pie: "pie"
        case .fqCodel: "fq-codel"
        }
    }
}

/// CoDel's parameters (RFC 8289 §4.3-4.4), with the defaults the RFC gives for the
/// Internet (5 ms and 100 ms), and its ECN options.
public struct CoDelParameters: Sendable, Equatable {
    /// The acceptable standing queue delay.
    public var target: Duration
    /// The window a delay above `target` must last before dropping starts: on the order
    /// of a worst-case round-trip time.
    public var interval: Duration
    /// Mark ECN-capable packets CE instead of dropping them (RFC 8289 §5, RFC 3168).
    public var ecn: Bool
    /// L4S-style step marking (a simplification of the DualQ's L queue, RFC 9332 §2.5):
    /// an ECT(1) packet that waited at least this long is marked CE, one that waited less
    /// passes; ECT(1) packets bypass CoDel's control law. Nil: ECT(1) is treated as ECT(0).
    public var l4sStep: Duration?

    public init(target: Duration = .milliseconds(5), interval: Duration = .milliseconds(100), ecn: Bool = false,
                l4sStep: Duration? = nil) {
        self.target = target
        self.interval = interval
        self.ecn = ecn
        self.l4sStep = l4sStep
    }
}

/// FQ-CoDel's parameters (RFC 8290 §5.2), with Linux's defaults: per-flow CoDel with
/// ECN marking on (RFC 8290 §4.1.3, as Linux's fq_codel).
public struct FQCoDelParameters: Sendable, Equatable {
    /// The per-flow CoDel (target, interval, ECN, L4S step).
    public var codel: CoDelParameters
    /// Bytes a flow may send per round of the deficit round robin (§4.2): 1514.
    public var quantum: Int
    /// The number of flow queues packets are hashed into (§5.2.2): 1024.
    public var flows: Int
    /// The most packets held in all queues together (§4.1, §5.2.3): 10240.
    public var limit: Int

    public init(codel: CoDelParameters = CoDelParameters(ecn: true), quantum: Int = 1514, flows: Int = 1024, limit: Int = 10240) {
        self.codel = codel
        self.quantum = quantum
        self.flows = flows
        self.limit = limit
    }
}

/// PIE's parameters (RFC 8033 §4.2, §4.4), with the RFC's defaults.
public struct PIEParameters: Sendable, Equatable {
    /// QDELAY_REF: the queueing delay the controller steers to (15 ms).
    public var target: Duration
    /// T_UPDATE: how often the drop probability is recomputed (15 ms).
    public var updateInterval: Duration
    /// MAX_BURST: how long a burst is let through without early drops (150 ms).
    public var maximumBurst: Duration
    /// α, in 1/s (0.125): the weight of the delay's distance from the target.
    public var alpha: Double
    /// β, in 1/s (1.25): the weight of the delay's change since the last update.
    public var beta: Double
    /// Mark ECN-capable packets CE instead of dropping them while the drop probability is
    /// at most 10 %; above it, drop them too (RFC 8033 §5.1).
    public var ecn: Bool

    public init(target: Duration = .milliseconds(15), updateInterval: Duration = .milliseconds(15),
                maximumBurst: Duration = .milliseconds(150), alpha: Double = 0.125, beta: Double = 1.25, ecn: Bool = false) {
        self.target = target
        self.updateInterval = updateInterval
        self.maximumBurst = maximumBurst
        self.alpha = alpha
        self.beta = beta
        self.ecn = ecn
    }
}
