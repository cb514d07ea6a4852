import Foundation
import NIOCore
import NIOPosix
import NetTypes
import TestSupport
import Testing
import TURN
@testable import Live

/// TURN over TCP on loopback: `icelab turn-server` with `--listen-tcp` against coturn's
/// client and aioice, and its bounds against connections that misbehave. Each test starts
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

    /// coturn's client pair (`-y`) over TCP (`-t`) through `icelab turn-server`: both
    /// allocate over their connections and relay to each other, every packet comes back,
    /// with channels and with Send indications (`-c`).
    @Test(.enabled(if: hasUclient, "coturn's turnutils_uclient is not installed (apt-get install coturn)"),
          .enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"),
          arguments: [[], ["-c"]])
    func uclientOverTCPThroughIcelabServer(extra: [String]) async throws {
        let server = try await IcelabTURNServer.start()
        defer { server.stop() }
        let client = try Subprocess(Subprocess.find("turnutils_uclient")!, [
            "-t", "-y", "-u", "user", "-w", "secret", "-p", "\(server.port)", "-n", "20", "-m", "2", "-l", "120", "-z", "5"]
            + extra + ["127.0.0.1"])
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

    /// Two aioice agents restricted to relayed candidates (`turn_transport="tcp"`) connect
    /// through `icelab turn-server` and exchange a message each way.
    @Test(.enabled(if: hasAioice, "python3 with aioice is missing: python3 -m pip install aioice"),
          .enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"))
    func aioiceOverTCPThroughIcelabServer() async throws {
        let server = try await IcelabTURNServer.start()
        defer { server.stop() }
        let pair = try Subprocess("/usr/bin/env", [
            "python3", Self.aioiceScript.path, "--server", "127.0.0.1:\(server.port)", "--transport", "tcp",
            "--username", "user", "--password", "secret", "--timeout", "20"])
        let status = await pair.wait(seconds: 40)
        #expect(status == 0, "\(pair.text.suffix(2000))")
        #expect(pair.text.contains(#""received": ["from controlling", "from controlled"]"#), "\(pair.text.suffix(1000))")
        let summary = await server.finish()
        #expect(summary.contains("connections accepted=2"), "\(summary)")
    }

    /// A connection that sends nothing is closed after `--idle-timeout`, one that sends
    /// garbage at once, and a source past `--max-connections-per-source` has its extra
    /// connection closed while the others stay.
    @Test(.enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"))
    func misbehavingConnectionsAreClosed() async throws {
        let server = try await IcelabTURNServer.start(["--idle-timeout", "2", "--max-connections-per-source", "3"])
        defer { server.stop() }

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

/// `icelab turn-server` on a free loopback port, over UDP and TCP, relaying between
/// loopback clients; stopped with SIGTERM, its closing summary read from stderr.
final class IcelabTURNServer: Sendable {
    let child: ChildProcess
    let port: UInt16

    private init(child: ChildProcess, port: UInt16) {
        self.child = child
        self.port = port
    }

    /// Starts the server (user `user:secret`, realm `icelab.test`) with `extra` options
    /// and waits until it listens on TCP.
    static func start(_ extra: [String] = []) async throws -> IcelabTURNServer {
        let port = try await Subprocess.freeTCPAndUDPPort()
        let child = try ChildProcess(IcelabExecutable.url!, [
            "turn-server", "--listen", "127.0.0.1:\(port)", "--listen-tcp", "127.0.0.1:\(port)", "--realm", "icelab.test",
            "--user", "user:secret", "--relay-ports", "20000-39999", "--allow-peer", "127.0.0.0/8", "--duration", "120"] + extra)
        let server = IcelabTURNServer(child: child, port: port)
        for _ in 0..<100 where !isListening(port: port) { try await Task.sleep(for: .milliseconds(100)) }
        guard isListening(port: port) else {
            server.stop()
            _ = await child.exitStatus()
            throw LiveError.cannotBind(Endpoint(.v4(.loopback), port), errno: nil)
        }
        return server
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
