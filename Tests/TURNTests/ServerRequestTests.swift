import NetTypes
import STUN
import Testing
@testable import TURN

/// Server answers to hand-made requests: the error codes RFC 8656 prescribes.
@Suite struct ServerRequestTests {
    static let client = try! Endpoint(parsing: "192.0.2.20:5555")
    static var aliceKey: STUNAuthenticator { STUNAuthenticator(key: STUNKey.longTerm(username: "alice", realm: Relay.realm, password: "alice-pw")!) }

    /// Sends `attributes` as a `method` request, authenticated as `user` with a fresh nonce.
    static func request(_ relay: inout Relay, _ method: STUNMethod, _ attributes: [STUNAttribute], user: String = "alice",
                        key: STUNAuthenticator? = nil, from source: Endpoint = client, id: UInt64 = 1) -> STUNMessage? {
        let challenge = relay.raw(from: source, STUNMessage(type: STUNMessageType(method: method, class: .request),
                                                            transactionID: STUNTransactionID(high: 0, low: 99)).encoded())
        guard let nonce = (try? STUNMessage(decoding: challenge[0].payload))?.first({ if case .nonce(let n) = $0 { n } else { nil } })
        else { return nil }
        let message = STUNMessage(type: STUNMessageType(method: method, class: .request), transactionID: STUNTransactionID(high: 0, low: id),
                                  attributes: attributes + [.username(user), .realm(Relay.realm), .nonce(nonce)])
        let replies = relay.raw(from: source, message.encoded(authenticator: key ?? aliceKey))
        return replies.first.flatMap { try? STUNMessage(decoding: $0.payload) }
    }

    static let udp = STUNAttribute.requestedTransport(17)

    @Test func allocateErrors() {
        var relay = Relay()
        #expect(Self.request(&relay, .allocate, [])?.errorCode?.code == 400)
        #expect(Self.request(&relay, .allocate, [.requestedTransport(6)])?.errorCode?.code == 442)
        #expect(Self.request(&relay, .allocate, [Self.udp, .requestedAddressFamily(.ipv6), .additionalAddressFamily(.ipv6)])?.errorCode?.code == 400)
        #expect(Self.request(&relay, .allocate, [Self.udp, .additionalAddressFamily(.ipv4)])?.errorCode?.code == 400)
        #expect(Self.request(&relay, .allocate, [Self.udp, .reservationToken(77)])?.errorCode?.code == 508)
        #expect(Self.request(&relay, .allocate, [Self.udp, .unknown(type: STUNAttributeType(rawValue: 0x7777), value: [])])?.errorCode?.code == 420)
        #expect(relay.server.counters.allocationsTotal == 0)

        let ok = Self.request(&relay, .allocate, [Self.udp, .evenPort(reserveNextPort: false)], id: 5)
        #expect(ok?.type.messageClass == .successResponse)
        let relayed = ok?.first { if case .xorRelayedAddress(let e) = $0 { e } else { nil } }
        #expect(relayed.map { $0.port % 2 == 0 } == true)
        // The same transaction again: the same answer. Another one on the 5-tuple: 437.
        let again = Self.request(&relay, .allocate, [Self.udp, .evenPort(reserveNextPort: false)], id: 5)
        #expect(again?.first { if case .xorRelayedAddress(let e) = $0 { e } else { nil } } == relayed)
        #expect(Self.request(&relay, .allocate, [Self.udp], id: 6)?.errorCode?.code == 437)
        #expect(relay.server.counters.allocationsTotal == 1)
        // Another user on the same 5-tuple: 441.
        let bobKey = STUNAuthenticator(key: STUNKey.longTerm(username: "bob", realm: Relay.realm, password: "bob-pw")!)
        #expect(Self.request(&relay, .refresh, [], user: "bob", key: bobKey)?.errorCode?.code == 441)
        // Peers: a family the allocation lacks (443), refused addresses (403), none (400).
        #expect(Self.request(&relay, .createPermission, [.xorPeerAddress(try! Endpoint(parsing: "[2001:db8::9]:1"))])?.errorCode?.code == 443)
        for forbidden in ["127.0.0.1:1", "10.1.2.3:1", "169.254.169.254:80", "224.0.0.1:1", "0.1.2.3:1"] {
            let answer = Self.request(&relay, .createPermission, [.xorPeerAddress(try! Endpoint(parsing: forbidden))])
            #expect(answer?.errorCode?.code == 403, "\(forbidden)")
        }
        #expect(Self.request(&relay, .createPermission, [])?.errorCode?.code == 400)
        // The server's own address may be permitted (other allocations live there), but only
        // relayed endpoints receive: never the listening port.
        #expect(Self.request(&relay, .createPermission, [.xorPeerAddress(Relay.serverEndpoint)])?.type.messageClass == .successResponse)
        let loop = STUNMessage(type: STUNMessageType(method: .send, class: .indication), transactionID: STUNTransactionID(high: 0, low: 7),
                               attributes: [.xorPeerAddress(Relay.serverEndpoint), .data([1])])
        _ = relay.raw(from: Self.client, loop.encoded())
        #expect(relay.server.counters.dropped[.forbiddenPeer] == 1)
        #expect(Self.request(&relay, .channelBind, [.channelNumber(0x3FFF), .xorPeerAddress(ClientServerTests.peer)])?.errorCode?.code == 400)
        #expect(Self.request(&relay, .channelBind, [.channelNumber(0x8000), .xorPeerAddress(ClientServerTests.peer)])?.errorCode?.code == 400)
        #expect(Self.request(&relay, .channelBind, [.channelNumber(0x4000), .xorPeerAddress(ClientServerTests.peer)])?.type.messageClass == .successResponse)
        // The number is taken by another peer, the peer by another number.
        let other = try! Endpoint(parsing: "198.51.100.8:1")
        #expect(Self.request(&relay, .channelBind, [.channelNumber(0x4000), .xorPeerAddress(other)])?.errorCode?.code == 400)
        #expect(Self.request(&relay, .channelBind, [.channelNumber(0x4001), .xorPeerAddress(ClientServerTests.peer)])?.errorCode?.code == 400)
        // Refresh with LIFETIME 0 deletes; a second one finds no allocation.
        #expect(Self.request(&relay, .refresh, [.lifetime(0)])?.type.messageClass == .successResponse)
        #expect(Self.request(&relay, .refresh, [.lifetime(0)])?.errorCode?.code == 437)
        #expect(relay.server.counters.allocationsActive == 0)
    }

