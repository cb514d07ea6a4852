import Foundation
import NetTypes
import STUN
import TestSupport
import Testing
import TURN
@testable import Live

/// Operating `icelab turn-server` and `stun-server`: config files and their errors, REST
/// credentials from `icelab turn-credentials`, structured logs without secrets, metrics,
/// and the graceful shutdown on SIGTERM.
@Suite(.serialized, .liveNetwork) struct ServerOperationsTests {
    static let hasIcelab = IcelabExecutable.url != nil
    static let loopback = IPAddress.v4(.loopback)

    /// A config file in a fresh temporary directory, removed with the directory by `cleanup`.
    static func configFile(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("server.yaml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    static func cleanup(_ file: String) { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }

    /// Bad config files: exit 2 before anything listens, the message at the offending key or value.
    @Test(.enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"), arguments: [
        ("realm: r\nuser: [u:p]\nlisten: 127.0.0.1:1\nrelay-port: 1-2\n", "4:1", "unknown option 'relay-port' for turn-server (did you mean 'relay-ports'?)"),
        ("realm: r\nuser: u:p\nlisten: 127.0.0.1:1\nmax-allocations: lots\n", "4:18", "The value 'lots' is invalid for '--max-allocations"),
        ("realm: [a, b]\nuser: u:p\nlisten: 127.0.0.1:1\n", "1:8", "'realm' takes one value, found a list"),
        ("realm: r\nuser: u:p\nlisten:\n  - 127.0.0.1:1\n  - nowhere\n", "5:5", "The value 'nowhere' is invalid for '--listen"),
        ("realm: r\nuser: u:p\nlisten: 127.0.0.1:1\nmin-lifetime: 900\nmax-lifetime: 60\n", "4:15", "lifetimes need 1 <= --min-lifetime <= --max-lifetime"),
        ("realm: r\nuser: u:p\nlisten: 127.0.0.1:1\nidle-timeout:\n", "4:14", "'idle-timeout' needs a value"),
        ("realm: r\n  user: u:p\n", "2:7", "YAML"),
    ])
    func badConfigFilesArePositionedErrors(yaml: String, position: String, message: String) async throws {
        let file = try Self.configFile(yaml)
        defer { Self.cleanup(file) }
        let (status, _, stderr) = try await ChildProcess.run(IcelabExecutable.url!, ["turn-server", "--config", file, "--duration", "0"])
        #expect(status == 2, "\(stderr)")
        #expect(stderr.hasPrefix("\(file):\(position): "), "\(stderr)")
        #expect(stderr.contains(message), "\(stderr)")
        #expect(!stderr.contains("listening on"))
    }

    /// The file stands for the flags; a flag given overrides the file's value (lists too).
    @Test(.enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"))
    func configFileValuesAndCommandLineOverrides() async throws {
        let first = try await Subprocess.freePort(), second = try await Subprocess.freePort()
        let file = try Self.configFile("""
            # a TURN server
            listen: [127.0.0.1:\(first)]
            realm: file-realm
            user:
              - alice:alice-pw
              - bob:bob-pw
            relay-ports: 40000-40999
            allow-peer: 127.0.0.0/8
            duration: 0.2
            """)
        defer { Self.cleanup(file) }
        let (status, _, stderr) = try await ChildProcess.run(IcelabExecutable.url!, [
            "turn-server", "--config", file, "--realm", "cli-realm", "--listen", "127.0.0.1:\(second)"])
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("listening on 127.0.0.1:\(second) (udp) realm cli-realm, 2 user(s), relay ports 40000-40999, allowed peers 127.0.0.0/8"),
                "\(stderr)")
        let stun = try Self.configFile("listen: 127.0.0.1:\(first)\nsoftware: from-file\nduration: 0.2\nlog-level: debug\nlog-format: json\n")
        defer { Self.cleanup(stun) }
        let (stunStatus, _, stunErrors) = try await ChildProcess.run(IcelabExecutable.url!, ["stun-server", "--config", stun])
        #expect(stunStatus == 0, "\(stunErrors)")
        #expect(stunErrors.contains("stun-server: listening on 127.0.0.1:\(first)"), "\(stunErrors)")
        #expect(stunErrors.contains("\"level\":\"debug\",\"logger\":\"stun-server\",\"msg\":\"listening\""), "\(stunErrors)")
    }

    /// Starts `icelab turn-server` on free ports with metrics; waits until /metrics answers.
    static func startServer(_ extra: [String]) async throws -> (ChildProcess, Endpoint, URL) {
        let port = try await Subprocess.freePort(), metricsPort = try await Subprocess.freeTCPAndUDPPort()
        let child = try ChildProcess(IcelabExecutable.url!, [
            "turn-server", "--listen", "127.0.0.1:\(port)", "--realm", "icelab.test", "--relay-ports", "20000-39999",
            "--allow-peer", "127.0.0.0/8", "--metrics", "127.0.0.1:\(metricsPort)", "--duration", "600"] + extra)
        let url = URL(string: "http://127.0.0.1:\(metricsPort)/metrics")!
        for _ in 0..<100 {
            if (try? await PrometheusText.fetch(url))?.status == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (child, Endpoint(loopback, port), url)
    }

    static func metrics(_ url: URL) async -> PrometheusText { PrometheusText((try? await PrometheusText.fetch(url))?.body ?? "") }

    static func allocation(_ server: Endpoint, _ username: String, _ password: String) async throws -> (LiveClient, TURNClientEvent?) {
        let client = try await LiveClient.start(server: server, username: username, password: password)
        let outcome = await client.waitFor { if case .allocated = $0 { true } else if case .allocationFailed = $0 { true } else { false } }
        return (client, outcome)
    }

    /// REST credentials printed by `icelab turn-credentials` allocate; expired or wrongly
    /// signed ones get 401 and count as auth failures. With trace-level JSON logs, no
    /// line holds a password, a REST secret or a REST password.
    @Test(.enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"))
    func restCredentialsAllocateExpiredOnesDoNotAndLogsHoldNoSecrets() async throws {
        let secret = "Sup3rS3cretRestValue", staticPassword = "Stat1cPasswordValue"
        let secrets = try Self.configFile("# the secret being rotated out\n\nolder-secret-being-rotated\n")
        defer { Self.cleanup(secrets) }
        let (server, listen, url) = try await Self.startServer([
            "--auth-secret-file", secrets, "--auth-secret", secret, "--user", "carol:\(staticPassword)",
            "--log-level", "trace", "--log-format", "json"])
        defer { kill(server.process.processIdentifier, SIGKILL) }
        let (status, printed, errors) = try await ChildProcess.run(IcelabExecutable.url!, [
            "turn-credentials", "--secret", secret, "--ttl", "300", "--user", "alice", "--json", "--url", "turn:\(listen)"])
        #expect(status == 0, "\(errors)")
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any])
        let username = try #require(entry["username"] as? String), password = try #require(entry["credential"] as? String)
        #expect(entry["urls"] as? [String] == ["turn:\(listen)"])
        #expect(username.hasSuffix(":alice") && TURNRESTCredential(username: username)!.password(secret: secret) == password)

        let (good, granted) = try await Self.allocation(listen, username, password)
        guard case .allocated = granted else { Issue.record("REST allocation: \(String(describing: granted))"); return }
        let expired = TURNRESTCredential(expiry: Int64(Date().timeIntervalSince1970) - 5, user: "bob")
        let (late, refused) = try await Self.allocation(listen, expired.username, expired.password(secret: secret))
        let rotated = TURNRESTCredential(expiry: Int64(Date().timeIntervalSince1970) + 60, user: "dave")
        let (old, oldOutcome) = try await Self.allocation(listen, rotated.username, rotated.password(secret: "older-secret-being-rotated"))
        guard case .allocated = oldOutcome else { Issue.record("secret from the file: \(String(describing: oldOutcome))"); return }
        guard case .allocationFailed(.error(let code))? = refused else { Issue.record("expired: \(String(describing: refused))"); return }
        #expect(code.code == 401)
        let (static_, staticOutcome) = try await Self.allocation(listen, "carol", staticPassword)
        guard case .allocated = staticOutcome else { Issue.record("static user: \(String(describing: staticOutcome))"); return }
        let text = await Self.metrics(url)
        #expect((text.value("icelab_turn_auth_failures_total") ?? 0) >= 1)
        #expect(text.value("icelab_turn_allocations_active") == 3)
        for client in [good, late, old, static_] { await client.driver.close() }

        kill(server.process.processIdentifier, SIGTERM)
        #expect(await server.exitStatus() == 0)
        let log = server.standardError
        for secretText in [secret, "older-secret-being-rotated", staticPassword, password, expired.password(secret: secret)] {
            #expect(!log.contains(secretText), "a secret in the log")
        }
        let events = log.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(events.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }, "every event line is JSON")
        #expect(events.contains { $0.contains("\"msg\":\"allocation created\"") && $0.contains("\"user\":\"\(username)\"") }, "\(log.suffix(1500))")
        #expect(log.contains("turn-server: stopped; "))
    }

