import COpenSSL
import NetTypes

/// The opening handshake (RFC 6455 §4): the client's HTTP/1.1 Upgrade request with a
/// random key, and the server's 101 answer proving it read the key
/// (Sec-WebSocket-Accept = base64(SHA-1(key + GUID)), §4.2.2 step 5.4).
public enum WebSocketHandshake {
    /// The GUID every accept value is computed with (§1.3).
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    /// The longest request or response head read before it is refused.
    public static let maximumLength = 8_192

    /// A client's request as the server read and checked it.
    public struct Request: Sendable, Hashable {
        public var path: String
        public var host: String
        public var key: String
    }

    /// A fresh Sec-WebSocket-Key: 16 random bytes, base64 (§4.1, item 7).
    public static func makeKey(using rng: inout Xoshiro256) -> String {
        let words = [rng.next(), rng.next()]
        return Base64.encode(words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) } })
    }

    /// The Sec-WebSocket-Accept value for `key` (§4.2.2 step 5.4).
    public static func accept(forKey key: String) -> String {
        let input = Array((key + guid).utf8)
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        _ = SHA1(input, input.count, &digest)
        return Base64.encode(digest)
    }

    /// The client's opening request (§4.1).
    public static func request(host: String, path: String, key: String) -> [UInt8] {
        Array(("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
    }

    /// The server's 101 answer to a request with `key` (§4.2.2).
    public static func response(key: String) -> [UInt8] {
        Array(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(accept(forKey: key))\r\n\r\n").utf8)
    }

    /// What a server answers a request it refuses (§4.2.2: an HTTP error; 426 with the
    /// version it speaks when the version was wrong, §4.4).
    public static func refusal(_ error: WebSocketError) -> [UInt8] {
        let status = if case .unsupportedVersion = error { "426 Upgrade Required" } else { "400 Bad Request" }
        return Array("HTTP/1.1 \(status)\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
    }

    /// Reads and checks a client's request at the start of `bytes` (§4.2.1): a GET of
    /// HTTP/1.1 or later, Host, Upgrade: websocket, Connection: Upgrade, a key of 16
    /// bytes in base64 and version 13. Nil while incomplete; else the request and the
    /// bytes it took.
    public static func parseRequest(_ bytes: ArraySlice<UInt8>) throws(WebSocketError) -> (Request, Int)? {
        guard let (head, consumed) = try HTTPHead.parse(bytes, maximumLength: maximumLength) else { return nil }
        let parts = head.startLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "GET", parts[1].hasPrefix("/"), parts[2] == "HTTP/1.1" else {
            throw .badHandshake("request line is not 'GET /path HTTP/1.1'")
        }
        let host = try head.value("host")
        guard head.contains("upgrade", token: "websocket") else { throw .badHandshake("no Upgrade: websocket") }
        guard head.contains("connection", token: "upgrade") else { throw .badHandshake("no Connection: Upgrade") }
        let key = try head.value("sec-websocket-key")
        guard isKey(key) else { throw .badHandshake("Sec-WebSocket-Key is not 16 bytes in base64") }
        let version = try head.value("sec-websocket-version")
        guard version == "13" else { throw .unsupportedVersion(version) }
        return (Request(path: String(parts[1]), host: host, key: key), consumed)
    }

    /// Checks the server's answer to a request sent with `key` (§4.1, the client's
    /// checks 1-4); nil while incomplete, else the bytes it took.
    public static func parseResponse(_ bytes: ArraySlice<UInt8>, key: String) throws(WebSocketError) -> Int? {
        guard let (head, consumed) = try HTTPHead.parse(bytes, maximumLength: maximumLength) else { return nil }
        let parts = head.startLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" else { throw .badHandshake("status line is not HTTP/1.1") }
        guard parts[1] == "101" else { throw .badHandshake("status \(parts[1].prefix(3)), not 101") }
        guard head.contains("upgrade", token: "websocket") else { throw .badHandshake("no Upgrade: websocket") }
        guard head.contains("connection", token: "upgrade") else { throw .badHandshake("no Connection: Upgrade") }
        guard try head.value("sec-websocket-accept") == accept(forKey: key) else { throw .badHandshake("wrong Sec-WebSocket-Accept") }
        return consumed
    }

    /// 24 characters of base64 whose last two are padding: 16 bytes (§4.2.1 item 5).
    public static func isKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard bytes.count == 24, bytes[22] == UInt8(ascii: "="), bytes[23] == UInt8(ascii: "=") else { return false }
        return bytes[..<22].allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 43 || byte == 47
        }
    }
}
