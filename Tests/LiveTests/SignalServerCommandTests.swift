import Foundation
import Live
import NetTypes
import Signaling
import TURN
import TestSupport
import Testing

/// `icelab signal-server` as deployed: options from a `--config` file, `/config` with REST
/// credentials for the secret read from `--turn-secret-file` (never printed), Prometheus
/// metrics, the stop line; bad options exit 2 before anything listens.
@Suite(.liveNetwork, .enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct SignalServerCommandTests {
    @Test func configFileSecretFileAndMetrics() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secretFile = directory.appendingPathComponent("secret").path
        try "# rotated weekly\nfile-secret\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("signal.yaml").path
        try """
            listen: 127.0.0.1:0
            stun: [stun:127.0.0.1:3478]
            turn: ["turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"]
            turn-secret-file: \(secretFile)
            credential-ttl: 120
            room-size: 3
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let server = try ChildProcess(IcelabExecutable.url!, ["signal-server", "--config", config, "--metrics", "127.0.0.1:0", "--duration", "600"])
        defer { kill(server.process.processIdentifier, SIGKILL) }
        for _ in 0..<300 where !server.standardError.contains("signal-server: serving") { try await Task.sleep(for: .milliseconds(100)) }
        let line = try #require(server.standardError.split(separator: "\n").first { $0.contains("signal-server: serving") }, "\(server.standardError)")
        #expect(line.contains("ICE servers /config: 1 STUN, 2 TURN URL(s)), rooms of 3, metrics on http://127.0.0.1:"), "\(line)")
        // The serving line names the ports the kernel chose (both listen on port 0).
        let urls = line.split(separator: " ").filter { $0.hasPrefix("http://127.0.0.1:") }.map { String($0.trimmingCharacters(in: CharacterSet(charactersIn: "/,)"))) }
        try #require(urls.count == 2, "\(line)")
        let served = try await LoopbackHTTP.get(urls[0] + "/config")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(served.body)) as? [String: Any])
        let servers = try #require(json["iceServers"] as? [[String: Any]])
        #expect(servers.first?["urls"] as? [String] == ["stun:127.0.0.1:3478"])
        #expect(servers.last?["urls"] as? [String] == ["turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"])
        let username = try #require(servers.last?["username"] as? String)
        #expect(servers.last?["credential"] as? String == TURNRESTCredential(username: username)?.password(secret: "file-secret"))
        let metrics = try await LoopbackHTTP.get(urls[1] + (urls[1].hasSuffix("/metrics") ? "" : "/metrics"))
        #expect(metrics.text.contains("icelab_signal_clients 0"), "\(metrics.text)")
        kill(server.process.processIdentifier, SIGTERM)
        #expect(await server.exitStatus() == 0)
        #expect(server.standardError.contains("rooms of 3") && server.standardError.contains("signal-server: stopped;"), "\(server.standardError)")
        #expect(!server.standardError.contains("file-secret"), "the secret is never printed")
    }

    @Test(arguments: [
        (["--turn", "turn:127.0.0.1:3478"], "--turn needs --turn-secret"),
        (["--stun", "http://x"], "a stun: or stuns: URL"),
        (["--cert", "/nonexistent.pem"], "--cert and --key go together"),
        (["--room-size", "1"], "--room-size must be between 2 and 64"),
        (["--turn", "turn:x", "--turn-secret-file", "/nonexistent"], "cannot read --turn-secret-file"),
    ])
    func badOptionsExitTwo(arguments: [String], message: String) async throws {
        let (status, _, errors) = try await ChildProcess.run(IcelabExecutable.url!, ["signal-server", "--listen", "127.0.0.1:0", "--duration", "0"] + arguments)
        #expect(status == 2 && errors.contains(message), "\(errors)")
    }

    /// `ice-peer --signal`: the options it needs, and a room it cannot join (full) is bad usage.
    @Test func icePeerSignalOptionsAndAFullRoom() async throws {
        let icelab = IcelabExecutable.url!
        let (status, _, errors) = try await ChildProcess.run(icelab, ["ice-peer", "--role", "controlled", "--signal", "127.0.0.1:1"])
        #expect(status == 2 && errors.contains("--signal and --room go together"), "\(errors)")
        let (dtls, _, dtlsErrors) = try await ChildProcess.run(icelab, ["ice-peer", "--role", "controlling", "--signal", "127.0.0.1:1", "--room", "r"])
        #expect(dtls == 2 && dtlsErrors.contains("--role controlled"), "\(dtlsErrors)")

        var limits = SignalingLimits()
        limits.roomSize = 2
        let server = try await LiveSignalServer.start(.init(listen: Endpoint(.v4(.loopback), 0), limits: limits))
        let first = try await SignalingClient.connect(to: server.endpoint), second = try await SignalingClient.connect(to: server.endpoint)
        for client in [first, second] {
            try await client.send(#"{"type":"join","room":"full"}"#)
            _ = await client.nextMessage()
        }
        let (full, _, fullErrors) = try await ChildProcess.run(icelab, ["ice-peer", "--role", "controlled", "--signal", "\(server.endpoint)",
                                                                       "--room", "full", "--timeout", "5"])
        #expect(full == 2 && fullErrors.contains("cannot join room full: room full"), "\(fullErrors)")
        for client in [first, second] { await client.close() }
        await server.stop()
    }
}
