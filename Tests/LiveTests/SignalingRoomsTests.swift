import Foundation
import NetTypes
import Signaling
import TURN
import Testing
@testable import Live

/// The signaling rooms without sockets: joining, relaying, leaving, and every kind of bad
/// input closing only its sender, with a reason, never touching another room.
struct SignalingRoomsTests {
    static let t0 = Instant(nanoseconds: 1_000_000_000)

    /// The rooms and a helper that drains every output.
    struct Harness {
        var rooms: SignalingRooms
        var now = SignalingRoomsTests.t0

        init(_ limits: SignalingLimits = SignalingLimits()) { rooms = SignalingRooms(limits: limits) }

        mutating func drain() -> [SignalingOutput] {
            var outputs: [SignalingOutput] = []
            while let output = rooms.poll() { outputs.append(output) }
            return outputs
        }

        mutating func send(_ text: String, from client: SignalingClientID) -> [SignalingOutput] {
            rooms.receive(text: Array(text.utf8), from: client, now: now)
            return drain()
        }

        /// A client connected and joined to `room`; outputs drained.
        mutating func joined(_ room: String) -> SignalingClientID {
            let client = rooms.connect(now: now)
            _ = send(#"{"type":"join","room":"\#(room)"}"#, from: client)
            return client
        }
    }

    static func sent(_ outputs: [SignalingOutput], to client: SignalingClientID) -> [[String: Any]] {
        outputs.compactMap { output -> [String: Any]? in
            guard case .send(let to, let text) = output, to == client else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        }
    }

    static func closed(_ outputs: [SignalingOutput]) -> [SignalingClientID: SignalingRefusal] {
        Dictionary(outputs.compactMap { output -> (SignalingClientID, SignalingRefusal)? in
            guard case .close(let client, let refusal) = output else { return nil }
            return (client, refusal)
        }) { first, _ in first }
    }

