import Foundation
import NetTypes
import TLS
import TestSupport
import Testing
@testable import Live

/// The demo page of `signal-server` in headless Chromium (fake camera and microphone).
/// Two browsers join one room on a loopback `LiveSignalServer`, connect relay only through
/// `icelab turn-server --auth-secret` with the REST credentials `/config` hands out, and
/// one sends a random file over the data channel whose SHA-256 both pages compute. The
/// page is also screenshotted over HTTPS and joins over WSS, without console errors.
/// The pages report their events (`report=` query parameter) to a test route.
@Suite(.serialized, .bulkTransfer,
       .enabled(if: Chromium.executable != nil, "chromium is missing (Debian package chromium)"),
       .enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct ChromiumSignalingTests {
    static let timeout = 60.0
    static let fileSize = 1_048_576 + 4_321

    /// What each page reported, in order.
    final class PageEvents: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [String: [[String: Any]]] = [:]

        func add(_ page: String, _ body: [UInt8]) {
            guard let event = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return }
            lock.withLock { events[page, default: []].append(event) }
        }

        func all(_ page: String) -> [[String: Any]] { lock.withLock { events[page] ?? [] } }

        /// The first event of `page` named `name`, waiting up to `seconds` (nil at once
        /// when the page reported an error).
        func first(_ page: String, _ name: String, within seconds: Double) async -> [String: Any]? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let seen = all(page)
                if let event = seen.first(where: { $0["event"] as? String == name }) { return event }
                if seen.contains(where: { $0["event"] as? String == "error" }) { return nil }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return nil
        }
    }

    /// The signal server with the pages' report route (`POST /report/PAGE`).
    static func signalServer(_ events: PageEvents, iceServers: ICEServerConfiguration = ICEServerConfiguration(),
                             tls: TLSContext? = nil) async throws -> LiveSignalServer {
        try await LiveSignalServer.start(.init(listen: Endpoint(.v4(.loopback), 0), iceServers: iceServers, tls: tls)) { request in
            guard request.method == .POST, request.path.hasPrefix("/report/") else { return nil }
            events.add(String(request.path.dropFirst("/report/".count)), request.body)
            return .init(text: "ok\n")
        }
    }

    /// `icelab turn-server` with REST secret `secret` on a free loopback port, relaying to
    /// loopback; returns once its metrics answer.
    static func turnServer(secret: String) async throws -> (ChildProcess, port: UInt16, metrics: URL) {
        let port = try LoopbackAddress.freeTCPAndUDPPort(), metricsPort = try LoopbackAddress.freeTCPAndUDPPort()
        let child = try ChildProcess(IcelabExecutable.url!, [
            "turn-server", "--listen", "127.0.0.1:\(port)", "--realm", "icelab.test", "--auth-secret", secret,
            "--allow-peer", "127.0.0.0/8", "--relay-ports", "40000-49999", "--metrics", "127.0.0.1:\(metricsPort)", "--duration", "600"])
        let metrics = URL(string: "http://127.0.0.1:\(metricsPort)/metrics")!
        for _ in 0..<100 {
            if (try? await LoopbackHTTP.get(metrics.absoluteString))?.status == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (child, port, metrics)
    }

    /// Headless Chromium on `url` with a fresh profile; `stop` kills it and removes the profile.
    static func browser(_ url: String, extraFlags: [String] = []) throws -> (ChildProcess, stop: () async -> Void) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-chromium-\(UUID().uuidString)")
        let child = try ChildProcess(try #require(Chromium.executable), ChromiumDTLSInteropTests.flags(profile: profile) + extraFlags + [url])
        return (child, {
            child.process.terminate()
            _ = await child.exitStatus()
            try? FileManager.default.removeItem(at: profile)
        })
    }

    @Test func twoPagesConnectRelayOnlyThroughTURNWithRESTCredentialsAndTransferAFile() async throws {
        let secret = "rest-\(UUID().uuidString)"
        let (turn, turnPort, metrics) = try await Self.turnServer(secret: secret)
        defer { kill(turn.process.processIdentifier, SIGKILL) }
        let events = PageEvents()
        let iceServers = ICEServerConfiguration(turnURLs: ["turn:127.0.0.1:\(turnPort)?transport=udp"], turnSecret: secret, credentialTTL: 600)
        let server = try await Self.signalServer(events, iceServers: iceServers)
        let base = "http://\(server.endpoint)/?room=relay-test&join=1&relay=1"
        var stops: [() async -> Void] = []
        var failure: (any Error)?
        do {
            stops.append(try Self.browser(base + "&send=\(Self.fileSize)&report=/report/a").stop)
            #expect(await events.first("a", "joined", within: Self.timeout) != nil, "page a did not join: \(events.all("a"))")
            stops.append(try Self.browser(base + "&report=/report/b").stop)
            for page in ["a", "b"] {
                let connected = await events.first(page, "connected", within: Self.timeout)
                #expect(connected?["local"] as? String == "relay" && connected?["remote"] as? String == "relay",
                        "page \(page): \(events.all(page))")
            }
            let sent = try #require(await events.first("a", "file-sent", within: Self.timeout), "\(events.all("a"))")
            let received = try #require(await events.first("b", "file-received", within: Self.timeout), "\(events.all("b"))")
            #expect(sent["bytes"] as? Int == Self.fileSize && received["bytes"] as? Int == Self.fileSize)
            #expect(received["sha256"] as? String == sent["sha256"] as? String && (sent["sha256"] as? String)?.count == 64)
            #expect(await events.first("b", "track", within: Self.timeout) != nil, "page b got no remote media")
            let text = try await LoopbackHTTP.get(metrics.absoluteString).text
            let allocations = text.split(separator: "\n").first { $0.hasPrefix("icelab_turn_allocations_active ") }
            #expect(allocations.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 >= 2 } == true, "\(allocations ?? "no gauge")")
            for page in ["a", "b"] {
                let errors = events.all(page).filter { ["error", "signaling-error"].contains($0["event"] as? String) }
                #expect(errors.isEmpty, "page \(page): \(errors)")
            }
            #expect(server.counters().refused.isEmpty && server.counters().relayed > 4)
        } catch { failure = error }
        for stop in stops { await stop() }
        await server.stop()
        kill(turn.process.processIdentifier, SIGTERM)
        _ = await turn.exitStatus()
        if let failure { throw failure }
    }

    /// `icelab ice-peer --signal` joins the page's room after it and answers its offer
    /// (send-only Opus audio and the page's negotiated data channels accepted, video
    /// rejected); the page receives icelab's audio packets, sends a random file on its
    /// `files` channel, ice-peer echoes it, the page hashes the echo, and ice-peer, ending
    /// when the page leaves, reports the same SHA-256.
    @Test func thePageTalksToIcelabICEPeerThroughTheRoom() async throws {
        let events = PageEvents()
        let server = try await Self.signalServer(events)
        let (_, stopBrowser) = try Self.browser("http://\(server.endpoint)/?room=icelab&join=1&send=\(Self.fileSize)&report=/report/p")
        var failure: (any Error)?
        var peer: ChildProcess?
        do {
            #expect(await events.first("p", "joined", within: Self.timeout) != nil, "\(events.all("p"))")
            peer = try ChildProcess(IcelabExecutable.url!, ["ice-peer", "--role", "controlled", "--signal", "\(server.endpoint)",
                                                            "--room", "icelab", "--timeout", "30"])
            let connected = await events.first("p", "connected", within: Self.timeout)
            #expect(connected?["local"] as? String == "host", "\(events.all("p"))")
            let sent = try #require(await events.first("p", "file-sent", within: Self.timeout), "\(events.all("p"))")
            let echoed = try #require(await events.first("p", "file-received", within: Self.timeout), "\(events.all("p"))")
            #expect(echoed["bytes"] as? Int == Self.fileSize && echoed["sha256"] as? String == sent["sha256"] as? String)
            let media = await events.first("p", "media", within: Self.timeout)
            #expect(media?["kind"] as? String == "audio" && (media?["packets"] as? Int ?? 0) > 0, "icelab's audio: \(events.all("p"))")
        } catch { failure = error }
        await stopBrowser()
        await server.stop()
        if let peer {
            let watchdog = Task {
                try await Task.sleep(for: .seconds(Self.timeout))
                peer.process.terminate()
            }
            let status = await peer.exitStatus()
            watchdog.cancel()
            #expect(status == 0, "\(peer.standardError)")
            let lines = peer.standardOutput.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            let files = lines.first { $0["channel"] as? String == "files" && $0["sha256"] != nil }
            let sent = events.all("p").first { $0["event"] as? String == "file-sent" }
            #expect(files?["received_bytes"] as? Int == Self.fileSize && files?["sha256"] as? String == sent?["sha256"] as? String,
                    "\(peer.standardOutput)")
        }
        if let failure { throw failure }
    }

    /// Console errors and failed requests in Chromium's log (`--enable-logging=stderr`).
    static func logProblems(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter { line in
            (line.contains("CONSOLE") && (line.contains("ERROR") || line.contains("Uncaught"))) || line.contains("net::ERR_")
        }
    }

    /// The page over HTTPS: a screenshot (a PNG of the window's size, not blank) without
    /// console errors; then a browser that joins a room over WSS with the fake camera
    /// running (the page's `joined` report), again without console errors. (A screenshot
    /// run's virtual time does not wait for the WebSocket, so joining is checked apart.)
    @Test func thePageRendersOverHTTPSAndJoinsOverWSSWithoutConsoleErrors() async throws {
        let identity = try TLSIdentity.generate(commonName: "localhost", subjectAltNames: ["127.0.0.1"],
                                                notBefore: Int64(Date().timeIntervalSince1970) - 60, validity: .seconds(3_600), randomness: .system)
        let events = PageEvents()
        let server = try await Self.signalServer(events, tls: try TLSContext(TLSConfiguration(role: .server, identity: identity)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-shot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let png = directory.appendingPathComponent("page.png")
        let logging = ["--enable-logging=stderr", "--v=0", "--ignore-certificate-errors"]
        // No --remote-debugging-port here: with it, a --screenshot run does not exit.
        let shot = try ChildProcess(try #require(Chromium.executable), [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)", "--virtual-time-budget=2000", "--window-size=1280,900",
            "--screenshot=\(png.path)"] + logging + ["https://\(server.endpoint)/?room=shot"])
        let watchdog = Task {
            try await Task.sleep(for: .seconds(Self.timeout))
            shot.process.terminate()
        }
        let status = await shot.exitStatus()
        watchdog.cancel()
        let log = shot.standardError
        #expect(status == 0, "\(log.suffix(2_000))")
        let image = try Data(contentsOf: png)
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]) && image.count > 20_000, "\(image.count) bytes: blank?")
        let width = image.count > 24 ? image[16..<20].reduce(0) { $0 << 8 | Int($1) } : 0
        let height = image.count > 24 ? image[20..<24].reduce(0) { $0 << 8 | Int($1) } : 0
        #expect(width == 1280 && height == 900)
        #expect(Self.logProblems(log).isEmpty, "\(Self.logProblems(log))")

        let (browser, stop) = try Self.browser("https://\(server.endpoint)/?room=secure&join=1&report=/report/wss", extraFlags: logging)
        let joined = await events.first("wss", "joined", within: Self.timeout)
        await stop()
        await server.stop()
        #expect(joined?["room"] as? String == "secure", "the page did not join over WSS: \(events.all("wss"))")
        #expect(events.all("wss").allSatisfy { $0["event"] as? String != "error" }, "\(events.all("wss"))")
        #expect(Self.logProblems(browser.standardError).isEmpty, "\(Self.logProblems(browser.standardError))")
    }
}
