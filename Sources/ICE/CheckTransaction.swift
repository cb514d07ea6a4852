import NetTypes
import STUN

/// A connectivity or consent check in flight (RFC 8445 §7.2.4, RFC 7675 §5.1): the
/// request's bytes and retransmission schedule, and what its answer means.
struct CheckTransaction {
    enum Purpose: Equatable {
        /// A check of check-list pair `pair` in session `generation`.
        case check(pair: Int, generation: Int)
        /// A consent freshness check on the selected pair of `component`.
        case consent(component: Int)
    }

    let purpose: Purpose
    let base: Endpoint
    let remote: Endpoint
    /// `.udp`, or `.tcp` for a check on an ICE-TCP connection (RFC 6544 §7.1).
    let transport: TransportKind
    let payload: [UInt8]
    /// The key responses must verify with (the remote password of the request).
    let authenticator: STUNAuthenticator
    /// The role the request claimed, for 487 handling (§7.2.5.1).
    let role: ICERole
    let useCandidate: Bool
    /// The PRIORITY sent: a peer-reflexive local candidate learned from the response
    /// gets it (§7.2.5.3.1).
    let priority: UInt32
    /// Order of creation, so transactions due together are handled reproducibly.
    let sequence: Int
    var transmissions = 1
    /// When the request last went out: the libwebrtc pacer repeats the least recently
    /// sent check (`BasicIceController::LeastRecentlyPinged`).
    var lastSent: Instant
    var interval: Duration
    /// The next retransmission, or when the pair fails (after `checkTimeout` when the
    /// pacer repeats checks).
    var deadline: Instant
    /// False once cancelled (§7.3.1.4): no more retransmissions and a timeout does not
    /// fail the pair, but a late response still counts.
    var retransmits = true

    /// The round-trip time a response arriving at `now` measures; nil when the request
    /// went more than once, since its retransmissions share the transaction ID and the
    /// response may answer any of them (Karn's rule, RFC 6298 §3).
    func roundTripSample(at now: Instant) -> Duration? {
        transmissions == 1 ? now - lastSent : nil
    }

    /// Whether a response that arrived on `path` came back on the reverse path of the
    /// request (§7.2.5.2.1).
    func travels(_ path: ICEAgent.Path) -> Bool {
        base == path.base && remote == path.remote && transport == path.transport
    }

    /// Whether `mapped`, the address the peer saw, is local candidate `candidate` of this
    /// check's base (§7.2.5.3.1). An active TCP candidate's port is not what its
    /// connection got (RFC 6544 §4.5: it is written as 9), so only the address counts.
    func maps(to candidate: Candidate, _ mapped: Endpoint) -> Bool {
        candidate.address == mapped || (transport == .tcp && candidate.tcpType == .active && candidate.address.address == mapped.address)
    }
}
