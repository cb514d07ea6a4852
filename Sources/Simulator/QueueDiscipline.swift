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
}

/// CoDel's two parameters (RFC 8289 §4.3-4.4), with the defaults the RFC gives for the
/// Internet (5 ms and 100 ms).
public struct CoDelParameters: Sendable, Equatable {
    /// The acceptable standing queue delay.
    public var target: Duration
    /// The window a delay above `target` must last before dropping starts: on the order
    /// of a worst-case round-trip time.
    public var interval: Duration

    public init(target: Duration = .milliseconds(5), interval: Duration = .milliseconds(100)) {
        self.target = target
        self.interval = interval
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

    public init(target: Duration = .milliseconds(15), updateInterval: Duration = .milliseconds(15),
                maximumBurst: Duration = .milliseconds(150), alpha: Double = 0.125, beta: Double = 1.25) {
        self.target = target
        self.updateInterval = updateInterval
        self.maximumBurst = maximumBurst
        self.alpha = alpha
        self.beta = beta
    }
}
