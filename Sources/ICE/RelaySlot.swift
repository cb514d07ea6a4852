import NetTypes

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
