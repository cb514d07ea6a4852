import NetTypes

/// Retransmission parameters of STUN client transactions (RFC 8489 §6.2).
public struct STUNTransactionConfiguration: Hashable, Sendable {
    /// The first retransmission timeout over unreliable transports; doubles after each send.
    public var initialRTO: Duration
    /// Rc: how many times a request is sent in all over UDP.
    public var maxTransmissions: Int
    /// Rm: after the last send, wait Rm × `initialRTO` before giving up.
    public var finalWaitMultiplier: Int64
    /// Ti: the single timeout over reliable transports (TCP, TLS).
    public var reliableTimeout: Duration

    /// The RFC's defaults: 500 ms, Rc = 7, Rm = 16, Ti = 39.5 s. A request sent at 0 is
    /// resent at 500, 1500, 3500, 7500, 15500 and 31500 ms and times out at 39500 ms.
    public init(
        initialRTO: Duration = .milliseconds(500), maxTransmissions: Int = 7, finalWaitMultiplier: Int64 = 16,
        reliableTimeout: Duration = .milliseconds(39_500)
    ) {
        self.initialRTO = initialRTO
        self.maxTransmissions = maxTransmissions
        self.finalWaitMultiplier = finalWaitMultiplier
        self.reliableTimeout = reliableTimeout
    }
}
