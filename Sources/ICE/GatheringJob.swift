import NetTypes

/// A gathering step waiting for its turn of the pacer (RFC 8445 §5.1.1.4: Ta applies
/// to gathering transactions too).
enum GatheringJob: Equatable {
    /// A Binding request from `base` to the STUN server `server`.
    case stun(base: Endpoint, server: Endpoint)
    /// Starting the allocation of relay slot `relay`.
    case relay(Int)
}
