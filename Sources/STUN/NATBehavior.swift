import NetTypes

/// How a NAT maps an internal endpoint to external ones (RFC 4787 §4.1), as RFC 5780
/// discovery reports it. Raw values are the names scenario files use.
public enum NATMappingBehavior: String, Hashable, Sendable, CaseIterable {
    /// One mapping per internal endpoint, whatever the destination.
    case endpointIndependent = "endpoint-independent"
    /// A new mapping per destination IP address.
    case addressDependent = "address-dependent"
    /// A new mapping per destination IP address and port.
    case addressAndPortDependent = "address-and-port-dependent"
}

/// Which inbound packets a NAT lets through to a mapping (RFC 4787 §5).
public enum NATFilteringBehavior: String, Hashable, Sendable, CaseIterable {
    /// From anywhere.
    case endpointIndependent = "endpoint-independent"
    /// From IP addresses the internal endpoint has sent to.
    case addressDependent = "address-dependent"
    /// From exactly the IP address and port pairs it has sent to.
    case addressAndPortDependent = "address-and-port-dependent"
}

/// The RFC 3489 names for NAT types, still what people ask for.
public enum NATClassicType: String, Hashable, Sendable, CaseIterable {
    /// The mapped address is the local one: no NAT.
    case openInternet = "open internet"
    case fullCone = "full cone"
    case restrictedCone = "restricted cone"
    case portRestrictedCone = "port-restricted cone"
    case symmetric
    /// No response to the first Binding request.
    case udpBlocked = "UDP blocked"

    /// The classic name for measured behaviors.
    public init(mapping: NATMappingBehavior, filtering: NATFilteringBehavior) {
        guard mapping == .endpointIndependent else { self = .symmetric; return }
        switch filtering {
        case .endpointIndependent: self = .fullCone
        case .addressDependent: self = .restrictedCone
        case .addressAndPortDependent: self = .portRestrictedCone
        }
    }
}

/// What RFC 5780 behavior discovery found. Fields stay nil when the test that measures
/// them could not run; `note` then says why.
public struct NATBehaviorReport: Hashable, Sendable {
    /// The first XOR-MAPPED-ADDRESS (test I).
    public var mappedAddress: Endpoint?
    /// The server's OTHER-ADDRESS.
    public var otherAddress: Endpoint?
    public var mapping: NATMappingBehavior?
    public var filtering: NATFilteringBehavior?
    /// Whether a request sent to the own mapped address came back (RFC 5780 §4.5); nil
    /// without a NAT.
    public var hairpinning: Bool?
    public var classic: NATClassicType?
    public var note: String?

    public init() {}
}
