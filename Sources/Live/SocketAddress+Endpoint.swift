import NIOCore
import NetTypes

extension Endpoint {
    /// The endpoint of a NIO socket address; nil for Unix-domain addresses.
    init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            let raw = UInt32(bigEndian: v4.address.sin_addr.s_addr)
            self.init(.v4(IPv4Address(raw)), UInt16(bigEndian: v4.address.sin_port))
        case .v6(let v6):
            var storage = v6.address.sin6_addr
            let bytes = withUnsafeBytes(of: &storage) { Array($0) }
            guard let ip = IPv6Address(bytes: bytes) else { return nil }
            self.init(.v6(ip), UInt16(bigEndian: v6.address.sin6_port))
        case .unixDomainSocket:
            return nil
        }
    }

    /// The NIO socket address of this endpoint.
    func socketAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: address.description, port: Int(port))
    }
}

extension Instant {
    /// Now on the monotonic clock live drivers use (NIO's uptime clock).
    static var liveNow: Instant { Instant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds)) }

    /// This instant as an event-loop deadline.
    var nioDeadline: NIODeadline {
        self == .distantFuture ? .distantFuture : .uptimeNanoseconds(UInt64(max(nanoseconds, 0)))
    }
}
