import NetTypes
import Testing
@testable import WebSocket

/// A client and a server endpoint talking to each other through their outputs: the
/// handshake, messages both ways (fragmented too), ping/pong, closing, and failures.
@Suite struct WebSocketEndpointTests {
    /// A client and a server joined by a perfect byte pipe; events are collected per side.
    struct Pair {
        var client = WebSocketEndpoint(clientOf: "sig.test", path: "/ws", maximumMessage: 1_000, rng: Xoshiro256(seed: 1))
        var server = WebSocketEndpoint(serverWithMaximumMessage: 1_000)
        var clientEvents: [WebSocketEvent] = []
        var serverEvents: [WebSocketEvent] = []
        var clientClosedConnection = false
        var serverClosedConnection = false
        /// Every byte the client sent, for checking its masking.
        var clientBytes: [UInt8] = []

        /// Moves outputs across until both sides are quiet.
        mutating func run() {
            var moved = true
            while moved {
                moved = false
                while let output = client.poll() {
                    moved = true
                    switch output {
                    case .transmit(let bytes): clientBytes += bytes; server.receive(bytes)
                    case .event(let event): clientEvents.append(event)
                    case .closeConnection: clientClosedConnection = true
                    }
                }
                while let output = server.poll() {
                    moved = true
                    switch output {
                    case .transmit(let bytes): client.receive(bytes)
                    case .event(let event): serverEvents.append(event)
                    case .closeConnection: serverClosedConnection = true
                    }
                }
            }
        }
    }

    @Test func handshakeThenMessagesBothWays() {
        var pair = Pair()
        pair.run()
        #expect(pair.client.state == .open)
        #expect(pair.server.state == .open)
        #expect(pair.serverEvents == [.open(path: "/ws")])
        #expect(pair.clientEvents == [.open(path: "")])
        pair.client.maximumFrame = 7
        let offer = #"{"type":"offer","sdp":"v=0\r\n…"}"#
        let sentOffer = pair.client.send(text: offer)
        let sentJoined = pair.server.send(text: #"{"type":"joined"}"#)
        #expect(sentOffer && sentJoined)
        pair.run()
        #expect(pair.serverEvents.last == .message(.text(offer)))
        #expect(pair.clientEvents.last == .message(.text(#"{"type":"joined"}"#)))
        let pinged = pair.client.ping([9, 9])
        #expect(pinged)
        pair.run()
        #expect(pair.clientEvents.last == .message(.pong([9, 9])))
        // Closing: the server echoes the close and ends the TCP connection first.
        pair.client.close(code: 1000, reason: "bye")
        pair.run()
        #expect(pair.serverEvents.last == .closed(code: 1000, reason: "bye"))
        #expect(pair.clientEvents.last == .closed(code: 1000, reason: ""))
        #expect(pair.serverClosedConnection)
        #expect(pair.client.state == .closed)
        let sentLate = pair.client.send(text: "late")
        #expect(!sentLate)
    }

    @Test func sameSeedSameBytes() {
        func bytes(seed: UInt64) -> [UInt8] {
            var pair = Pair(client: WebSocketEndpoint(clientOf: "sig.test", path: "/ws", maximumMessage: 1_000, rng: Xoshiro256(seed: seed)))
            pair.run()
            pair.client.send(text: "hello")
            pair.run()
            return pair.clientBytes
        }
        #expect(bytes(seed: 1) == bytes(seed: 1))
        #expect(bytes(seed: 1) != bytes(seed: 2))
    }

    @Test func aServerFailsOnABadFrameWithItsCloseCode() {
        var pair = Pair()
        pair.run()
        pair.server.receive([0x81, 0x01, 0x41])  // unmasked
        pair.run()
        #expect(pair.serverEvents.last == .failed(.unmaskedClientFrame))
        #expect(pair.serverClosedConnection)
        #expect(pair.clientEvents.last == .closed(code: 1002, reason: "unmasked frame from a client"))
    }

    @Test func aServerRefusesABadRequestOverHTTP() {
        var server = WebSocketEndpoint(serverWithMaximumMessage: 100)
        server.receive(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        var outputs: [WebSocketOutput] = []
        while let output = server.poll() { outputs.append(output) }
        #expect(outputs.count == 3)
        #expect(outputs.dropFirst() == [.event(.failed(.badHandshake("no Upgrade: websocket"))), .closeConnection])
        if case .transmit(let bytes) = outputs.first { #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad Request")) }
        else { Issue.record("no refusal sent") }
    }

    @Test func aClientFailsOnAWrongAccept() {
        var client = WebSocketEndpoint(clientOf: "x", path: "/", maximumMessage: 100, rng: Xoshiro256(seed: 3))
        _ = client.poll()
        client.receive(Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n".utf8))
        let failure = client.poll()
        let close = client.poll()
        #expect(failure == .event(.failed(.badHandshake("wrong Sec-WebSocket-Accept"))))
        #expect(close == .closeConnection)
        #expect(client.state == .closed)
    }

    @Test func framesInTheSameSegmentAsTheHandshakeAreKept() {
        var server = WebSocketEndpoint(serverWithMaximumMessage: 100)
        let request = WebSocketHandshake.request(host: "x", path: "/", key: "dGhlIHNhbXBsZSBub25jZQ==")
        server.receive(request + WebSocketFrame(opcode: .text, payload: Array("hi".utf8)).encoded(maskKey: [1, 2, 3, 4]))
        var events: [WebSocketEvent] = []
        while let output = server.poll() { if case .event(let event) = output { events.append(event) } }
        #expect(events == [.open(path: "/"), .message(.text("hi"))])
    }

    @Test func oversizeAndBadUTF8FailWithTheirCodes() {
        var pair = Pair()
        pair.run()
        pair.server.receive(WebSocketFrame(opcode: .text, payload: [0xFF]).encoded(maskKey: [0, 0, 0, 0]))
        pair.run()
        #expect(pair.clientEvents.last == .closed(code: 1007, reason: "text message is not UTF-8"))
        var big = Pair()
        big.run()
        big.server.receive(WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 1, count: 1_001)).encoded(maskKey: [0, 0, 0, 0]))
        big.run()
        #expect(big.serverEvents.last == .failed(.tooLarge(1_001)))
        #expect(big.clientEvents.last == .closed(code: 1009, reason: "message too large: 1001 bytes"))
    }
}
