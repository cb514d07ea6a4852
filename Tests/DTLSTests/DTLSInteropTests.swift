import DTLS
import Foundation
import NetTypes
import Spawn
import TLS
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A `DTLSEndpoint` against an independent implementation, OpenSSL's own DTLS in the
/// `openssl` command line (s_server and s_client with use_srtp and the RFC 5705
/// exporter), over UDP on 127.0.0.1, driven by the wall clock: the handshake completes
/// both ways, the profiles agree and OpenSSL's exported keying material equals ours.
@Suite(.serialized, .liveNetwork, .enabled(if: OpenSSLCommand.path != nil, "the openssl command line is missing"))
struct DTLSInteropTests {
    static let label = "EXTRACTOR-dtls_srtp"

    /// Our client against `s_server`, which always answers with a HelloVerifyRequest
    /// and here requests the client's certificate (`-verify`).
    @Test func clientAgainstOpenSSLServer() async throws {
        let files = try IdentityFiles(DTLSFixtures.serverIdentity)
        defer { files.remove() }
        let socket = try UDPSocket()
        let port = try UDPSocket.freePort()
        let server = try OpenSSLCommand(["s_server", "-dtls1_2", "-accept", "127.0.0.1:\(port)", "-naccept", "1",
                                         "-cert", files.certificate, "-key", files.key, "-verify", "1",
                                         "-use_srtp", "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM",
                                         "-keymatexport", Self.label, "-keymatexportlen", "60"])
        defer { server.stop() }
        try socket.connect(port: port)
        let local = Endpoint(IPAddress.v4(IPv4Address(127, 0, 0, 1)), socket.localPort)
        let remote = Endpoint(IPAddress.v4(IPv4Address(127, 0, 0, 1)), port)
        let configuration = DTLSFixtures.configuration(.client) {
            $0.remoteFingerprint = DTLSFingerprint(identity: DTLSFixtures.serverIdentity)
        }
        let result = try await Self.exchange(configuration, local: local, remote: remote, socket: socket, first: nil,
                                             with: server, sending: "hello from icelab\n", expecting: "hello from openssl\n")
        #expect(result.failure == nil, "\(String(describing: result.failure)); s_server: \(server.output) \(server.errors)")
        let connection = try #require(result.connection, "s_server: \(server.output) \(server.errors)")
        let profile = try #require(connection.srtpProfile)
        #expect(server.output.contains("SRTP Extension negotiated, profile=\(profile)"), "\(server.output)")
        #expect(OpenSSLCommand.keyingMaterial(in: server.output) == result.exported, "\(server.output)")
        #expect(String(decoding: result.received, as: UTF8.self).contains("hello from openssl"))
        #expect(server.output.contains("hello from icelab"), "\(server.output)")
    }

    /// `s_client` against our server, with the cookie exchange on and our preference for
    /// SRTP_AES128_CM_SHA1_80.
    @Test(arguments: [DTLSSRTPProfile.aes128CMHMACSHA1_80, .aeadAES128GCM])
    func openSSLClientAgainstServer(profile: DTLSSRTPProfile) async throws {
        let files = try IdentityFiles(DTLSFixtures.clientIdentity)
        defer { files.remove() }
        let socket = try UDPSocket()
        let client = try OpenSSLCommand(["s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.localPort)",
                                         "-cert", files.certificate, "-key", files.key,
                                         "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80",
                                         "-keymatexport", Self.label, "-keymatexportlen", "60"])
        defer { client.stop() }
        let peer = try socket.waitForPeer(within: 10)
        let local = Endpoint(IPAddress.v4(IPv4Address(127, 0, 0, 1)), socket.localPort)
        let remote = Endpoint(IPAddress.v4(IPv4Address(127, 0, 0, 1)), peer.port)
        let configuration = DTLSFixtures.configuration(.server) {
            $0.srtpProfiles = [profile]
            $0.cookieExchange = true
        }
        let result = try await Self.exchange(configuration, local: local, remote: remote, socket: socket, first: peer.datagram,
                                             with: client, sending: "hello from icelab server\n", expecting: "hello from openssl client\n")
        #expect(result.failure == nil, "\(String(describing: result.failure)); s_client: \(client.output) \(client.errors)")
        let connection = try #require(result.connection, "s_client: \(client.output) \(client.errors)")
        #expect(connection.srtpProfile == profile)
        #expect(client.output.contains("SRTP Extension negotiated, profile=\(profile)"), "\(client.output)")
        #expect(OpenSSLCommand.keyingMaterial(in: client.output) == result.exported, "\(client.output)")
        #expect(client.output.contains("Extended master secret: yes"), "\(client.output)")
        #expect(client.output.contains("hello from icelab server"), "\(client.output)")
    }

    /// Runs the handshake on a thread of its own; once connected sends `sending` and
    /// writes `expecting` to openssl's stdin, until each side has the other's line.
    static func exchange(_ configuration: DTLSConfiguration, local: Endpoint, remote: Endpoint, socket: UDPSocket, first: [UInt8]?,
                         with peer: OpenSSLCommand, sending: String, expecting: String) async throws -> UDPRunResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let endpoint = try DTLSEndpoint(configuration: configuration, local: local, remote: remote, randomness: .system)
                    var driver = UDPDriver(endpoint: endpoint, socket: socket, first: first)
                    return try driver.run(within: 20) { driver in
                        try driver.endpoint.send(Array(sending.utf8), now: driver.now)
                        peer.write(expecting)
                    } until: { driver in
                        String(decoding: driver.received, as: UTF8.self).contains(expecting) && peer.output.contains(sending)
                    }
                })
            }
        }
    }
}

