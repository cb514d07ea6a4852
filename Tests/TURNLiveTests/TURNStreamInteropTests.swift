import Foundation
import NIOCore
import NIOPosix
import NetTypes
import TestSupport
import Testing
import TLS
import TURN
@testable import Live

/// TURN over TCP and TLS on loopback: `icelab turn-server` with `--listen-tcp` and
/// `--listen-tls` against coturn's client and aioice, and its bounds against connections
/// that misbehave. Each test starts
/// its processes on free ports and stops them; a missing tool shows as a skip.
@Suite(.serialized, .liveNetwork) struct TURNStreamInteropTests {
    static let hasUclient = Subprocess.find("turnutils_uclient") != nil
    static let hasIcelab = IcelabExecutable.url != nil
    static let aioiceScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("aioice_turn_pair.py")
    /// Whether the `python3` first on PATH (through env, as a shell finds it) imports aioice.
    static let hasAioice: Bool = {
        guard let probe = try? Subprocess("/usr/bin/env", ["python3", "-c", "import aioice"]) else { return false }
        probe.process.waitUntilExit()
        return probe.process.terminationStatus == 0
    }()

    /// coturn's client pair (`-y`) over TCP (`-t`) and TLS (`-t -S`; `-S` alone is DTLS)
    /// through `icelab turn-server`: both allocate over their connections and relay to
    /// each other, every packet comes back, with channels and with Send indications (`-c`).
    @Test(.enabled(if: hasUclient, "coturn's turnutils_uclient is not installed (apt-get install coturn)"),
          .enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"),
          arguments: [["-t"], ["-t", "-c"], ["-t", "-S"], ["-t", "-S", "-c"]])
    func uclientOverStreamsThroughIcelabServer(options: [String]) async throws {
        let server = try await IcelabTURNServer.start(tls: true)
        defer { server.stop() }
        let port = options.contains("-S") ? server.tlsPort! : server.port
        let client = try Subprocess(Subprocess.find("turnutils_uclient")!, options + [
            "-y", "-u", "user", "-w", "secret", "-p", "\(port)", "-n", "20", "-m", "2", "-l", "120", "-z", "5", "127.0.0.1"])
        let status = await client.wait(seconds: 30)
        let output = client.text
        #expect(status == 0, "\(output.suffix(2000))")
        // Everything sent came back.
        let totals = Subprocess.uclientTotals(output)
        #expect(totals.map { $0.sent > 0 && $0.sent == $0.received } == true, "\(totals.map { "\($0)" } ?? "no totals")")
        let summary = await server.finish()
        #expect(!summary.contains("connections accepted=0") && summary.contains("open at stop=0"), "\(summary)")
        #expect(summary.contains("overflowed=0"), "\(summary)")
    }

    /// Two aioice agents restricted to relayed candidates connect through `icelab
    /// turn-server` over TCP (`turn_transport="tcp"`) and over TLS (`turn_ssl=True`,
    /// verifying the test's certificate, trusted through SSL_CERT_FILE) and exchange a
    /// message each way.
    @Test(.enabled(if: hasAioice, "python3 with aioice is missing: python3 -m pip install aioice"),
          .enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"),
          arguments: [TransportKind.tcp, .tls])
    func aioiceThroughIcelabServer(transport: TransportKind) async throws {
        let server = try await IcelabTURNServer.start(tls: transport == .tls)
        defer { server.stop() }
        let target = transport == .tls ? "127.0.0.1:\(server.tlsPort!)" : "127.0.0.1:\(server.port)"
        let trust = server.certificateFile.map { ["SSL_CERT_FILE=\($0)"] } ?? []
        let pair = try Subprocess("/usr/bin/env", trust + [
            "python3", Self.aioiceScript.path, "--server", target, "--transport", "tcp",
            "--username", "user", "--password", "secret", "--timeout", "20"] + (transport == .tls ? ["--ssl"] : []))
        let status = await pair.wait(seconds: 40)
        #expect(status == 0, "\(pair.text.suffix(2000))")
        #expect(pair.text.contains(#""received": ["from controlling", "from controlled"]"#), "\(pair.text.suffix(1000))")
        let summary = await server.finish()
        #expect(summary.contains("connections accepted=2"), "\(summary)")
    }

