import NetTypes

/// What a bandwidth-limited link direction does with its queue besides the drop-tail
/// bound (`LinkConfig.queue`): nothing more, or active queue management.
public enum QueueDiscipline: Sendable, Equatable {
    /// First in, first out; packets are dropped only when the bound is reached.
    case dropTail
    /// CoDel (RFC 8289): drops at dequeue once packets have waited longer than `target`
    /// for at least `interval`, more often the longer that lasts.
    case codel(CoDelParameters)
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
