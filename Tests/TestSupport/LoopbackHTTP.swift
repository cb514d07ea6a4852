import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain HTTP/1.1 client for the tests' loopback servers (`/metrics`, `/config`, the
/// demo page): one blocking socket per request on a thread of its own, `Connection:
/// close`, the response read to the end of the stream.
///
/// Not `URLSession`: on Linux its libcurl session is shared by every test of the process
/// and its requests time out after 60 s of any stall, so on a loaded 2-core machine a
/// test failed with NSURLErrorDomain -1001 although the server was healthy. Here each
/// request has its own connection and an explicit, generous deadline, and the waiting
/// happens off Swift's cooperative pool.
public enum LoopbackHTTP {
    /// What came back.
    public struct Response: Sendable {
        public var status: Int
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: [UInt8]

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Why a request failed.
    public enum Failure: Error, CustomStringConvertible {
        case notLoopbackIPv4(String)
        case socket(operation: String, errno: Int32)
        case malformedResponse(String)

        public var description: String {
            switch self {
            case .notLoopbackIPv4(let url): "not an http://127.x.y.z:port URL: \(url)"
            case .socket(let operation, let errno): "\(operation) failed: \(String(cString: strerror(errno)))"
            case .malformedResponse(let why): "malformed HTTP response: \(why)"
            }
        }
    }

    /// GETs `url` (http, an IPv4 literal host).
    public static func get(_ url: String, timeout: Duration = .seconds(300)) async throws -> Response {
        try await request("GET", url, body: nil, timeout: timeout)
    }

    /// POSTs `body` to `url` (http, an IPv4 literal host).
    public static func post(_ url: String, body: [UInt8], contentType: String = "application/octet-stream",
                            timeout: Duration = .seconds(300)) async throws -> Response {
        try await request("POST", url, body: body, contentType: contentType, timeout: timeout)
    }

    static func request(_ method: String, _ url: String, body: [UInt8]?, contentType: String? = nil, timeout: Duration) async throws -> Response {
        guard let parsed = URLComponents(string: url), parsed.scheme == "http", let host = parsed.host, let port = parsed.port,
              let address = IPv4Literal(host), UInt16(exactly: port) != nil else { throw Failure.notLoopbackIPv4(url) }
        let target = (parsed.percentEncodedPath.isEmpty ? "/" : parsed.percentEncodedPath) + (parsed.percentEncodedQuery.map { "?" + $0 } ?? "")
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        if let body {
            head += "Content-Length: \(body.count)\r\n"
            if let contentType { head += "Content-Type: \(contentType)\r\n" }
        }
        let bytes = Array((head + "\r\n").utf8) + (body ?? [])
        let raw = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try exchange(bytes, address: address, port: UInt16(port), timeout: timeout) })
            }
        }
        return try parse(raw)
    }

    /// The host's address in network order, if it is a dotted IPv4 literal.
    private static func IPv4Literal(_ host: String) -> UInt32? {
        var address = in_addr()
        return inet_pton(AF_INET, host, &address) == 1 ? address.s_addr : nil
    }

    /// Connects, writes `request` and reads until the server closes.
    private static func exchange(_ request: [UInt8], address: UInt32, port: UInt16, timeout: Duration) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket(operation: "socket", errno: errno) }
        defer { close(fd) }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            setsockopt(fd, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        var peer = LoopbackAddress.ipv4(port: port)
        peer.sin_addr.s_addr = address
        guard LoopbackAddress.withSockaddr(&peer, { connect(fd, $0, $1) }) == 0 else { throw Failure.socket(operation: "connect", errno: errno) }
        var offset = 0
        while offset < request.count {
            let sent = request[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure.socket(operation: "send", errno: errno) }
            offset += sent
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return response }
            guard count > 0 else { throw Failure.socket(operation: "recv", errno: errno) }
            response += chunk[..<count]
        }
    }

    /// Status line, headers, and the body (`Content-Length` bytes, or all that followed).
    private static func parse(_ raw: [UInt8]) throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = raw.indices.dropLast(3).first(where: { raw[$0..<$0 + 4].elementsEqual(separator) }) else {
            throw Failure.malformedResponse("no end of headers in \(raw.count) bytes")
        }
        let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines[0].split(separator: " ")
        guard status.count >= 2, status[0].hasPrefix("HTTP/1."), let code = Int(status[1]) else {
            throw Failure.malformedResponse("status line \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw Failure.malformedResponse("header line \(line)") }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(raw[(end + 4)...])
        if let length = headers["content-length"].flatMap(Int.init) {
            guard body.count >= length else { throw Failure.malformedResponse("body of \(body.count) bytes, Content-Length \(length)") }
            body = Array(body[..<length])
        }
        return Response(status: code, headers: headers, body: body)
    }
}
