import NetTypes

/// What a STUN server core answers with and from where.
public struct STUNServerConfiguration: Sendable {
    /// (A1, P1): the address and port clients contact first.
    public var primary: Endpoint
    /// A2: a second local IP address (RFC 5780); with `alternatePort` it enables
    /// OTHER-ADDRESS and CHANGE-REQUEST.
    public var alternateAddress: IPAddress?
    /// P2: a second local port.
    public var alternatePort: UInt16?
    /// The SOFTWARE attribute of responses; nil for none.
    public var software: String?
    /// Also send MAPPED-ADDRESS, for RFC 3489 clients.
    public var includeMappedAddress: Bool
    /// When set, every request must carry this USERNAME and a valid MESSAGE-INTEGRITY(-SHA256)
    /// keyed with the password (short-term credentials, RFC 8489 §9.1).
    public var shortTermCredential: STUNShortTermCredential?
    /// Unauthenticated responses are at most this many bytes larger than the request
    /// (optional attributes that would exceed it are left out); see `STUNServer`.
    public var amplificationAllowance: Int

    public init(
        primary: Endpoint, alternateAddress: IPAddress? = nil, alternatePort: UInt16? = nil, software: String? = "icelab",
        includeMappedAddress: Bool = false, shortTermCredential: STUNShortTermCredential? = nil, amplificationAllowance: Int = 64
    ) {
        self.primary = primary
        self.alternateAddress = alternateAddress
        self.alternatePort = alternatePort
        self.software = software
        self.includeMappedAddress = includeMappedAddress
        self.shortTermCredential = shortTermCredential
        self.amplificationAllowance = amplificationAllowance
    }

    /// The up to four local transport addresses: (A1,P1), (A1,P2), (A2,P1), (A2,P2).
    public var localEndpoints: [Endpoint] {
        var result = [primary]
        if let p2 = alternatePort { result.append(Endpoint(primary.address, p2)) }
        if let a2 = alternateAddress { result.append(Endpoint(a2, primary.port)) }
        if let a2 = alternateAddress, let p2 = alternatePort { result.append(Endpoint(a2, p2)) }
        return result
    }
}

/// A username and password of short-term credentials.
public struct STUNShortTermCredential: Hashable, Sendable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}