/// What a live run produced.
struct UDPRunResult: Sendable {
    var connection: DTLSConnection?
    var failure: DTLSError?
    var received: [UInt8]
    /// 60 bytes of EXTRACTOR-dtls_srtp, uppercase hex, as openssl prints them.
    var exported: String?
}

/// Drives one endpoint over a connected UDP socket with the wall clock.
struct UDPDriver {
    var endpoint: DTLSEndpoint
    let socket: UDPSocket
    let started = Date()
    var received: [UInt8] = []
    var now: Instant { Instant(nanoseconds: Int64(Date().timeIntervalSince(started) * 1e9)) }
    private var first: [UInt8]?

    init(endpoint: DTLSEndpoint, socket: UDPSocket, first: [UInt8]? = nil) {
        self.endpoint = endpoint
        self.socket = socket
        self.first = first
    }

    /// Runs the handshake, calls `connected` once, and runs until `done` or `seconds`.
    mutating func run(within seconds: Double, connected: (inout UDPDriver) throws -> Void,
                      until done: (UDPDriver) -> Bool) throws -> UDPRunResult {
        var result = UDPRunResult(received: [])
        var deadline = Instant.distantFuture
        endpoint.start(now: now)
        if let first { endpoint.handle(datagram(first), now: now) }
        var announced = false
        while Date().timeIntervalSince(started) < seconds {
            var draining = true
            while draining {
                switch endpoint.pollOutput() {
                case .transmit(let datagram): socket.send(datagram.payload)
                case .event(.connected(let connection)):
                    result.connection = connection
                    result.exported = try? endpoint.exportKeyingMaterial(label: DTLSInteropTests.label, length: 60)
                        .map { String(format: "%02X", $0) }.joined()
                case .event(.data(let bytes)): received += bytes
                case .event(.failed(let error)): result.failure = error
                case .event: break
                case .timeout(let next):
                    deadline = next
                    draining = false
                }
            }
            if result.failure != nil { break }
            if result.connection != nil && !announced {
                announced = true
                try connected(&self)
                continue
            }
            if announced && done(self) { break }
            if now >= deadline { endpoint.handleTimeout(now: now); continue }
            let wait = deadline == .distantFuture ? 100 : max(1, min(100, Int32((deadline - now).nanoseconds / 1_000_000)))
            if let bytes = socket.receive(timeoutMilliseconds: wait) {
                endpoint.handle(datagram(bytes), now: now)
            }
        }
        result.received = received
        return result
    }

    private func datagram(_ bytes: [UInt8]) -> Datagram {
        Datagram(source: endpoint.remote, destination: endpoint.local, payload: bytes)
    }
}

/// A blocking UDP socket on 127.0.0.1.
final class UDPSocket: @unchecked Sendable {
    let fd: Int32
    let localPort: UInt16

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = LoopbackAddress.ipv4(port: 0)
        guard LoopbackAddress.withSockaddr(&address, { bind(descriptor, $0, $1) }) == 0 else { close(descriptor); throw DTLSInteropError("bind failed") }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        fd = descriptor
        localPort = UInt16(bigEndian: bound.sin_port)
    }

    deinit { close(fd) }

    /// A port no socket is bound to right now.
    static func freePort() throws -> UInt16 { try UDPSocket().localPort }

    func connect(port: UInt16) throws {
        var address = LoopbackAddress.ipv4(port: port)
        guard LoopbackAddress.withSockaddr(&address, { Glibc.connect(fd, $0, $1) }) == 0 else { throw DTLSInteropError("connect failed") }
    }

    func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) } }

    /// One datagram, or nil after `timeoutMilliseconds`.
    func receive(timeoutMilliseconds: Int32) -> [UInt8]? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeoutMilliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer.prefix(count)) : nil
    }

    /// Waits for the first datagram, then connects the socket to its sender.
    func waitForPeer(within seconds: Int) throws -> (port: UInt16, datagram: [UInt8]) {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(seconds * 1000)) == 1 else { throw DTLSInteropError("no datagram from the peer") }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length) }
            }
        }
        guard count > 0 else { throw DTLSInteropError("recvfrom failed") }
        let port = UInt16(bigEndian: from.sin_port)
        try connect(port: port)
        return (port, Array(buffer.prefix(count)))
    }
}

struct DTLSInteropError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// An identity written to PEM files for the openssl command line.
struct IdentityFiles {
    let directory: URL
    var certificate: String { directory.appendingPathComponent("cert.pem").path }
    var key: String { directory.appendingPathComponent("key.pem").path }

    init(_ identity: TLSIdentity) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-dtls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try identity.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        try identity.privateKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// `openssl` run with a stdin the test writes to and its output collected.
final class OpenSSLCommand: @unchecked Sendable {
    static let path: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    private let process = SpawnedProcess()
    private let input = Pipe(), stdout = Pipe(), stderr = Pipe()
    private let lock = NSLock()
    private var out = Data(), err = Data()

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: Self.path!)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        for (pipe, isOutput) in [(stdout, true), (stderr, false)] {
            Thread.detachNewThread { [self] in
                while true {
                    let data = pipe.fileHandleForReading.availableData
                    if data.isEmpty { break }
                    lock.withLock { if isOutput { out += data } else { err += data } }
                }
            }
        }
    }

    var output: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var errors: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    func write(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }

    /// Ends the process (always called, by `defer`).
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The hex of "Keying material: …" as s_server and s_client print it.
    static func keyingMaterial(in output: String) -> String? {
        guard let range = output.range(of: "Keying material: ") else { return nil }
        return String(output[range.upperBound...].prefix { $0.isHexDigit })
    }
}
