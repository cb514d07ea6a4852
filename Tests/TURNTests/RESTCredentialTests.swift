import NetTypes
import STUN
import Testing
@testable import TURN

/// TURN REST credentials (draft-uberti-behave-turn-rest-00), per-user quotas and draining.
@Suite struct RESTCredentialTests {
    static let secret = "s3cret"
    /// The wall clock the tests give the server at `Instant.zero`.
    static let unixNow: Int64 = 1_700_000_000

    static func key(_ username: String, secret: String = secret) -> STUNAuthenticator {
        let password = TURNRESTCredential(username: username)!.password(secret: secret)
        return STUNAuthenticator(key: STUNKey.longTerm(username: username, realm: Relay.realm, password: password)!)
    }

    static func restRelay(_ configure: (inout TURNServerConfiguration) -> Void = { _ in }) -> Relay {
        var relay = Relay {
            $0.restSecrets = ["old-secret", secret]
            configure(&$0)
        }
        relay.server.setWallClock(unixSeconds: Double(unixNow), at: relay.now)
        return relay
    }

    static func allocate(_ relay: inout Relay, _ username: String, from client: String = "192.0.2.20:5555",
                         secret: String = secret) -> STUNMessage? {
        ServerRequestTests.request(&relay, .allocate, [ServerRequestTests.udp], user: username, key: key(username, secret: secret),
                                   from: try! Endpoint(parsing: client))
    }

    /// RFC 4648 §10 test vectors.
    @Test func base64MatchesRFC4648() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors { #expect(Base64.encode(Array(plain.utf8)) == encoded, "\(plain)") }
    }

    /// The password is base64(HMAC-SHA1(secret, username)); the value below is
    /// `printf 1700000000:alice | openssl dgst -sha1 -hmac s3cret -binary | base64`.
    @Test func passwordIsTheBase64HMACOfTheUsername() {
        let credential = TURNRESTCredential(expiry: 1_700_000_000, user: "alice")
        #expect(credential.username == "1700000000:alice")
        #expect(credential.password(secret: "s3cret") == "TtElzSjT0GdnTQ9xdcRNxx96yQs=")
    }

    @Test func usernamesParse() {
        #expect(TURNRESTCredential(username: "1700000000:alice")?.quotaUser == "alice")
        #expect(TURNRESTCredential(username: "1700000000:a:b")?.quotaUser == "a:b")
        #expect(TURNRESTCredential(username: "1700000000")?.quotaUser == "1700000000")
        #expect(TURNRESTCredential(username: "1700000000:")?.quotaUser == "1700000000:")
        #expect(TURNRESTCredential(username: "1700000000")?.expiry == 1_700_000_000)
        for bad in ["", "alice", ":alice", "-5:alice", "12a:alice", "99999999999999999999:x"] {
            #expect(TURNRESTCredential(username: bad) == nil, "\(bad)")
        }
        #expect(TURNRESTCredential(username: "100")?.isValid(atUnixTime: 99) == true)
        #expect(TURNRESTCredential(username: "100")?.isValid(atUnixTime: 100) == false)
    }

    @Test func validRESTUsernamesAllocateUnderEitherSecret() {
        var relay = Self.restRelay()
        let user = "\(Self.unixNow + 60):alice"
        #expect(Self.allocate(&relay, user)?.type.messageClass == .successResponse)
        #expect(Self.allocate(&relay, user, from: "192.0.2.21:1", secret: "old-secret")?.type.messageClass == .successResponse)
        #expect(Self.allocate(&relay, user, from: "192.0.2.22:1", secret: "other")?.errorCode?.code == 401)
        #expect(relay.server.counters.allocationsActive == 2)
        #expect(relay.server.counters.authFailures == 1)
    }

    /// An expired username is refused as the long-term mechanism refuses a wrong one: 401
    /// with a new challenge (RFC 8489 §9.2.4), and once the wall clock passes the expiry a
    /// username that worked stops working.
    @Test func expiredUsernamesAreRefused401() {
        var relay = Self.restRelay()
        let expired = Self.allocate(&relay, "\(Self.unixNow - 1):alice")
        #expect(expired?.errorCode?.code == 401)
        #expect(expired?.first { if case .nonce = $0 { true } else { nil } } != nil)
        let soon = "\(Self.unixNow + 10):bob"
        #expect(Self.allocate(&relay, soon, from: "192.0.2.21:1")?.type.messageClass == .successResponse)
        relay.advance(by: .seconds(11))
        #expect(Self.allocate(&relay, soon, from: "192.0.2.22:1")?.errorCode?.code == 401)
        #expect(relay.server.counters.authFailures == 2)
    }

