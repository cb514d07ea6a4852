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

    /// A loopback port free for both a TCP listener and a UDP socket (servers take both),
    /// found by binding port 0 over TCP, then the same port over UDP, and releasing both.
    public static func freeTCPAndUDPPort() throws -> UInt16 {
        for _ in 0..<20 {
            let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0), udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            defer { close(tcp); close(udp) }
            var address = ipv4(port: 0)
            guard withSockaddr(&address, { bind(tcp, $0, $1) }) == 0 else { continue }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            guard withSockaddr(&address, { pointer, _ in getsockname(tcp, pointer, &length) }) == 0 else { continue }
            let port = UInt16(bigEndian: address.sin_port)
            var same = ipv4(port: port)
            if withSockaddr(&same, { bind(udp, $0, $1) }) == 0 { return port }
        }
        throw LoopbackPortError.noFreePort
    }
}

/// No loopback port was free for TCP and UDP in 20 tries.
public enum LoopbackPortError: Error { case noFreePort }
