/// The transport a datagram or candidate uses.
public enum TransportKind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case udp, tcp, tls, dtls

    /// The IP protocol number carried in IP headers (6 for TCP-based, 17 for UDP-based).
    public var ipProtocolNumber: UInt8 {
        switch self { case .udp, .dtls: return 17; case .tcp, .tls: return 6 }
    }

    /// Whether the transport retransmits by itself (STUN then uses a single timeout).
    public var isReliable: Bool { self == .tcp || self == .tls }

    public var description: String { rawValue }
}
