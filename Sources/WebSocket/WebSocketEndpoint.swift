import NetTypes

/// What a `WebSocketEndpoint` reports to its application.
public enum WebSocketEvent: Sendable, Hashable {
    /// The opening handshake completed; a server learns the path the client asked for.
    case open(path: String)
    /// A whole text or binary message, or a pong.
    case message(WebSocketMessage)
    /// The peer closed (its close frame's code and reason); ours has been queued.
    case closed(code: UInt16, reason: String)
    /// The peer's input broke the protocol: the endpoint queued its close frame (or HTTP
    /// refusal) and asks for the connection to be closed.
    case failed(WebSocketError)
}

/// What the driver does next: send bytes on the stream, hand an event up, or close the
/// stream (after the queued bytes).
public enum WebSocketOutput: Sendable, Hashable {
    case transmit([UInt8])
    case event(WebSocketEvent)
    case closeConnection
}

/// One side of a WebSocket connection (RFC 6455) as a sans-IO state machine over a byte
/// stream: the driver feeds it the stream's bytes (`receive`) and the application's
/// messages (`send`, `close`), then drains `poll()` after every input. A client masks
/// its frames with keys from the seeded generator it was given (§5.3) and writes its
/// handshake key from it, so a simulated connection's bytes repeat per seed; a server
/// checks the handshake and that every frame is masked. Pings are answered with pongs
/// (§5.5.3), a close with a close (§5.5.1). No timers: a WebSocket has none of its own.
public struct WebSocketEndpoint: Sendable {
    public enum Role: Sendable { case client, server }
    public enum State: Sendable, Hashable { case handshaking, open, closing, closed }

    public let role: Role
    public private(set) var state = State.handshaking
    private var rng: Xoshiro256
    /// The client's key, which the server's accept value must match.
    private let key: String
    private var handshakeBuffer: [UInt8] = []
    private var decoder: WebSocketFrameDecoder
    private var assembler: WebSocketMessageAssembler
    private var outputs: [WebSocketOutput] = []
    private var outputHead = 0
    /// Frames a message is split into when longer (fragmentation, §5.4).
    public var maximumFrame: Int

    /// A client that will ask for `path` on `host`; its request is the first output.
    public init(clientOf host: String, path: String, maximumMessage: Int, rng: Xoshiro256) {
        role = .client
        self.rng = rng
        key = WebSocketHandshake.makeKey(using: &self.rng)
        decoder = WebSocketFrameDecoder(peerIsClient: false, maximumPayload: maximumMessage)
        assembler = WebSocketMessageAssembler(maximumMessage: maximumMessage)
        maximumFrame = maximumMessage
        outputs.append(.transmit(WebSocketHandshake.request(host: host, path: path, key: key)))
    }

    /// A server waiting for a client's opening request.
    public init(serverWithMaximumMessage maximumMessage: Int) {
        role = .server
        rng = Xoshiro256(seed: 0)  // never drawn from: a server's frames are unmasked
        key = ""
        decoder = WebSocketFrameDecoder(peerIsClient: true, maximumPayload: maximumMessage)
        assembler = WebSocketMessageAssembler(maximumMessage: maximumMessage)
        maximumFrame = maximumMessage
    }

    /// Bytes from the stream.
    public mutating func receive(_ bytes: [UInt8]) {
        guard state != .closed else { return }
        do throws(WebSocketError) {
            if state == .handshaking {
                handshakeBuffer += bytes
                guard let consumed = try handshake() else { return }
                decoder.append(handshakeBuffer[consumed...])
                handshakeBuffer = []
            } else {
                decoder.append(bytes)
            }
            while state != .closed, let frame = try decoder.next() {
                guard let message = try assembler.add(frame) else { continue }
                handle(message)
            }
        } catch {
            fail(error)
        }
    }

    /// Sends a text message, in frames of at most `maximumFrame` bytes; false unless open.
    @discardableResult
    public mutating func send(text: String) -> Bool {
        guard state == .open else { return false }
        let payload = Array(text.utf8)
        var offset = 0
        repeat {
            let end = min(payload.count, offset + max(1, maximumFrame))
            let frame = WebSocketFrame(fin: end == payload.count, opcode: offset == 0 ? .text : .continuation,
                                       payload: Array(payload[offset..<end]))
            transmit(frame)
            offset = end
        } while offset < payload.count
        return true
    }

    /// Sends a ping (its payload cut to 125 bytes); false unless open.
    @discardableResult
    public mutating func ping(_ payload: [UInt8]) -> Bool {
        guard state == .open else { return false }
        transmit(WebSocketFrame(opcode: .ping, payload: Array(payload.prefix(125))))
        return true
    }

    /// Starts the closing handshake (§7.1.2) with `code` and `reason`.
    public mutating func close(code: UInt16 = 1000, reason: String = "") {
        guard state == .open else { return }
        transmit(WebSocketFrame(opcode: .close, payload: WebSocketFrame.closePayload(code: code, reason: reason)))
        state = .closing
    }

    /// The next output, or nil; drain after every input.
    public mutating func poll() -> WebSocketOutput? {
        guard outputHead < outputs.count else { return nil }
        let output = outputs[outputHead]
        outputHead += 1
        if outputHead == outputs.count { outputs.removeAll(keepingCapacity: true); outputHead = 0 }
        return output
    }

    /// Reads the peer's handshake; the bytes it took once complete.
    private mutating func handshake() throws(WebSocketError) -> Int? {
        switch role {
        case .client:
            guard let consumed = try WebSocketHandshake.parseResponse(handshakeBuffer[...], key: key) else { return nil }
            state = .open
            outputs.append(.event(.open(path: "")))
            return consumed
        case .server:
            guard let (request, consumed) = try WebSocketHandshake.parseRequest(handshakeBuffer[...]) else { return nil }
            outputs.append(.transmit(WebSocketHandshake.response(key: request.key)))
            state = .open
            outputs.append(.event(.open(path: request.path)))
            return consumed
        }
    }

    private mutating func handle(_ message: WebSocketMessage) {
        switch message {
        case .ping(let payload):
            if state == .open { transmit(WebSocketFrame(opcode: .pong, payload: payload)) }
        case .close(let code, let reason):
            if state == .open {
                let body = code == 1005 ? [] : WebSocketFrame.closePayload(code: code, reason: "")
                transmit(WebSocketFrame(opcode: .close, payload: body))
            }
            state = .closed
            outputs.append(.event(.closed(code: code, reason: reason)))
            // The server closes the TCP connection first (§7.1.1).
            if role == .server { outputs.append(.closeConnection) }
        case .text, .binary, .pong:
            if state == .open { outputs.append(.event(.message(message))) }
        }
    }

    /// Fails the connection (§7.1.7): a close frame with the error's code once open, an
    /// HTTP refusal from a server still in its handshake.
    private mutating func fail(_ error: WebSocketError) {
        switch state {
        case .handshaking where role == .server: outputs.append(.transmit(WebSocketHandshake.refusal(error)))
        case .open: transmit(WebSocketFrame(opcode: .close, payload: WebSocketFrame.closePayload(code: error.closeCode, reason: error.description)))
        case .handshaking, .closing, .closed: break
        }
        state = .closed
        outputs.append(.event(.failed(error)))
        outputs.append(.closeConnection)
    }

    private mutating func transmit(_ frame: WebSocketFrame) {
        guard role == .client else { return outputs.append(.transmit(frame.encoded())) }
        let word = rng.next()
        outputs.append(.transmit(frame.encoded(maskKey: (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) })))
    }
}