    @Test func evenPortReservesTheNextPort() throws {
        var relay = Relay()
        let first = try #require(Self.request(&relay, .allocate, [Self.udp, .evenPort(reserveNextPort: true)]))
        let relayed = try #require(first.first { if case .xorRelayedAddress(let e) = $0 { e } else { nil } })
        let token = try #require(first.first { if case .reservationToken(let t) = $0 { t } else { nil } })
        #expect(relayed.port % 2 == 0)
        let other = try Endpoint(parsing: "192.0.2.21:5555")
        let second = try #require(Self.request(&relay, .allocate, [Self.udp, .reservationToken(token)], from: other))
        #expect(second.first { if case .xorRelayedAddress(let e) = $0 { e } else { nil } } == Endpoint(relayed.address, relayed.port + 1))
        let third = Self.request(&relay, .allocate, [Self.udp, .reservationToken(token)], from: try Endpoint(parsing: "192.0.2.22:5555"))
        #expect(third?.errorCode?.code == 508)
    }

    @Test func lifetimesAreClampedAndResponsesSigned() throws {
        var relay = Relay()
        let long = try #require(Self.request(&relay, .allocate, [Self.udp, .lifetime(100_000)]))
        let granted: UInt32? = long.first { if case .lifetime(let s) = $0 { s } else { nil } }
        #expect(granted == 3600)
        #expect(long.attribute(.messageIntegrity) != nil && long.attribute(.software) != nil)
        let short = try #require(Self.request(&relay, .refresh, [.lifetime(5)]))
        let refreshed: UInt32? = short.first { if case .lifetime(let s) = $0 { s } else { nil } }
        #expect(refreshed == 600)
    }

    static func lifetime(_ message: STUNMessage?) -> UInt32? { message?.first { if case .lifetime(let s) = $0 { s } else { nil } } }

    /// RFC 8656 §7.2, §8.2: the requested lifetime within [minimum, maximum]; the default
    /// only without LIFETIME. The minimum defaults to the default lifetime, as the RFC has it.
    @Test func requestedLifetimesAreHonouredWithinTheMinimumAndMaximum() {
        var relay = Relay { $0.minLifetime = .seconds(60) }
        #expect(Self.lifetime(Self.request(&relay, .allocate, [Self.udp, .lifetime(120)])) == 120)
        #expect(relay.server.activeAllocations.first?.lifetime == .seconds(120))
        #expect(Self.lifetime(Self.request(&relay, .refresh, [.lifetime(5)])) == 60)
        #expect(Self.lifetime(Self.request(&relay, .refresh, [.lifetime(700)])) == 700)
        #expect(Self.lifetime(Self.request(&relay, .refresh, [.lifetime(90_000)])) == 3600)
        #expect(Self.lifetime(Self.request(&relay, .refresh, [])) == 600)
        #expect(relay.server.activeAllocations.first?.lifetime == .seconds(600))
        var other = Relay { $0.minLifetime = .seconds(60) }
        #expect(Self.lifetime(Self.request(&other, .allocate, [Self.udp, .lifetime(1)])) == 60)
        #expect(Self.lifetime(Self.request(&other, .allocate, [Self.udp], from: try! Endpoint(parsing: "192.0.2.21:1"))) == 600)
    }