    /// Usage errors of the stream options exit 2 and say what is wrong.
    @Test(.enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"))
    func badStreamOptionsExitTwo() async throws {
        let base = ["turn-server", "--realm", "r", "--user", "u:p", "--duration", "1"]
        let cases: [([String], String)] = [
            (["--listen-tls", "127.0.0.1:5349"], "--listen-tls needs --cert FILE and --key FILE"),
            (["--listen", "127.0.0.1:3478", "--cert", "c.pem", "--key", "k.pem"], "--cert and --key are for --listen-tls"),
            (["--listen-tls", "127.0.0.1:5349", "--cert", "/nonexistent/c.pem", "--key", "/nonexistent/k.pem"], "cannot use --cert"),
            (["--listen-tcp", "127.0.0.1:3478", "--listen-tls", "127.0.0.1:3478", "--cert", "c", "--key", "k"], "cannot share a port"),
            (["--listen-tcp", "0.0.0.0:3478"], "need concrete addresses"),
            (["--listen-tcp", "127.0.0.1:3478", "--idle-timeout", "0"], "--idle-timeout must be"),
            (["--listen-tcp", "127.0.0.1:3478", "--max-connections-per-source", "0"], "--max-connections-per-source must be"),
            ([], "give at least one --listen"),
        ]
        for (arguments, message) in cases {
            let (status, _, stderr) = try await ChildProcess.run(IcelabExecutable.url!, base + arguments)
            #expect(status == 2 && stderr.contains(message), "\(arguments): exit \(status), \(stderr.prefix(300))")
        }
    }

    /// A connection that sends nothing is closed after `--idle-timeout`, one that sends
    /// garbage at once (on the TLS listener too: bytes that are no TLS record), and a
    /// source past `--max-connections-per-source` has its extra connection closed while
    /// the others stay.
    @Test(.enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"))
    func misbehavingConnectionsAreClosed() async throws {
        let server = try await IcelabTURNServer.start(["--idle-timeout", "2", "--max-connections-per-source", "3"], tls: true)
        defer { server.stop() }

        let notTLS = try await RawConnection.open(port: server.tlsPort!)
        try await notTLS.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
        #expect(await notTLS.waitForClose(seconds: 1), "plaintext kept its TLS connection")

        let silent = try await RawConnection.open(port: server.port)
        let opened = ContinuousClock.now
        let garbage = try await RawConnection.open(port: server.port)
        try await garbage.send(Array(repeating: 0xFF, count: 64))
        #expect(await garbage.waitForClose(seconds: 1), "garbage kept its connection")
        #expect(await !silent.waitForClose(seconds: 1), "the silent connection closed before its idle timeout")
        #expect(await silent.waitForClose(seconds: 5), "the silent connection was never closed")
        let idle = ContinuousClock.now - opened
        #expect(idle >= .milliseconds(1900) && idle < .seconds(5), "closed after \(idle)")

        var held: [RawConnection] = []
        for _ in 0..<3 { held.append(try await RawConnection.open(port: server.port)) }
        let extra = try await RawConnection.open(port: server.port)
        #expect(await extra.waitForClose(seconds: 1), "a fourth connection from one source was kept")
        for connection in held { #expect(connection.isOpen, "one of the three allowed connections closed early") }
        for connection in held { await connection.close() }

        let summary = await server.finish()
        #expect(summary.contains("refused=1") && summary.contains("timed out=") && !summary.contains("timed out=0"), "\(summary)")
        #expect(summary.contains("malformed="), "\(summary)")
    }
}

/// `icelab turn-server` on a free loopback port, over UDP and TCP (and TLS on a second
/// port), relaying between loopback clients; stopped with SIGTERM, its closing summary
/// read from stderr.
final class IcelabTURNServer: Sendable {
    let child: ChildProcess
    let port: UInt16
    let tlsPort: UInt16?
    private let certificates: TestCertificate?
    /// The PEM file of the TLS listener's certificate, for clients to trust.
    var certificateFile: String? { certificates?.certificateFile }

    private init(child: ChildProcess, port: UInt16, tlsPort: UInt16?, certificates: TestCertificate?) {
        self.child = child
        self.port = port
        self.tlsPort = tlsPort
        self.certificates = certificates
    }

    /// Starts the server (user `user:secret`, realm `icelab.test`) with `extra` options,
    /// with `tls` also on a TLS listener with a fresh certificate for 127.0.0.1, and
    /// waits until it listens on TCP.
    static func start(_ extra: [String] = [], tls: Bool = false) async throws -> IcelabTURNServer {
        // Another test may take a free port between the choice and the child's bind:
        // then the child exits and the server starts again on other ports.
        var lastPort: UInt16 = 0
        for _ in 0..<3 {
            let port = try await Subprocess.freeTCPAndUDPPort()
            lastPort = port
            var arguments = [
                "turn-server", "--listen", "127.0.0.1:\(port)", "--listen-tcp", "127.0.0.1:\(port)", "--realm", "icelab.test",
                "--user", "user:secret", "--relay-ports", "20000-39999", "--allow-peer", "127.0.0.0/8", "--duration", "600"] + extra
            var tlsPort: UInt16?, certificates: TestCertificate?
            if tls {
                let certificate = try TestCertificate()
                tlsPort = try await Subprocess.freeTCPAndUDPPort()
                arguments += ["--listen-tls", "127.0.0.1:\(tlsPort!)", "--cert", certificate.certificateFile, "--key", certificate.keyFile]
                certificates = certificate
            }
            let child = try ChildProcess(IcelabExecutable.url!, arguments)
            let server = IcelabTURNServer(child: child, port: port, tlsPort: tlsPort, certificates: certificates)
            let ports = [port] + (tlsPort.map { [$0] } ?? [])
            // Up to 60 s: beside the suite's long simulations a fresh process can take
            // more than 10 s to start listening (seen on CI).
            for _ in 0..<600 where !ports.allSatisfy(isListening) && child.process.isRunning {
                try await Task.sleep(for: .milliseconds(100))
            }
            if ports.allSatisfy(isListening) { return server }
            server.stop()
            _ = await child.exitStatus()
        }
        throw LiveError.cannotBind(Endpoint(.v4(.loopback), lastPort), errno: nil)
    }

    /// Whether a TCP socket listens on 127.0.0.1:`port` (state 0A in /proc/net/tcp).
    static func isListening(port: UInt16) -> Bool {
        let local = "0100007F:" + String(format: "%04X", port)
        let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").contains {
            let fields = $0.split(separator: " ")
            return fields.count > 3 && fields[1] == local && fields[3] == "0A"
        }
    }

    /// Stops the server (SIGTERM) and returns its last line, the counters at stop.
    func finish() async -> String {
        stop()
        let status = await child.exitStatus()
        let last = child.standardError.split(separator: "\n").last { $0.contains("stopped;") }.map(String.init)
        return status == 0 ? last ?? child.standardError.suffix(1500).description : "exit \(status): \(child.standardError.suffix(1500))"
    }

    func stop() {
        if child.process.isRunning { kill(child.process.processIdentifier, SIGTERM) }
    }
}

/// A self-signed certificate for 127.0.0.1 (`TLSIdentity.generate`, valid from an hour
/// ago for a day), written as PEM files to a fresh temporary directory, removed on deinit.
final class TestCertificate: Sendable {
    let identity: TLSIdentity
    let directory: URL
    var certificateFile: String { directory.appendingPathComponent("cert.pem").path }
    var keyFile: String { directory.appendingPathComponent("key.pem").path }

    init() throws {
        var rng = Xoshiro256(seed: UInt64.random(in: .min ... .max))
        identity = try TLSIdentity.generate(commonName: "127.0.0.1", subjectAltNames: ["127.0.0.1"],
                                            notBefore: Int64(Date().timeIntervalSince1970) - 3600, validity: .seconds(86_400), rng: &rng)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try identity.certificatePEM.write(toFile: certificateFile, atomically: true, encoding: .utf8)
        try identity.privateKeyPEM.write(toFile: keyFile, atomically: true, encoding: .utf8)
    }

    /// A server context with this certificate.
    func serverContext() throws -> TLSContext {
        try TLSContext(TLSConfiguration(role: .server, identity: identity))
    }

    /// A client context that trusts this certificate alone, for 127.0.0.1.
    func clientContext() throws -> TLSContext {
        try TLSContext(TLSConfiguration(role: .client, trusted: [identity.certificate], serverName: "127.0.0.1"))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// A raw TCP connection to a loopback port, for feeding a server what a client should not.
final class RawConnection: Sendable {
    let channel: Channel

    private init(channel: Channel) { self.channel = channel }

    static func open(port: UInt16) async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: Int(port)).get()
        return RawConnection(channel: channel)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    var isOpen: Bool { channel.isActive }

    /// Waits up to `seconds` for the server to close the connection; whether it did.
    func waitForClose(seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while channel.isActive && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return !channel.isActive
    }

    func close() async { try? await channel.close() }
}
