import NetTypes

/// Counters and timings of one agent, for reports and benchmarks. Durations run from the
/// agent's start (`startGathering`).
public struct ICEMetrics: Hashable, Sendable {
    /// From start to the first time the state became connected: every component had a
    /// usable (valid) selected pair, which is when a browser reports `iceConnectionState`
    /// "connected" and starts sending media.
    public var timeToFirstConnected: Duration?
    /// From start to the first time every component's selected pair was nominated (RFC
    /// 8445 §8.1.1: as controlling, a check with USE-CANDIDATE on it succeeded; as
    /// controlled, the peer's USE-CANDIDATE arrived on it and it is valid).
    public var timeToNominated: Duration?
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