    /// RFC 8656 §10.2/§11.2 let the server restrict peers: the server's own loopback
    /// relay address is refused (403) like any loopback address unless allowed.
    @Test func permissionsAndChannelsToTheServersOwnLoopbackAreRefused() {
        let loopback = try! IPAddress(parsing: "127.0.0.1")
        var relay = Relay { $0.relayAddresses = [loopback] }
        #expect(Self.request(&relay, .allocate, [Self.udp])?.type.messageClass == .successResponse)
        #expect(Self.request(&relay, .createPermission, [.xorPeerAddress(Endpoint(loopback, 1))])?.errorCode?.code == 403)
        #expect(Self.request(&relay, .channelBind, [.channelNumber(0x4000), .xorPeerAddress(Endpoint(loopback, 5000))])?.errorCode?.code == 403)
        var open = Relay {
            $0.relayAddresses = [loopback]
            $0.peerPolicy = TURNPeerPolicy(allow: [try! IPPrefix(parsing: "127.0.0.0/8")])
        }
        #expect(Self.request(&open, .allocate, [Self.udp])?.type.messageClass == .successResponse)
        #expect(Self.request(&open, .createPermission, [.xorPeerAddress(Endpoint(loopback, 1))])?.type.messageClass == .successResponse)
    }

    /// Only the relayed endpoints of other allocations are peers on the server's own
    /// address: a channel to another of its ports is 403, and datagrams from one are dropped.
    @Test func theServersOtherPortsAreNeitherPeersNorSources() throws {
        var relay = Relay()
        let alice = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000"))
        let bob = relay.addClient(Relay.clientConfiguration("192.0.2.11:4000", user: "bob"))
        let ra = try #require(relay.relayed(alice)), rb = try #require(relay.relayed(bob))
        let sshOnServer = Endpoint(ra.address, 22)
        relay.withClient(alice) { c, now in c.bindChannel(to: sshOnServer, now: now) }
        #expect(relay.events[alice]!.contains(.channelBindFailed(peer: sshOnServer, .error(STUNErrorCode(403)))))
        relay.withClient(alice) { c, now in c.bindChannel(to: rb, now: now) }
        #expect(relay.events[alice]!.contains(.channelBound(peer: rb, channel: 0x4000)))
        relay.peerSend(from: sshOnServer, to: ra, [1])
        #expect(relay.data(at: alice).isEmpty)
        #expect(relay.server.counters.dropped[.forbiddenPeer] == 1)
        relay.withClient(bob) { c, now in c.send([2], to: ra, now: now) }
        #expect(relay.data(at: alice) == [[2]])
    }

    @Test func embeddedIPv4IsJudgedByTheIPv4Address() {
        func ip(_ s: String) -> IPAddress { try! IPAddress(parsing: s) }
        let policy = TURNPeerPolicy()
        // 6to4, IPv4-translated, NAT64 well-known and local-use (/96, /64, /56, /48 positions).
        for refused in ["2002:7f00:1::", "2002:a9fe:a9fe::1", "::ffff:0:127.0.0.1", "::ffff:0:10.0.0.1", "64:ff9b::a9fe:a9fe",
                        "64:ff9b:1::a00:1", "64:ff9b:1::a:0:100:0", "64:ff9b:1:7f:0:1::", "64:ff9b:1:a00:0:100::"] {
            #expect(!policy.permits(ip(refused), serverAddresses: []), "\(refused)")
        }
        for allowed in ["2002:808:808::1", "::ffff:0:8.8.8.8", "64:ff9b:1:808:8:808:808:808"] {
            #expect(policy.permits(ip(allowed), serverAddresses: []), "\(allowed)")
        }
        let denying = TURNPeerPolicy(deny: [try! IPPrefix(parsing: "8.8.0.0/16")])
        for denied in ["2002:808:808::1", "::ffff:0:8.8.8.8", "64:ff9b:1:808:8:808:808:808"] {
            #expect(!denying.permits(ip(denied), serverAddresses: []), "\(denied)")
        }
        #expect(TURNPeerPolicy(allow: [try! IPPrefix(parsing: "127.0.0.0/8")]).permits(ip("2002:7f00:1::"), serverAddresses: []))
    }

