import Foundation
import NetTypes
import TestSupport
import TLS
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A `TLSSession` against an independent implementation, the `openssl` command line
/// (s_server and s_client), over loopback TCP: the session's bytes are real TLS.
@Suite(.serialized, .liveNetwork, .enabled(if: OpenSSLTool.path != nil, "the openssl command line is missing"))
struct TLSInteropTests {

    /// An identity valid now by the wall clock (s_server and s_client verify with it).
    static func liveIdentity(seed: UInt64) throws -> (TLSIdentity, URL) {
        var rng = Xoshiro256(seed: seed)
        let identity = try TLSIdentity.generate(commonName: "turn.example.net", subjectAltNames: ["turn.example.net", "127.0.0.1"],
                                                notBefore: Int64(Date().timeIntervalSince1970) - 3600,
                                                validity: .seconds(86_400), rng: &rng)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try identity.certificatePEM.write(to: directory.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
        try identity.privateKeyPEM.write(to: directory.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        return (identity, directory)
    }

    @Test func clientTalksToOpenSSLServer() async throws {
        let (identity, directory) = try Self.liveIdentity(seed: 31)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Loopback.freePort()
        let server = try ChildProcess(OpenSSLTool.path!, ["s_server", "-accept", "127.0.0.1:\(port)", "-naccept", "1",
                                                      "-cert", directory.appendingPathComponent("cert.pem").path,
                                                      "-key", directory.appendingPathComponent("key.pem").path,
                                                      "-alpn", "stun.turn", "-www"])
        defer { if server.process.isRunning { server.process.terminate() } }
        let context = try TLSContext(TLSConfiguration(role: .client, trusted: [identity.certificate],
                                                      serverName: "turn.example.net", alpn: ["stun.turn"]))
        let result = try await onThread {
            let socket = try Loopback.connect(port: port, within: 10)
            defer { close(socket) }
            return Loopback.drive(TLSSession(context: context, randomness: .system), socket: socket) { session in
                session.send(Array("GET / HTTP/1.0\r\n\r\n".utf8), now: .zero)
            }
        }
        server.process.terminate()
        _ = await server.exitStatus()
        #expect(result.failure == nil, "\(String(describing: result.failure)); s_server: \(server.standardError)")
        #expect(result.info?.version == "TLSv1.3" && result.info?.alpn == "stun.turn")
        let page = String(decoding: result.received, as: UTF8.self)
        #expect(page.contains("200 ok") && page.contains("TLSv1.3"), "\(page.prefix(300))")
    }

    @Test(arguments: ["-tls1_3", "-tls1_2"])
    func openSSLClientTalksToServer(version: String) async throws {
        let (identity, directory) = try Self.liveIdentity(seed: 32)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (listener, port) = try Loopback.listen()
        defer { close(listener) }
        let client = try ChildProcess(OpenSSLTool.path!, ["s_client", "-connect", "127.0.0.1:\(port)", version, "-quiet",
                                                      "-servername", "turn.example.net", "-verify_hostname", "turn.example.net",
                                                      "-CAfile", directory.appendingPathComponent("cert.pem").path,
                                                      "-verify_return_error", "-alpn", "stun.turn"])
        defer { if client.process.isRunning { client.process.terminate() } }
        let context = try TLSContext(TLSConfiguration(role: .server, identity: identity, alpn: ["stun.turn"]))
        let result = try await onThread {
            let socket = try Loopback.accept(listener, within: 10)
            defer { close(socket) }
            return Loopback.drive(TLSSession(context: context, randomness: .system), socket: socket) { session in
                session.send(Array("hello from icelab\n".utf8), now: .zero)
                session.close(now: .zero)
            }
        }
        let status = await client.exitStatus()
        #expect(result.failure == nil, "\(String(describing: result.failure)); s_client: \(client.standardError)")
        #expect(result.info?.version == (version == "-tls1_3" ? "TLSv1.3" : "TLSv1.2") && result.info?.alpn == "stun.turn")
        #expect(client.standardOutput.contains("hello from icelab"), "s_client: \(client.standardOutput) \(client.standardError)")
        #expect(status == 0, "s_client: \(client.standardError)")
    }
}

/// The `openssl` command line, if installed.
enum OpenSSLTool {
    static let path: URL? = ["/usr/bin/openssl", "/usr/local/bin/openssl"].map(URL.init(fileURLWithPath:))
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Runs blocking socket work on a thread of its own, off Swift's cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

struct SocketError: Error, CustomStringConvertible {
    var description: String
}

/// Blocking loopback TCP for the interop tests.
enum Loopback {
    /// A listening socket on 127.0.0.1 and its port.
    static func listen() throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = LoopbackAddress.ipv4(port: 0)
        guard LoopbackAddress.withSockaddr(&address, { bind(fd, $0, $1) }) == 0, Glibc.listen(fd, 1) == 0 else {
            close(fd)
            throw SocketError(description: "bind/listen: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = LoopbackAddress.withSockaddr(&address) { pointer, _ in getsockname(fd, pointer, &length) }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A port free a moment ago, for a child process to listen on.
    static func freePort() throws -> UInt16 {
        let (fd, port) = try listen()
        close(fd)
        return port
    }

    static func setTimeout(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    static func accept(_ listener: Int32, within seconds: Int) throws -> Int32 {
        setTimeout(listener, seconds: seconds)
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { throw SocketError(description: "no connection within \(seconds) s") }
        return fd
    }

    /// Connects, retrying while the server starts.
    static func connect(port: UInt16, within seconds: Int) throws -> Int32 {
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while true {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = LoopbackAddress.ipv4(port: port)
            if LoopbackAddress.withSockaddr(&address, { Glibc.connect(fd, $0, $1) }) == 0 { return fd }
            close(fd)
            guard Date() < deadline else { throw SocketError(description: "cannot connect to port \(port)") }
            usleep(50_000)
        }
    }

    struct Outcome: Sendable {
        var info: TLSConnectionInfo?
        var received: [UInt8] = []
        var closed = false
        var failure: TLSError?
    }

    /// Runs `session` on `socket` until the peer closes (close_notify or end of stream),
    /// the session fails, or nothing arrives for 10 s; `established` runs once.
    static func drive(_ session: TLSSession, socket: Int32, established: (TLSSession) -> Void) -> Outcome {
        setTimeout(socket, seconds: 10)
        var result = Outcome()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        session.start(now: .zero)
        while true {
            while let output = session.poll() {
                switch output {
                case .transmit(let bytes):
                    var sent = 0
                    while sent < bytes.count {
                        let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                        if n <= 0 { break }
                        sent += n
                    }
                case .received(let bytes): result.received += bytes
                case .established(let info):
                    result.info = info
                    established(session)
                case .closed: result.closed = true
                case .failed(let error): result.failure = error
                }
            }
            if result.closed || result.failure != nil { return result }
            let n = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return result }
            session.receive(Array(buffer[..<n]), now: .zero)
        }
    }
}
