#if canImport(Glibc)
import Glibc
#endif

/// IPv4 loopback socket addresses for the interop tests' blocking sockets (TCP for TLS,
/// UDP for DTLS).
public enum LoopbackAddress {
    /// 127.0.0.1 and `port` (0: any free port on bind).
    public static func ipv4(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// Calls `body` with `address` as a `sockaddr` and its length: for bind, connect,
    /// getsockname.
    public static func withSockaddr<T>(_ address: inout sockaddr_in, _ body: (UnsafeMutablePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