    /// SIGTERM with --drain-seconds: the TCP listener closes and new allocations get 508
    /// while the existing one runs on; once it is released the server stops without
    /// waiting out the drain time.
    @Test(.enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"))
    func drainRefusesNewAllocationsAndEndsWhenTheLastIsReleased() async throws {
        let tcpPort = try await Subprocess.freeTCPAndUDPPort()
        let (server, listen, url) = try await Self.startServer(["--user", "u:p", "--drain-seconds", "60", "--listen-tcp", "127.0.0.1:\(tcpPort)"])
        #expect(IcelabTURNServer.isListening(port: tcpPort))
        defer { kill(server.process.processIdentifier, SIGKILL) }
        let (first, outcome) = try await Self.allocation(listen, "u", "p")
        guard case .allocated = outcome else { Issue.record("\(String(describing: outcome))"); return }
        kill(server.process.processIdentifier, SIGTERM)
        var text = await Self.metrics(url)
        for _ in 0..<50 where text.value("icelab_turn_draining") != 1 {
            try await Task.sleep(for: .milliseconds(100))
            text = await Self.metrics(url)
        }
        #expect(text.value("icelab_turn_draining") == 1)
        #expect(!IcelabTURNServer.isListening(port: tcpPort), "no new connections while draining")
        let (second, refused) = try await Self.allocation(listen, "u", "p")
        guard case .allocationFailed(.error(let code))? = refused else { Issue.record("\(String(describing: refused))"); return }
        #expect(code.code == 508)
        try await first.withCore { core, now in core.release(now: now) }
        #expect(await first.waitFor { $0 == .deallocated } != nil)
        #expect(await server.exitStatus() == 0)
        #expect(server.standardError.contains("turn-server: draining: new allocations refused (508), 1 allocation(s)"), "\(server.standardError)")
        #expect(server.standardError.contains("allocations total=1 active=0"), "\(server.standardError)")
        for client in [first, second] { await client.driver.close() }
    }

    /// A second signal ends the drain at once, allocations or not.
    @Test(.enabled(if: hasIcelab, "the icelab executable is not next to the test bundle (swift build first)"))
    func aSecondSignalStopsAtOnce() async throws {
        let (server, listen, url) = try await Self.startServer(["--user", "u:p", "--drain-seconds", "3600"])
        defer { kill(server.process.processIdentifier, SIGKILL) }
        let (client, outcome) = try await Self.allocation(listen, "u", "p")
        guard case .allocated = outcome else { Issue.record("\(String(describing: outcome))"); return }
        kill(server.process.processIdentifier, SIGTERM)
        for _ in 0..<50 where await Self.metrics(url).value("icelab_turn_draining") != 1 { try await Task.sleep(for: .milliseconds(100)) }
        kill(server.process.processIdentifier, SIGINT)
        #expect(await server.exitStatus() == 0)
        #expect(server.standardError.contains("allocations total=1 active=1"), "\(server.standardError)")
        await client.driver.close()
    }
}
