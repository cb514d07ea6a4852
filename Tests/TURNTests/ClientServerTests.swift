import NetTypes
import STUN
import Testing
@testable import TURN

/// The TURN client against the TURN server core, in memory.
@Suite struct ClientServerTests {
    static let peer = try! Endpoint(parsing: "198.51.100.7:5000")

    @Test func allocatesAfterTheChallengeAndRelaysBothWays() throws {
        var relay = Relay()
        let alice = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000"))
        guard case .allocated(let allocation) = try #require(relay.events[alice]?.first) else {
            Issue.record("\(relay.events)"); return
        }
        let relayAddress = try IPAddress(parsing: "203.0.113.1")
        #expect(allocation.relayed.count == 1 && allocation.relayed[0].address == relayAddress)
        #expect((49152...65535).contains(allocation.relayed[0].port))
        #expect(allocation.mapped == alice && allocation.lifetime == .seconds(600))
        #expect(relay.server.counters.errorResponses == [401: 1])
        #expect(relay.serverEvents.first == .bindRelay(allocation.relayed[0]))

        // Send indications until the channel is bound: the first datagram waits for the permission.
        relay.withClient(alice) { c, now in c.send([1, 2, 3], to: Self.peer, now: now) }
        let inbox = try #require(relay.peerInbox[Self.peer])
        #expect(inbox.map(\.payload) == [[1, 2, 3]] && inbox[0].source == allocation.relayed[0])
        relay.peerSend(from: Self.peer, to: allocation.relayed[0], [9, 9])
        #expect(relay.data(at: alice) == [[9, 9]])

        relay.withClient(alice) { c, now in c.bindChannel(to: Self.peer, now: now) }
        #expect(relay.events[alice]!.contains(.channelBound(peer: Self.peer, channel: 0x4000)))
        relay.withClient(alice) { c, now in c.send([4, 5], to: Self.peer, now: now) }
        relay.peerSend(from: Self.peer, to: allocation.relayed[0], [7])
        #expect(relay.peerInbox[Self.peer]!.map(\.payload) == [[1, 2, 3], [4, 5]])
        #expect(relay.data(at: alice) == [[9, 9], [7]])
        #expect(relay.server.counters.packetsToPeers == 2 && relay.server.counters.packetsToClients == 2)
        #expect(relay.server.counters.bytesToPeers == 5)