    @Test func twoClientsJoinAndRelayOfferAnswerCandidatesAndBye() throws {
        var h = Harness()
        let a = h.rooms.connect(now: h.now), b = h.rooms.connect(now: h.now)
        let first = h.send(#"{"type":"join","room":"call-1"}"#, from: a)
        #expect(Self.sent(first, to: a).first?["type"] as? String == "joined")
        #expect(Self.sent(first, to: a).first?["peers"] as? Int == 0)
        let second = h.send(#"{"type":"join","room":"call-1"}"#, from: b)
        #expect(Self.sent(second, to: b).first?["peers"] as? Int == 1)
        #expect(Self.sent(second, to: a).map { $0["type"] as? String } == ["peer-joined"])
        #expect(h.rooms.members(of: "call-1") == [a, b])

        let offer = #"{"type":"offer","sdp":"v=0\r\n"}"#
        #expect(h.send(offer, from: a) == [.send(b, offer)])
        let answer = #"{"type":"answer","sdp":"v=0\r\n"}"#
        #expect(h.send(answer, from: b) == [.send(a, answer)])
        let candidate = #"{"type":"candidate","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host","sdpMid":"0"}}"#
        #expect(h.send(candidate, from: a) == [.send(b, candidate)])
        let end = #"{"type":"candidate","candidate":null}"#
        #expect(h.send(end, from: b) == [.send(a, end)])
        #expect(h.send(#"{"type":"bye"}"#, from: a) == [.send(b, #"{"type":"bye"}"#)])
        #expect(h.rooms.members(of: "call-1") == [b] && h.rooms.room(of: a) == nil)
        #expect(h.rooms.counters.relayed == 5 && h.rooms.counters.refused.isEmpty)
    }

    @Test func aDisconnectTellsTheOtherAndClosesAnEmptyRoom() {
        var h = Harness()
        let a = h.joined("r"), b = h.joined("r")
        h.rooms.disconnect(a)
        #expect(Self.sent(h.drain(), to: b).map { $0["type"] as? String } == ["peer-left"])
        h.rooms.disconnect(b)
        #expect(h.drain().isEmpty)
        #expect(h.rooms.members(of: "r").isEmpty && h.rooms.counters.rooms == 0 && h.rooms.counters.clients == 0)
    }

    /// Each bad message closes its sender with the refusal's code and an error message
    /// first; the room's other member is told `peer-left`, a client in another room sees
    /// nothing and can still relay.
    @Test(arguments: [
        ("not json", SignalingRefusal.malformed("not JSON")),
        ("[1,2]", .malformed("not a JSON object")),
        (#"{"room":"x"}"#, .malformed("no string 'type'")),
        (#"{"type":"offer"}"#, .malformed("offer needs a non-empty string 'sdp'")),
        (#"{"type":"candidate","candidate":"a string"}"#, .malformed("candidate needs an object or null 'candidate'")),
        (#"{"type":"shout"}"#, .unknownType("shout")),
        (#"{"type":"join","room":"other"}"#, .alreadyJoined),
    ])
    func badMessagesCloseOnlyTheirSender(text: String, refusal: SignalingRefusal) {
        var h = Harness()
        let a = h.joined("r1"), b = h.joined("r1"), c = h.joined("r2"), d = h.joined("r2")
        let outputs = h.send(text, from: a)
        #expect(Self.closed(outputs) == [a: refusal])
        #expect(Self.sent(outputs, to: a).map { $0["reason"] as? String } == [refusal.description])
        #expect(Self.sent(outputs, to: b).map { $0["type"] as? String } == ["peer-left"])
        #expect(Self.sent(outputs, to: c).isEmpty && Self.sent(outputs, to: d).isEmpty)
        #expect(h.send(#"{"type":"offer","sdp":"x"}"#, from: a).isEmpty, "a refused client has no more effect")
        #expect(h.send(#"{"type":"offer","sdp":"x"}"#, from: c) == [.send(d, #"{"type":"offer","sdp":"x"}"#)])
        #expect(h.rooms.counters.refused[refusal.label] == 1)
    }

    @Test func relayingBeforeJoiningIsAnUnknownRoom() {
        var h = Harness()
        let a = h.rooms.connect(now: h.now)
        #expect(Self.closed(h.send(#"{"type":"offer","sdp":"v=0"}"#, from: a)) == [a: .notInRoom])
    }

    @Test(arguments: ["", String(repeating: "x", count: 65), "room with spaces", "../etc", "ünï"])
    func badRoomNamesAreRefused(name: String) {
        var h = Harness()
        let a = h.rooms.connect(now: h.now)
        let text = String(decoding: try! JSONSerialization.data(withJSONObject: ["type": "join", "room": name]), as: UTF8.self)
        #expect(Self.closed(h.send(text, from: a)) == [a: .badRoomName])
    }

    @Test func aThirdMemberIsRefusedAndTheRoomGoesOn() {
        var h = Harness()
        let a = h.joined("r"), b = h.joined("r")
        let c = h.rooms.connect(now: h.now)
        let outputs = h.send(#"{"type":"join","room":"r"}"#, from: c)
        #expect(Self.closed(outputs) == [c: .roomFull])
        #expect(Self.sent(outputs, to: a).isEmpty && Self.sent(outputs, to: b).isEmpty)
        #expect(h.rooms.members(of: "r") == [a, b])
    }

    @Test func roomSizeIsConfigurable() {
        var limits = SignalingLimits()
        limits.roomSize = 3
        var h = Harness(limits)
        let a = h.joined("r"), b = h.joined("r"), c = h.joined("r")
        #expect(h.rooms.members(of: "r") == [a, b, c])
        #expect(h.send(#"{"type":"offer","sdp":"x"}"#, from: b) == [.send(a, #"{"type":"offer","sdp":"x"}"#), .send(c, #"{"type":"offer","sdp":"x"}"#)])
    }

    @Test func oversizedMessagesAreRefused() {
        var limits = SignalingLimits()
        limits.maxMessageBytes = 1_024
        var h = Harness(limits)
        let a = h.joined("r")
        let big = #"{"type":"offer","sdp":"\#(String(repeating: "a", count: 1_024))"}"#
        #expect(Self.closed(h.send(big, from: a)) == [a: .tooLarge(big.utf8.count)])
    }

    @Test func floodsAreRateLimitedAndTheBucketRefillsWithTime() {
        var limits = SignalingLimits()
        limits.messagesPerSecond = 10
        limits.messageBurst = 20
        var h = Harness(limits)
        let a = h.joined("r"), b = h.joined("r")   // the joins took one token each
        for _ in 0..<19 { #expect(Self.closed(h.send(#"{"type":"offer","sdp":"x"}"#, from: b)).isEmpty) }
        h.now = h.now + .seconds(1)   // ten more tokens
        for _ in 0..<10 { #expect(Self.closed(h.send(#"{"type":"offer","sdp":"x"}"#, from: b)).isEmpty) }
        let outputs = h.send(#"{"type":"offer","sdp":"x"}"#, from: b)
        #expect(Self.closed(outputs) == [b: .rateLimited])
        #expect(Self.sent(outputs, to: a).map { $0["type"] as? String } == ["peer-left"])
    }

    @Test func tooManyRoomsAndClientsAreRefused() {
        var limits = SignalingLimits()
        limits.maxRooms = 2
        limits.maxClients = 3
        var h = Harness(limits)
        _ = h.joined("one")
        _ = h.joined("two")
        let third = h.rooms.connect(now: h.now)
        #expect(Self.closed(h.send(#"{"type":"join","room":"three"}"#, from: third)) == [third: .tooManyRooms])
        _ = h.rooms.connect(now: h.now)
        _ = h.drain()
        let fourth = h.rooms.connect(now: h.now)
        #expect(Self.closed(h.drain()) == [fourth: .tooManyClients])
        #expect(h.rooms.counters.clients == 3)
    }

    @Test func binaryMessagesAndDriverRefusalsClose() {
        var h = Harness()
        let a = h.joined("r"), b = h.joined("r")
        h.rooms.receiveBinary(from: a)
        #expect(Self.closed(h.drain()) == [a: .binary])
        h.rooms.refuse(b, .slowReader)
        #expect(Self.closed(h.drain()) == [b: .slowReader])
        #expect(SignalingRefusal.slowReader.closeCode == 1008 && SignalingRefusal.tooLarge(1).closeCode == 1009 && SignalingRefusal.binary.closeCode == 1003)
    }

    /// Random bytes and random JSON-ish text never trap and always end in a refusal or a
    /// valid relay; memory stays bounded (clients and rooms are removed on refusal).
    @Test func randomInputNeverTraps() {
        var rng = Xoshiro256(seed: 7)
        var h = Harness()
        let pieces = [#"{"type":"#, #""offer""#, #""join""#, #","room":"#, #""r""#, #","sdp":"#, "null", "}", "[", "\"", "\\u0000", "1e999", ","]
        for _ in 0..<2_000 {
            let client = h.rooms.connect(now: h.now)
            let text: [UInt8] = rng.next() % 2 == 0
                ? (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                : Array((0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined().utf8)
            h.rooms.receive(text: text, from: client, now: h.now)
            _ = h.drain()
            h.rooms.disconnect(client)
            _ = h.drain()
        }
        #expect(h.rooms.counters.clients == 0 && h.rooms.counters.rooms == 0)
    }

    @Test func iceServerConfigurationHandsOutRESTCredentials() throws {
        let configuration = ICEServerConfiguration(stunURLs: ["stun:127.0.0.1:3478"], turnURLs: ["turn:127.0.0.1:3478?transport=udp"],
                                                   turnSecret: "s3cret", credentialTTL: 600)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(configuration.json(atUnixTime: 1_000_000).utf8)) as? [String: Any])
        let servers = try #require(json["iceServers"] as? [[String: Any]])
        #expect(servers.count == 2 && servers[0]["urls"] as? [String] == ["stun:127.0.0.1:3478"])
        #expect(servers[1]["username"] as? String == "1000600")
        // The password the TURN server checks (draft-uberti-behave-turn-rest-00 §2.2).
        #expect(servers[1]["credential"] as? String == TURNRESTCredential(username: "1000600")?.password(secret: "s3cret"))
        #expect(ICEServerConfiguration(turnURLs: ["turn:x"]).json(atUnixTime: 0) == #"{"iceServers":[]}"#)
    }
}
