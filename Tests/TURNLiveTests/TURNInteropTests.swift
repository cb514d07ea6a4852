import Foundation
import NetTypes
import TestSupport
import Testing
import TURN
@testable import Live

/// Interop with coturn on loopback, both ways. Shown as skipped without coturn.
@Suite(.serialized, .liveNetwork, .enabled(if: Subprocess.find("turnserver") != nil && Subprocess.find("turnutils_uclient") != nil,
                             "coturn is not installed (apt-get install coturn; .ci/setup does)"))
struct TURNCoturnInteropTests {

    /// coturn's client allocates, permits, binds channels (and, with -s, uses Send
    /// indications) and relays between two of its clients through icelab's server.
    @Test(arguments: [["-c"], ["-c", "-s"], []])
    func uclientThroughIcelabServer(extra: [String]) async throws {
        let uclient = try #require(Subprocess.find("turnutils_uclient"))
        let port = try await Subprocess.freePort()
        let loopback = IPAddress.v4(.loopback)
        let configuration = TURNServerConfiguration(
            listening: [Endpoint(loopback, port)], realm: "icelab.test", users: ["user": "secret"], relayPorts: 20000...39999,
            peerPolicy: TURNPeerPolicy(allow: [IPPrefix(loopback, length: 8)]))
        let server = try await LiveTURNServer.start(configuration)
        defer { Task { await server.stop() } }
        let client = try Subprocess(uclient, ["-y", "-u", "user", "-w", "secret", "-p", "\(port)", "-n", "20", "-m", "2",
                                              "-l", "120", "-z", "5"] + extra + ["127.0.0.1"])
        let status = await client.wait(seconds: 20)
        let output = client.text
        #expect(status == 0, "\(output.suffix(2000))")
        // Everything sent came back.
        let totals = Subprocess.uclientTotals(output)
        #expect(totals.map { $0.sent > 0 && $0.sent == $0.received } == true, "\(totals.map { "\($0)" } ?? "no totals")")
        let sent = totals?.sent ?? 0
        let counters = await server.counters()
        #expect(counters.packetsToPeers >= sent && counters.packetsToClients >= sent, "\(counters)")
        #expect(counters.allocationsTotal >= 2)
        await server.stop()
    }

    /// icelab's client allocates on coturn's server (over UDP, over TCP on the same port,
    /// where coturn listens too, and over TLS on coturn's TLS port with a certificate made
    /// for the test, which the client verifies) and two such clients talk through it,
    /// first in Send/Data indications, then over channels.
    @Test(arguments: [TransportKind.udp, .tcp, .tls])
    func icelabClientThroughCoturn(transport: TransportKind) async throws {
        let turnserver = try #require(Subprocess.find("turnserver"))
        let port = try await Subprocess.freeTCPAndUDPPort()
        let tlsPort = try await Subprocess.freeTCPAndUDPPort()
        let certificate = try TestCertificate()
        let server = try Subprocess(turnserver, [
            "-n", "--no-cli", "--no-dtls", "--listening-ip", "127.0.0.1", "--listening-port", "\(port)",
            "--tls-listening-port", "\(tlsPort)", "--cert", certificate.certificateFile, "--pkey", certificate.keyFile,
            "--relay-ip", "127.0.0.1", "--min-port", "43000", "--max-port", "43999", "--lt-cred-mech", "--user", "user:secret",
            "--realm", "coturn.test", "--allow-loopback-peers", "--log-file", "stdout", "--simple-log",
            "--userdb", "/tmp/icelab-coturn-\(port).db", "--pidfile", "/tmp/icelab-coturn-\(port).pid"])
        defer {
            server.stop()
            for suffix in ["db", "pid"] { try? FileManager.default.removeItem(atPath: "/tmp/icelab-coturn-\(port).\(suffix)") }
        }
        #expect(await server.waitForOutput("Total General servers", seconds: 5), "\(server.text.suffix(1000))")
        let target = Endpoint(.v4(.loopback), transport == .tls ? tlsPort : port)
        let tls = transport == .tls ? try certificate.clientContext() : nil
        let alice = try await LiveClient.start(server: target, transport: transport, tls: tls, username: "user", password: "secret")
        let bob = try await LiveClient.start(server: target, transport: transport, tls: tls, username: "user", password: "secret")
        let ra = try #require(await alice.relayed(), "\(alice.events) \(server.text.suffix(1500))")
        let rb = try #require(await bob.relayed(), "\(bob.events)")
        #expect(ra.address.isLoopback && rb.address.isLoopback)
        if transport != .udp {
            // Everything went over one connection per client, nothing over UDP.
            let counters = try await alice.driver.eventLoop.submit { alice.driver.counters }.get()
            #expect(counters.streamsConnected == 1 && counters.sent == 0 && counters.streamBytesReceived > 0, "\(counters)")
        }

        try await bob.withCore { core, now in core.createPermission(for: ra.address, now: now) }
        #expect(await bob.waitFor { $0 == .permissionCreated(ra.address) } != nil, "\(bob.events)")
        try await alice.withCore { core, now in core.send(Array("via send indication".utf8), to: rb, now: now) }
        #expect(await bob.waitFor { $0 == .data(from: ra, Array("via send indication".utf8)) } != nil, "\(bob.events)")

        try await alice.withCore { core, now in core.bindChannel(to: rb, now: now) }
        try await bob.withCore { core, now in core.bindChannel(to: ra, now: now) }
        #expect(await alice.waitFor { if case .channelBound = $0 { true } else { false } } != nil, "\(alice.events)")
        #expect(await bob.waitFor { if case .channelBound = $0 { true } else { false } } != nil, "\(bob.events)")
        for i in 0..<10 {
            try await alice.withCore { core, now in core.send([UInt8(i)], to: rb, now: now) }
            try await bob.withCore { core, now in core.send([UInt8(100 + i)], to: ra, now: now) }
        }
        #expect(await bob.waitFor { $0 == .data(from: ra, [9]) } != nil, "\(bob.received)")
        #expect(await alice.waitFor { $0 == .data(from: rb, [109]) } != nil, "\(alice.received)")

        try await alice.withCore { core, now in core.release(now: now) }
        try await bob.withCore { core, now in core.release(now: now) }
        #expect(await alice.waitFor { $0 == .deallocated } != nil)
        #expect(await bob.waitFor { $0 == .deallocated } != nil)
        await alice.driver.close()
        await bob.driver.close()
    }
}
