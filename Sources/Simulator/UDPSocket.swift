import NetTypes

/// A UDP socket on a simulated host.
///
/// Received datagrams go to `onReceive`; ICMP errors about datagrams this socket sent
/// (port unreachable, administratively prohibited) go to `onError`, as a real stack
/// would report them.
public final class UDPSocket {
    public unowned(unsafe) let host: Host
    /// The bound address (unspecified for a wildcard bind) and port.
    public let local: Endpoint
    public var onReceive: ((Datagram) -> Void)?
    public var onError: ((ICMPUnreachable) -> Void)?
    public private(set) var isOpen = true
    /// The ECN field of the datagrams this socket sends (as `IP_TOS` sets it on a real
    /// socket): not ECN-capable by default, ECT(0) or ECT(1) for a sender that reacts
    /// to CE marks (RFC 3168 §5, RFC 9331).
    public var ecn: ECNCodepoint = .notECT
    public internal(set) var datagramsSent = 0
    public internal(set) var datagramsReceived = 0

    init(host: Host, local: Endpoint) {
        self.host = host
        self.local = local
    }

    /// Whether the socket is bound to all addresses of its family.
    public var isWildcard: Bool { local.address.isUnspecified }

    /// Sends `payload` to `destination` with the ECN field `ecn` (nil: the socket's
    /// `ecn`, as a per-message `IP_TOS` control message overrides the socket option).
    /// Returns false when the host has no route.
    @discardableResult
    public func send(_ payload: consuming [UInt8], to destination: Endpoint, ecn: ECNCodepoint? = nil) -> Bool {
        guard isOpen else { return false }
        return host.sendUDP(from: self, payload: payload, to: destination, ecn: ecn ?? self.ecn)
    }

    /// Unbinds the socket; later sends fail and arrivals are answered as for a closed port.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        host.unbind(self)
    }
}

/// Why a bind failed.
public enum SocketError: Error, Equatable, Sendable, CustomStringConvertible {
    case addressInUse(Endpoint)
    case addressNotLocal(IPAddress)
    case noFreePort
    case noRoute(IPAddress)

    public var description: String {
        switch self {
        case .addressInUse(let e): return "address \(e) is already in use"
        case .addressNotLocal(let a): return "address \(a) is not configured on this host"
        case .noFreePort: return "no free ephemeral port"
        case .noRoute(let a): return "no route to \(a)"
        }
    }
}
