import Foundation
import NetTypes
import TestSupport
import Testing
import TURN
@testable import Live

/// A bounded soak of the live server: 200 clients over UDP and 20 over TCP allocate, pair
/// up through their relays (half over channels, half with Send indications), refresh
/// allocations (every 2 s), permissions and channels (every second) while they exchange data,
/// then release. The server drops nothing, its counters are consistent with what the
/// clients sent and received and equal what `/metrics` says, and nothing is left allocated.
@Suite(.serialized, .liveNetwork) struct TURNSoakTests {
    static let udpClients = 200
    static let tcpClients = 20
    static let rounds = 8
    static let payload = 100

    @Test func manyClientsRelayRefreshAndRelease() async throws {
        let port = try await Subprocess.freeTCPAndUDPPort()
        let listen = Endpoint(.v4(.loopback), port)
        var configuration = TURNServerConfiguration(
            listening: [listen], realm: "icelab.test", users: ["soak": "soak-pw"], relayPorts: 20000...39999,
            minLifetime: .seconds(4), maxAllocationsPerUser: 1_000, peerPolicy: TURNPeerPolicy(allow: [IPPrefix(.v4(.loopback), length: 8)]))
        configuration.streamListening = [listen: .tcp]
        let server = try await LiveTURNServer.start(configuration)
        let metrics = TURNMetrics()
        let endpoint = try await MetricsEndpoint.start(on: Endpoint(.v4(.loopback), 0)) { metrics.render(await server.snapshot()) }

        // Short lifetimes and refresh intervals: several refreshes of each kind per client.
        let refreshing: (inout TURNClientConfiguration) -> Void = {
            $0.lifetime = .seconds(4)
            $0.refreshMargin = .seconds(2)
            $0.permissionRefreshInterval = .seconds(1)
            $0.channelRefreshInterval = .seconds(1)
        }
        var clients: [LiveClient] = []
        for index in 0..<(Self.udpClients + Self.tcpClients) {
            clients.append(try await LiveClient.start(server: listen, transport: index < Self.udpClients ? .udp : .tcp,
                                                      username: "soak", password: "soak-pw", configure: refreshing))
        }
        var relayed: [Endpoint] = []
        for client in clients { relayed.append(try #require(await client.relayed(), "an allocation failed")) }

        // Pairs (0,1), (2,3), …: each permits its partner's relayed address; even pairs use channels.
        for index in clients.indices {
            let partner = relayed[index ^ 1]
            let channel = (index / 2) % 2 == 0
            try await clients[index].withCore { core, now in
                if channel { _ = core.bindChannel(to: partner, now: now) } else { core.createPermission(for: partner.address, now: now) }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        for round in 0..<Self.rounds {
            for index in clients.indices {
                if index % 20 == 0 { try await Task.sleep(for: .milliseconds(20)) }
                let bytes = [UInt8](repeating: UInt8(round), count: Self.payload), partner = relayed[index ^ 1]
                try await clients[index].withCore { core, now in _ = core.send(bytes, to: partner, now: now) }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        let sent = clients.count * Self.rounds
        var received = 0
        for _ in 0..<50 {
            received = clients.map(\.received.count).reduce(0, +)
            if received == sent { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        // Loopback UDP drops datagrams when a socket's receive buffer fills: the sends are
        // paced, but a machine busy with other work (CI runs the suites in parallel) stalls
        // event loops, and then a share of them goes missing on the way to the server, to
        // the partner's relayed socket or to the client (seen: 891 of 1,760 under load).
        // What holds whatever the load: data flowed, and each stage passed on at most what
        // the one before it took in, with nothing dropped inside the server.
        #expect(received > 0 && received <= sent, "\(received) of \(sent)")
        let scraped = try await PrometheusText.fetch(URL(string: "http://\(endpoint.endpoint)/metrics")!)
        let snapshot = await server.snapshot()
        #expect(scraped.status == 200)
        #expect(scraped.contentType == MetricsEndpoint.contentType)
        let text = PrometheusText(scraped.body)
        let counters = snapshot.counters
        #expect(counters.droppedTotal == 0, "\(counters.dropped)")
        #expect(counters.packetsToPeers <= sent && counters.packetsToClients <= counters.packetsToPeers
                && received <= counters.packetsToClients, "\(counters.packetsToPeers) \(counters.packetsToClients) \(received)")
        #expect(counters.bytesToPeers == counters.packetsToPeers * Self.payload
                && counters.bytesToClients == counters.packetsToClients * Self.payload)
        #expect(counters.allocationsActive == clients.count && counters.allocationsTotal == clients.count)
        #expect(text.types["icelab_turn_allocations_total"] == "counter" && text.types["icelab_turn_allocations_active"] == "gauge")
        #expect(text.value("icelab_turn_allocations_active") == Double(counters.allocationsActive))
        #expect(text.value("icelab_turn_allocations_total") == Double(counters.allocationsTotal))
        #expect(text.value("icelab_turn_relayed_packets_total", [("direction", "to_peer")]) == Double(counters.packetsToPeers))
        #expect(text.value("icelab_turn_relayed_bytes_total", [("direction", "to_client")]) == Double(counters.bytesToClients))
        #expect(text.sum("icelab_turn_dropped_total") == 0)
        #expect(text.value("icelab_turn_channels_active") == Double(snapshot.channels) && snapshot.channels == clients.count / 2)
        // Each client's first Allocate is answered 401, its second succeeds; under load a
        // client may retransmit either (RFC 8489 §6.2.1) and every copy is answered and
        // counted, so at least one of each per client (allocations_total above is exact).
        let allocated = try #require(text.value("icelab_turn_requests_total", [("method", "allocate"), ("result", "success")]))
        let challenged = try #require(text.value("icelab_turn_requests_total", [("method", "allocate"), ("result", "401")]))
        #expect(allocated >= Double(clients.count) && challenged >= Double(clients.count), "\(allocated) \(challenged)")
        let refreshes = try #require(text.value("icelab_turn_requests_total", [("method", "refresh"), ("result", "success")]))
        #expect(refreshes >= Double(clients.count), "every client refreshed at least once")
        #expect(text.value("icelab_turn_listener_connections_total", [("listener", "\(listen)"), ("transport", "tcp")]) == Double(Self.tcpClients))
        #expect(text.value("icelab_turn_listener_connections_open", [("listener", "\(listen)"), ("transport", "tcp")]) == Double(Self.tcpClients))
        #expect(text.value("icelab_turn_auth_failures_total") == 0)

        for client in clients { try await client.withCore { core, now in core.release(now: now) } }
        for client in clients { _ = await client.waitFor { $0 == .deallocated } }
        for client in clients { await client.driver.close() }
        var after = await server.snapshot()
        for _ in 0..<50 where after.counters.allocationsActive > 0 || after.openSockets > 1 {
            try await Task.sleep(for: .milliseconds(100))
            after = await server.snapshot()
        }
        #expect(after.counters.allocationsActive == 0)
        #expect(after.openSockets == 1, "only the listening UDP socket is left")
        #expect(after.permissions == 0 && after.channels == 0)
        await endpoint.stop()
        await server.stop()
    }
}
