#if canImport(Glibc)
import Glibc
#endif
import NetTypes
import WebSocket

/// libFuzzer entry point for the WebSocket core (RFC 6455): the input is `FuzzInput`'s
/// mode byte and chunks of a byte stream. Mode 0: a server endpoint reads the chunks
/// (handshake parser, frame decoder, reassembly). Mode 1: a client endpoint reads a valid
/// 101 answer and then the chunks (unmasked frames from a server). Mode 2: the handshake
/// parser alone on the whole input — a request it accepts must get an answer the client
/// side accepts. Properties: no trap or sanitizer report, a failed endpoint takes no more
/// input, bounded buffering, and the handshake round trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func webSocketFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let chunks = FuzzInput.datagrams(bytes[1...])
    switch bytes[0] % 3 {
    case 0:
        var server = WebSocketEndpoint(serverWithMaximumMessage: 4_096)
        feed(&server, chunks)
    case 1:
        var client = WebSocketEndpoint(clientOf: "fuzz", path: "/ws", maximumMessage: 4_096, rng: Xoshiro256(seed: 1))
        guard case .transmit(let request)? = client.poll(),
              let (parsed, _) = try? WebSocketHandshake.parseRequest(request[...]) else { fatalError("the client's own request is refused") }
        client.receive(WebSocketHandshake.response(key: parsed.key))
        feed(&client, chunks)
    default:
        guard let (request, consumed) = try? WebSocketHandshake.parseRequest(bytes[1...]) else { return 0 }
        guard consumed <= size - 1, WebSocketHandshake.isKey(request.key) else { fatalError("accepted a request with a bad key") }
        let answer = WebSocketHandshake.response(key: request.key)
        guard (try? WebSocketHandshake.parseResponse(answer[...], key: request.key)) == answer.count else {
            fatalError("the answer to an accepted request is refused")
        }
    }
    return 0
}

/// Feeds every chunk, draining after each; a failed or closed endpoint must stay quiet.
private func feed(_ endpoint: inout WebSocketEndpoint, _ chunks: [[UInt8]]) {
    for chunk in chunks {
        let wasClosed = endpoint.state == .closed
        endpoint.receive(chunk)
        var outputs = 0
        while let output = endpoint.poll() {
            outputs += 1
            if wasClosed { fatalError("a closed endpoint produced \(output)") }
        }
        if outputs > chunk.count + 8 { fatalError("\(outputs) outputs for \(chunk.count) bytes") }
    }
}
