import NetTypes
import STUN

/// A gathering step waiting for its turn of the pacer (RFC 8445 §5.1.1.4: Ta applies
/// to gathering transactions too).
enum GatheringJob: Equatable {
    /// A Binding request from `base` to the STUN server `server`.
    case stun(base: Endpoint, server: Endpoint)
    /// Starting the allocation of relay slot `relay`.
    case relay(Int)
}

/// An outstanding server-reflexive query.
struct StunQuery {
    let base: Endpoint
    let server: Endpoint
    let component: Int
}

/// One relay allocation: the request, its client and what it produced.
struct RelaySlot {
    let request: ICERelayRequest
    var client: any ICERelayClient
    /// The client's next deadline.
    var deadline: Instant = .distantFuture
    /// The relayed candidate once allocated.
    var relayed: Candidate?
    /// Whether the allocation succeeded or failed (gathering waits for all).
    var isSettled = false
}