        relay.withClient(alice) { c, now in c.release(now: now) }
        #expect(relay.events[alice]!.last == .deallocated)
        #expect(relay.server.counters.allocationsActive == 0)
        #expect(relay.serverEvents.contains(.relayClosed(allocation.relayed[0])))
    }

    @Test func channelDataIsPaddedOnlyOverStreams() {
        let data = ChannelData(channelNumber: 0x4001, data: [1, 2, 3, 4, 5])
        #expect(data.encoded(stream: false).count == 9)
        #expect(data.encoded(stream: true).count == 12)
    }

    /// The ECN field survives the relay both ways (RFC 8656 packet translation: outgoing =
    /// incoming): a ChannelData from the client with ECT(0) leaves for the peer ECT(0), and
    /// a CE-marked datagram from the peer reaches the client CE, in `.data` too.
    @Test func relayKeepsTheECNField() {
        var relay = Relay()
        let alice = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000"))
        let relayed = relay.relayed(alice)!
        relay.withClient(alice) { c, now in c.bindChannel(to: Self.peer, now: now) }
        relay.withClient(alice) { c, now in _ = c.send([7], to: Self.peer, ecn: .ect0, now: now) }
        let sent = relay.peerInbox[Self.peer]?.last
        #expect(sent?.payload == [7] && sent?.ecn == .ect0)
        relay.deliverPeer(Datagram(source: Self.peer, destination: relayed, payload: [9], ecn: .ce))
        #expect(relay.events[alice]!.last == .data(from: Self.peer, [9], ecn: .ce))
    }

    @Test func wrongPasswordFails() {
        var relay = Relay()
        let alice = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000", password: "nope"))
        #expect(relay.events[alice] == [.allocationFailed(.error(STUNErrorCode(401)))])
        #expect(relay.server.counters.allocationsTotal == 0)
    }

    @Test func staleNonceIsRetried() {
        var relay = Relay { $0.nonceLifetime = .seconds(30) }
        let alice = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000"))
        relay.advance(by: .seconds(60))
        relay.withClient(alice) { c, now in c.createPermission(for: Self.peer.address, now: now) }
        #expect(relay.server.counters.errorResponses[438] == 1)
        #expect(relay.events[alice]!.last == .permissionCreated(Self.peer.address))
    }

    @Test func refreshesKeepEverythingAliveAndExpiryCleansUp() {
        var relay = Relay()
        let alice = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000"))
        let relayed = relay.relayed(alice)!
        relay.withClient(alice) { c, now in c.bindChannel(to: Self.peer, now: now) }
        relay.advance(by: .seconds(3000))
        // Refreshes at 540 s and then every 540 s, permissions every 240 s, channels every 540 s.
        #expect(relay.server.counters.allocationsActive == 1)
        #expect(relay.events[alice]!.filter { if case .refreshed = $0 { true } else { false } }.count == 5)
        relay.peerSend(from: Self.peer, to: relayed, [1])
        #expect(relay.data(at: alice) == [[1]])
        // A client that stops refreshing (gone) loses its allocation at expiry.
        relay.removeClient(alice)
        relay.advance(by: .seconds(601))
        #expect(relay.server.counters.allocationsActive == 0)
        #expect(relay.serverEvents.contains(.relayClosed(relayed)))
        relay.peerSend(from: Self.peer, to: relayed, [2])
        #expect(relay.server.counters.dropped[.unknownLocalEndpoint] == 1)
    }

    @Test func permissionExpiryStopsTraffic() {
        var relay = Relay()
        let alice = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000") { $0.permissionRefreshInterval = .seconds(100_000) })
        let relayed = relay.relayed(alice)!
        relay.withClient(alice) { c, now in c.send([1], to: Self.peer, now: now) }
        relay.advance(by: .seconds(299))
        relay.peerSend(from: Self.peer, to: relayed, [2])
        relay.advance(by: .seconds(2))
        relay.peerSend(from: Self.peer, to: relayed, [3])
        relay.withClient(alice) { c, now in c.send([4], to: Self.peer, now: now) }
        #expect(relay.data(at: alice) == [[2]])
        #expect(relay.peerInbox[Self.peer]!.map(\.payload) == [[1]])
        #expect(relay.server.counters.dropped[.noPermission] == 2)
    }

    @Test func clientExpiresWhenTheServerForgetsIt() {
        var relay = Relay()
        let alice = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000"))
        // The server loses the allocation (e.g. restart): the next Refresh gets 437.
        relay.server = TURNServer(configuration: relay.server.configuration, rng: Xoshiro256(seed: 1))
        relay.advance(by: .seconds(541))
        #expect(relay.events[alice]!.last == .allocationExpired)
        #expect(relay.clients[alice]!.state == .closed)
    }

    @Test func ipv6AndDualAllocations() {
        var relay = Relay()
        let v6 = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000") { $0.family = .ipv6 })
        #expect(relay.relayed(v6)?.address == (try? IPAddress(parsing: "2001:db8::1")))
        let dual = relay.addClient(Relay.clientConfiguration("192.0.2.11:4000") { $0.alsoIPv6 = true })
        #expect(relay.clients[dual]!.allocation!.relayed.map(\.address.family) == [.ipv4, .ipv6])
        let v6peer = try! Endpoint(parsing: "[2001:db8:ffff::7]:6000")
        relay.withClient(dual) { c, now in c.send([6], to: v6peer, now: now) }
        #expect(relay.peerInbox[v6peer]?.first?.source == relay.clients[dual]!.allocation!.relayed[1])

        var v4only = Relay { $0.relayAddresses = [try! IPAddress(parsing: "203.0.113.1")] }
        let a = v4only.addClient(Relay.clientConfiguration("192.0.2.10:4000") { $0.alsoIPv6 = true })
        #expect(v4only.clients[a]!.allocation!.refusedFamilies == [.ipv6: STUNErrorCode(440)])
        let b = v4only.addClient(Relay.clientConfiguration("192.0.2.11:4000") { $0.family = .ipv6 })
        #expect(v4only.events[b] == [.allocationFailed(.error(STUNErrorCode(440)))])
    }

    @Test func quotaAndCapacity() {
        var relay = Relay { $0.maxAllocationsPerUser = 1; $0.maxAllocations = 2; $0.users["carol"] = "carol-pw" }
        relay.addClient(Relay.clientConfiguration("192.0.2.10:4000"))
        let second = relay.addClient(Relay.clientConfiguration("192.0.2.10:4001"))
        #expect(relay.events[second] == [.allocationFailed(.error(STUNErrorCode(486)))])
        relay.addClient(Relay.clientConfiguration("192.0.2.10:4002", user: "bob"))
        let carol = relay.addClient(Relay.clientConfiguration("192.0.2.10:4003", user: "carol"))
        #expect(relay.events[carol] == [.allocationFailed(.error(STUNErrorCode(508)))])
        #expect(relay.server.counters.allocationsActive == 2)
    }

    @Test func tryAlternateRedirects() throws {
        var relay = Relay()
        let alternate = try Endpoint(parsing: "203.0.113.99:3478")
        let config = Relay.clientConfiguration("192.0.2.10:4000") { $0.server = alternate }
        var client = TURNClient(configuration: config, rng: Xoshiro256(seed: 3))
        client.allocate(now: .zero)
        guard case .transmit(let request) = client.pollOutput() else { Issue.record("no request"); return }
        let decoded = try STUNMessage(decoding: request.payload)
        let redirect = STUNMessage(type: STUNMessageType(method: .allocate, class: .errorResponse), transactionID: decoded.transactionID,
                                   attributes: [.errorCode(STUNErrorCode(300)), .alternateServer(Relay.serverEndpoint)])
        client.handle(Datagram(source: alternate, destination: config.local, payload: redirect.encoded()), now: .zero)
        relay.clients[config.local] = client
        relay.withClient(config.local) { _, _ in }
        #expect(relay.clients[config.local]!.allocation?.server == Relay.serverEndpoint)
        #expect(relay.server.counters.allocationsActive == 1)
    }
}