    @Test func garbageAndUnauthenticatedRequestsNeverAllocate() {
        var relay = Relay()
        var rng = Xoshiro256(seed: 5)
        for i in 0..<3000 {
            let length = Int(rng.next() % 120)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if i % 3 == 0, bytes.count >= 20 {
                // Valid STUN headers with random bodies: Allocate requests, indications, ChannelData.
                let message = STUNMessage(type: STUNMessageType(method: .allocate, class: i % 2 == 0 ? .request : .indication),
                                          transactionID: STUNTransactionID(using: &rng),
                                          attributes: [.requestedTransport(17), .username("alice"), .realm(Relay.realm),
                                                       .nonce(String(repeating: "a", count: 48)), .messageIntegrity(Array(bytes.prefix(20)))])
                bytes = message.encoded()
            } else if i % 3 == 1, !bytes.isEmpty {
                bytes[0] = 0x40 | bytes[0] & 0x0F
            }
            _ = relay.raw(from: Self.client, bytes)
        }
        #expect(relay.server.counters.allocationsTotal == 0)
        #expect(relay.server.counters.droppedTotal > 0)
    }

    @Test func peerPolicy() throws {
        let own: Set<IPAddress> = [try IPAddress(parsing: "203.0.113.1")]
        let policy = TURNPeerPolicy()
        func ip(_ s: String) -> IPAddress { try! IPAddress(parsing: s) }
        for refused in ["127.0.0.1", "::1", "0.0.0.0", "::", "10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254",
                        "fe80::1", "fc00::1", "224.0.0.1", "ff02::1", "255.255.255.255", "240.0.0.1", "203.0.113.1",
                        "::ffff:127.0.0.1", "64:ff9b::a00:1", "::ffff:169.254.169.254"] {
            #expect(!policy.permits(ip(refused), serverAddresses: own), "\(refused)")
        }
        for allowed in ["198.51.100.1", "8.8.8.8", "2001:db8::1", "64:ff9b::808:808"] {
            #expect(policy.permits(ip(allowed), serverAddresses: own), "\(allowed)")
        }
        let open = TURNPeerPolicy(allow: [try IPPrefix(parsing: "127.0.0.0/8")], deny: [try IPPrefix(parsing: "127.0.0.53/32"), try IPPrefix(parsing: "8.8.0.0/16")])
        #expect(open.permits(ip("127.0.0.1"), serverAddresses: [ip("127.0.0.1")]))
        #expect(!open.permits(ip("127.0.0.53"), serverAddresses: []))
        #expect(!open.permits(ip("8.8.8.8"), serverAddresses: []))
        #expect(!open.permits(ip("::ffff:8.8.8.8"), serverAddresses: []))
    }

    @Test func nonceBindsTimeAndClient() {
        let nonces = TURNNonce(secret: [1, 2, 3], lifetime: .seconds(10))
        let nonce = nonces.issue(for: Self.client, now: .zero + .seconds(5))
        #expect(nonces.check(nonce, for: Self.client, now: .zero + .seconds(14)) == .valid)
        #expect(nonces.check(nonce, for: Self.client, now: .zero + .seconds(15)) == .stale)
        #expect(nonces.check(nonce, for: ClientServerTests.peer, now: .zero + .seconds(6)) == .invalid)
        #expect(nonces.check("0000000200000000" + nonce.dropFirst(16), for: Self.client, now: .zero + .seconds(6)) == .invalid)
        #expect(TURNNonce(secret: [9], lifetime: .seconds(10)).check(nonce, for: Self.client, now: .zero + .seconds(6)) == .invalid)
        // 16 hex digits of the issue time, then 32 of the tag; the stamp may come back upper-case.
        #expect(nonce.count == 48 && nonce.hasPrefix("000000012a05f200") && nonce.allSatisfy(\.isHexDigit))
        #expect(nonces.check("000000012A05F200" + nonce.dropFirst(16), for: Self.client, now: .zero + .seconds(6)) == .valid)
        #expect(nonces.check(String(nonce.dropLast()), for: Self.client, now: .zero + .seconds(6)) == .invalid)
        #expect(nonces.check("+00000012a05f200" + nonce.dropFirst(16), for: Self.client, now: .zero + .seconds(6)) == .invalid)
        let v6Client = Endpoint(.v6(IPv6Address(high: 0x2001_0db8_0000_0000, low: 7)), 50_000)
        let v6Nonce = nonces.issue(for: v6Client, now: .zero + .seconds(5))
        #expect(nonces.check(v6Nonce, for: v6Client, now: .zero + .seconds(6)) == .valid)
        #expect(nonces.check(v6Nonce, for: Endpoint(v6Client.address, 50_001), now: .zero + .seconds(6)) == .invalid)
    }
}
