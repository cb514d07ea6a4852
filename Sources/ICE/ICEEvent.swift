import NetTypes

/// Something the application (or a log) should know, stamped with the instant it happened.
public struct ICEEvent: Hashable, Sendable, CustomStringConvertible {
    public var time: Instant
    public var kind: Kind

    public init(time: Instant, kind: Kind) {
        self.time = time
        self.kind = kind
    }

    /// What happened. The cases that carry candidates are `indirect`: boxed, they keep
    /// the event (and so every `CoreOutput` of the agent, transmits included) a few words
    /// long instead of two candidates long, and outputs are copied far more often than
    /// such events are made.
    public enum Kind: Hashable, Sendable {
        /// A local candidate to signal to the peer (trickled as soon as it exists).
        indirect case candidateGathered(Candidate)
        case gatheringStateChanged(ICEGatheringState)
        case connectionStateChanged(ICEConnectionState)
        /// The agent switched role (a role conflict, RFC 8445 §7.3.1.1, or a lite peer).
        case roleChanged(ICERole)
        indirect case pairStateChanged(local: Candidate, remote: Candidate, state: CandidatePairState)
        /// A pair was nominated (by us as controlling, or by the peer's USE-CANDIDATE).
        indirect case pairNominated(local: Candidate, remote: Candidate)
        /// Application data now flows on this pair for `component`; `local` is the valid
        /// pair's local candidate (the mapped address the peer sees: host, srflx, prflx or
        /// relay), whose base the data leaves from.
        indirect case selectedPairChanged(component: Int, local: Candidate, remote: Candidate)
        /// A non-STUN datagram arrived on a valid pair of `component`, with IP ECN field
        /// `ecn` (Not-ECT over TCP and where the driver cannot read it).
        case data(component: Int, [UInt8], ecn: ECNCodepoint)
    }

    /// One line for logs: `1.25s selected 1 host 10.0.1.2:50000 -> host 10.0.2.2:50001`.
    public var description: String {
        let body: String
        switch kind {
        case .candidateGathered(let c): body = "candidate \(c)"
        case .gatheringStateChanged(let s): body = "gathering \(s)"
        case .connectionStateChanged(let s): body = "connection \(s)"
        case .roleChanged(let r): body = "role \(r)"
        case .pairStateChanged(let l, let r, let s): body = "pair \(Self.pair(l, r)) \(s)"
        case .pairNominated(let l, let r): body = "nominated \(Self.pair(l, r))"
        case .selectedPairChanged(let c, let l, let r): body = "selected \(c) \(Self.pair(l, r))"
        case .data(let c, let bytes, _): body = "data \(c) \(bytes.count) bytes"
        }
        return "\(time) \(body)"
    }

    private static func pair(_ local: Candidate, _ remote: Candidate) -> String {
        "\(local.type) \(local.address) -> \(remote.type) \(remote.address)"
    }
}
