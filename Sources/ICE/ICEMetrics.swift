import NetTypes

/// Counters and timings of one agent, for reports and benchmarks. Durations run from the
/// agent's start (`startGathering`).
public struct ICEMetrics: Hashable, Sendable {
    /// From start to the first time the state became connected.
    public var timeToFirstConnected: Duration?
    /// From start to the first selected pair (of any component).
    public var timeToSelectedPair: Duration?
    /// Connectivity check requests sent (first transmissions) and retransmitted.
    public var checksSent = 0
    public var checksRetransmitted = 0
    /// Check requests received (authenticated or not).
    public var checksReceived = 0
    /// Consent freshness requests sent (RFC 7675).
    public var consentChecksSent = 0
    /// Keepalives (Binding indications) sent on idle selected pairs (RFC 8445 §11).
    public var keepalivesSent = 0
    /// STUN bytes sent and received (checks, responses, gathering, keepalives; relay
    /// framing excluded).
    public var stunBytesSent = 0
    public var stunBytesReceived = 0
    /// Candidate pairs added to the check list.
    public var pairsFormed = 0
    /// Local candidates gathered (host, reflexive, relayed; peer-reflexive excluded).
    public var candidatesGathered = 0
    /// Application datagrams sent and delivered.
    public var dataSent = 0
    public var dataReceived = 0

    public init() {}
}
