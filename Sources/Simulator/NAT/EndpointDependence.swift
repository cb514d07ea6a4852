import NetTypes

/// How much of the remote endpoint a NAT decision depends on. RFC 4787 uses the same
/// three classes for mapping (§4.1: when is a new external endpoint allocated?) and for
/// filtering (§5: which remote endpoints may send in through a mapping?).
public enum EndpointDependence: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The remote endpoint does not matter.
    case endpointIndependent = "endpoint-independent"
    /// The remote IP address matters, its port does not.
    case addressDependent = "address-dependent"
    /// The remote IP address and port both matter.
    case addressAndPortDependent = "address-and-port-dependent"

    /// The part of `remote` that matters: nothing, its address (with port 0), or all of it.
    @inlinable func constraint(_ remote: Endpoint) -> Endpoint? {
        switch self {
        case .endpointIndependent: return nil
        case .addressDependent: return Endpoint(remote.address, 0)
        case .addressAndPortDependent: return remote
        }
    }

    public var description: String { rawValue }
}