    @Test func withoutAWallClockRESTUsernamesAreRefused() {
        var relay = Relay { $0.restSecrets = [Self.secret] }
        #expect(Self.allocate(&relay, "\(Self.unixNow + 60):alice")?.errorCode?.code == 401)
    }

    /// The allocation quota counts REST users by their USER part, whatever the expiry.
    @Test func allocationQuotaCountsTheUserPart() {
        var relay = Self.restRelay { $0.maxAllocationsPerUser = 1 }
        #expect(Self.allocate(&relay, "\(Self.unixNow + 60):carol")?.type.messageClass == .successResponse)
        #expect(Self.allocate(&relay, "\(Self.unixNow + 90):carol", from: "192.0.2.21:1")?.errorCode?.code == 486)
        #expect(Self.allocate(&relay, "\(Self.unixNow + 90):dave", from: "192.0.2.22:1")?.type.messageClass == .successResponse)
        #expect(relay.server.counters.responses[TURNResponseKind(method: "Allocate", errorCode: 486)] == 1)
        #expect(relay.server.counters.responses[TURNResponseKind(method: "Allocate", errorCode: nil)] == 2)
    }

    /// `maxBitsPerSecondPerUser`: a bucket of one second's worth, over both directions.
    @Test func bandwidthQuotaDropsBeyondTheRate() throws {
        var relay = Relay { $0.maxBitsPerSecondPerUser = 8_000 }  // 1,000 bytes/s
        #expect(ServerRequestTests.request(&relay, .allocate, [ServerRequestTests.udp])?.type.messageClass == .successResponse)
        let peer = ClientServerTests.peer
        #expect(ServerRequestTests.request(&relay, .createPermission, [.xorPeerAddress(peer)])?.type.messageClass == .successResponse)
        func send(_ id: UInt64) {
            let send = STUNMessage(type: STUNMessageType(method: .send, class: .indication), transactionID: STUNTransactionID(high: 1, low: id),
                                   attributes: [.xorPeerAddress(peer), .data([UInt8](repeating: 7, count: 600))])
            _ = relay.raw(from: ServerRequestTests.client, send.encoded())
        }
        send(1)
        send(2)
        #expect(relay.server.counters.packetsToPeers == 1)
        #expect(relay.server.counters.dropped[.userBandwidth] == 1)
        relay.advance(by: .seconds(1))
        send(3)
        #expect(relay.server.counters.packetsToPeers == 2)
        let relayed = try #require(relay.server.activeAllocations.first?.relayed.first)
        relay.peerSend(from: peer, to: relayed, [UInt8](repeating: 1, count: 600))
        #expect(relay.server.counters.packetsToClients == 0)
        #expect(relay.server.counters.dropped[.userBandwidth] == 2)
    }

    /// The same inputs give the same bytes: REST authentication, the quota and the
    /// bandwidth bucket take their time from `now` and the wall clock the test sets.
    @Test func sameInputsGiveByteIdenticalAnswers() {
        func run() -> [[UInt8]] {
            var relay = Self.restRelay { $0.maxBitsPerSecondPerUser = 8_000; $0.maxAllocationsPerUser = 1 }
            var answers: [[UInt8]] = []
            for (index, user) in ["\(Self.unixNow + 60):erin", "\(Self.unixNow + 60):erin", "\(Self.unixNow - 1):frank"].enumerated() {
                let client = "192.0.2.\(30 + index):4000"
                if let answer = Self.allocate(&relay, user, from: client) { answers.append(answer.encoded()) }
            }
            relay.advance(by: .seconds(2))
            answers.append(Array("\(relay.server.counters.responses.count) \(relay.server.counters.authFailures)".utf8))
            return answers
        }
        let first = run(), second = run()
        #expect(first.count == 4 && first == second)
    }

    /// Draining: new Allocates get 508, existing allocations go on (refresh, permissions).
    @Test func drainingRefusesNewAllocationsOnly() {
        var relay = Relay()
        #expect(ServerRequestTests.request(&relay, .allocate, [ServerRequestTests.udp])?.type.messageClass == .successResponse)
        relay.server.beginDraining()
        let other = try! Endpoint(parsing: "192.0.2.21:1")
        #expect(ServerRequestTests.request(&relay, .allocate, [ServerRequestTests.udp], from: other)?.errorCode?.code == 508)
        #expect(ServerRequestTests.request(&relay, .refresh, [.lifetime(600)])?.type.messageClass == .successResponse)
        #expect(ServerRequestTests.request(&relay, .createPermission, [.xorPeerAddress(ClientServerTests.peer)])?.type.messageClass == .successResponse)
        #expect(relay.server.liveBindings(now: relay.now).permissions == 1)
        #expect(relay.server.counters.permissionsInstalled == 1)
    }
}
