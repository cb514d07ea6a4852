import Foundation
import NIOCore
import NIOPosix
import NetTypes
import Signaling
import TLS
import TURN
import TestSupport
import Testing
@testable import Live

/// `LiveSignalServer` on loopback with a NIO WebSocket client: rooms relay between real
/// connections, each kind of bad input closes its sender with a code and a reason while
/// another room goes on, a client that never reads is closed, WSS works through the
/// project's TLS session, and `/` and `/config` are served.
@Suite(.liveNetwork) struct SignalServerTests {
    static func start(_ limits: SignalingLimits = SignalingLimits(), tls: TLSContext? = nil,
                      iceServers: ICEServerConfiguration = ICEServerConfiguration()) async throws -> LiveSignalServer {
        try await LiveSignalServer.start(.init(listen: Endpoint(.v4(.loopback), 0), limits: limits, iceServers: iceServers, tls: tls))
    }

    /// Default limits but for the message rate.
    static func rate(_ perSecond: Double, burst: Double) -> SignalingLimits {
        var limits = SignalingLimits()
        limits.messagesPerSecond = perSecond
        limits.messageBurst = burst
        return limits
    }

    /// Two clients in `room`, both joined (their `joined` and the first's `peer-joined` read).
    static func pair(_ server: LiveSignalServer, room: String, tls: TLSContext? = nil) async throws -> (SignalingClient, SignalingClient) {
        let a = try await SignalingClient.connect(to: server.endpoint, tls: tls)
        let b = try await SignalingClient.connect(to: server.endpoint, tls: tls)
        try await a.send(#"{"type":"join","room":"\#(room)"}"#)
        #expect(await a.nextMessage()?["type"] as? String == "joined")
        try await b.send(#"{"type":"join","room":"\#(room)"}"#)
        #expect(await b.nextMessage()?["peers"] as? Int == 1)
        #expect(await a.nextMessage()?["type"] as? String == "peer-joined")
        return (a, b)
    }

    @Test func aRoomRelaysOfferAnswerAndCandidatesAndTellsWhenAPeerLeavesOrTheServerStops() async throws {
        let server = try await Self.start()
        let (a, b) = try await Self.pair(server, room: "call")
        let offer = #"{"type":"offer","sdp":"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"}"#
        try await a.send(offer)
        #expect(await b.next() == .text(offer))
        let answer = #"{"type":"answer","sdp":"v=0\r\n"}"#
        try await b.send(answer)
        #expect(await a.next() == .text(answer))
        let candidate = #"{"type":"candidate","candidate":{"candidate":"candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host","sdpMid":"0"}}"#
        try await b.send(candidate)
        #expect(await a.next() == .text(candidate))
        try await b.sendClose(code: 1000)
        #expect(await b.closeFrame()?.code == 1000, "the server answers a close with the client's code")
        #expect(await a.nextMessage()?["type"] as? String == "peer-left")
        #expect(server.counters().relayed == 3)
        await server.stop()
        #expect(await a.closeFrame()?.code == 1001, "stopping closes the WebSockets")
    }

    /// Malformed JSON, a binary message, an unknown room, a third member and an oversized
    /// message each get an error message and a close frame with their code and reason; the
    /// room next door relays throughout.
    @Test func badInputIsClosedWithAReasonAndOtherRoomsGoOn() async throws {
        var limits = SignalingLimits()
        limits.maxMessageBytes = 4_096
        let server = try await Self.start(limits)
        let (c, d) = try await Self.pair(server, room: "next-door")
        let cases: [(String, (SignalingClient) async throws -> Void, SignalingRefusal)] = [
            ("malformed", { try await $0.send("{not json") }, .malformed("not JSON")),
            ("binary", { try await $0.sendBinary([1, 2, 3]) }, .binary),
            ("unknown room", { try await $0.send(#"{"type":"offer","sdp":"v=0"}"#) }, .notInRoom),
            ("bad room", { try await $0.send(#"{"type":"join","room":"a b"}"#) }, .badRoomName),
            ("third member", { try await $0.send(#"{"type":"join","room":"next-door"}"#) }, .roomFull),
        ]
        for (name, act, refusal) in cases {
            let client = try await SignalingClient.connect(to: server.endpoint)
            try await act(client)
            let error = await client.nextMessage()
            #expect(error?["type"] as? String == "error" && error?["reason"] as? String == refusal.description, "\(name)")
            let close = await client.closeFrame()
            #expect(close?.code == refusal.closeCode && close?.reason == refusal.description, "\(name): \(String(describing: close))")
            #expect(await client.next() == .ended, "\(name): the server closes the connection")
        }
        let big = try await SignalingClient.connect(to: server.endpoint)
        try await big.send(#"{"type":"join","room":"r"}"#)
        _ = await big.nextMessage()
        try await big.send(String(repeating: "x", count: 5_000))
        #expect(await big.nextMessage()?["type"] as? String == "error")
        #expect(await big.closeFrame()?.code == 1009)

        try await c.send(#"{"type":"offer","sdp":"still here"}"#)
        #expect(await d.next() == .text(#"{"type":"offer","sdp":"still here"}"#))
        let refused = server.counters().refused
        #expect(refused["malformed"] == 1 && refused["binary"] == 1 && refused["not_in_room"] == 1 && refused["room_full"] == 1
                && refused["bad_room_name"] == 1 && refused["too_large"] == 1, "\(refused)")
        for client in [c, d, big] { await client.close() }
        await server.stop()
    }

    @Test func aFloodIsRateLimitedAndItsPeerToldItLeft() async throws {
        let server = try await Self.start(Self.rate(5, burst: 10))
        let (a, b) = try await Self.pair(server, room: "flood")
        for _ in 0..<50 { try? await a.send(#"{"type":"candidate","candidate":null}"#) }
        #expect(await a.closeFrame()?.code == 1008)
        var sawLeft = false
        while case .text(let text)? = await b.next(within: 5) {
            if text.contains("peer-left") { sawLeft = true; break }
        }
        #expect(sawLeft && server.counters().refused["rate_limited"] == 1)
        await b.close()
        await server.stop()
    }

    /// A client that stops reading fills its connection's buffer; the server closes it as
    /// a slow reader instead of buffering without bound, and its peer hears `peer-left`.
    @Test func aClientThatNeverReadsIsClosed() async throws {
        let server = try await Self.start(Self.rate(10_000, burst: 10_000))
        let (reader, writer) = try await Self.pair(server, room: "slow")
        try await reader.channel.setOption(.autoRead, value: false).get()
        let message = #"{"type":"offer","sdp":"\#(String(repeating: "a", count: 60_000))"}"#
        var sent = 0
        while server.counters().refused["slow_reader"] == nil && sent < 4_000 {
            try await writer.send(message)
            sent += 1
        }
        #expect(server.counters().refused["slow_reader"] == 1, "after \(sent) messages of 60 kB")
        #expect(await writer.nextMessage(within: 10)?["type"] as? String == "peer-left")
        await reader.close()
        await writer.close()
        await server.stop()
    }

    /// WSS: the server terminates TLS with the project's `TLSSession`; a client verifying
    /// the self-signed certificate relays through it.
    @Test func webSocketsOverTLS() async throws {
        let identity = try TLSIdentity.generate(commonName: "localhost", subjectAltNames: ["127.0.0.1"],
                                                notBefore: Int64(Date().timeIntervalSince1970) - 60, validity: .seconds(3_600), randomness: .system)
        let server = try await Self.start(tls: try TLSContext(TLSConfiguration(role: .server, identity: identity)))
        let client = try TLSContext(TLSConfiguration(role: .client, trusted: [identity.certificate], serverName: "127.0.0.1"))
        let (a, b) = try await Self.pair(server, room: "secure", tls: client)
        try await a.send(#"{"type":"offer","sdp":"over tls"}"#)
        #expect(await b.next() == .text(#"{"type":"offer","sdp":"over tls"}"#))
        await a.close()
        await b.close()
        await server.stop()
    }

    @Test func servesThePageAndICEServersWithRESTCredentials() async throws {
        let server = try await Self.start(iceServers: ICEServerConfiguration(stunURLs: ["stun:127.0.0.1:3478"], turnURLs: ["turn:127.0.0.1:3478"],
                                                                            turnSecret: "secret", credentialTTL: 600))
        let base = "http://\(server.endpoint)"
        let page = try await LoopbackHTTP.get(base + "/")
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.text == SignalingDemoPage.html)
        let config = try await LoopbackHTTP.get(base + "/config")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(config.body)) as? [String: Any])
        let turn = try #require((json["iceServers"] as? [[String: Any]])?.last)
        let username = try #require(turn["username"] as? String)
        let credential = try #require(TURNRESTCredential(username: username))
        let now = Int64(Date().timeIntervalSince1970)
        #expect(credential.expiry > now && credential.expiry <= now + 600)
        #expect(turn["credential"] as? String == credential.password(secret: "secret"))
        let missing = try await LoopbackHTTP.get(base + "/nothing")
        #expect(missing.status == 404)
        await server.stop()
    }

    /// A connection that sends nothing is closed after the idle timeout; a WebSocket in a
    /// room is not (the upgrade removes the timer).
    @Test func silentConnectionsAreClosedButWebSocketsWait() async throws {
        var configuration = LiveSignalServer.Configuration(listen: Endpoint(.v4(.loopback), 0))
        configuration.idleTimeout = .milliseconds(300)
        let server = try await LiveSignalServer.start(configuration)
        let silent = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(to: try server.endpoint.socketAddress()).get()
        let waiting = try await SignalingClient.connect(to: server.endpoint)
        try await waiting.send(#"{"type":"join","room":"patient"}"#)
        #expect(await waiting.nextMessage()?["type"] as? String == "joined")
        let closed = silent.eventLoop.makePromise(of: Void.self)
        silent.closeFuture.whenComplete { _ in closed.succeed() }
        silent.eventLoop.scheduleTask(in: .seconds(10)) { closed.fail(ChannelError.ioOnClosedChannel) }
        #expect((try? await closed.futureResult.get()) != nil, "the silent connection was not closed")
        #expect(await waiting.next(within: 1) == nil, "the WebSocket is still open and quiet")
        #expect(server.counters().clients == 1)
        await waiting.close()
        await server.stop()
    }
}
