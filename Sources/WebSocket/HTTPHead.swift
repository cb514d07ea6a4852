/// The head of an HTTP/1.1 message (RFC 9112 §2.1): its start line and header fields,
/// as the WebSocket opening handshake sends them (RFC 6455 §4). Only what the handshake
/// needs: no bodies, no obsolete line folding.
struct HTTPHead {
    var startLine: String
    /// Header fields with lower-cased names, values trimmed, in order.
    var fields: [(name: String, value: String)]

    /// The head at the start of `bytes` and the bytes it took; nil while its blank line
    /// has not arrived. Heads longer than `maximumLength` are refused.
    static func parse(_ bytes: ArraySlice<UInt8>, maximumLength: Int) throws(WebSocketError) -> (HTTPHead, Int)? {
        guard let end = headEnd(bytes) else {
            if bytes.count > maximumLength { throw .handshakeTooLong }
            return nil
        }
        guard end - bytes.startIndex <= maximumLength else { throw .handshakeTooLong }
        guard let text = String(validating: bytes[bytes.startIndex..<end], as: UTF8.self) else {
            throw .badHandshake("header block is not UTF-8")
        }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let startLine = lines.removeFirst()
        var fields: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else {
                throw .badHandshake("malformed header line")
            }
            fields.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingWhitespace))
        }
        return (HTTPHead(startLine: startLine, fields: fields), end + 4 - bytes.startIndex)
    }

    /// The single value of field `name`; a missing or repeated field is an error.
    func value(_ name: String) throws(WebSocketError) -> String {
        let values = fields.filter { $0.name == name }
        guard values.count == 1 else { throw .badHandshake(values.isEmpty ? "no \(name) field" : "repeated \(name) field") }
        return values[0].value
    }

    /// Whether the comma-separated list in field `name` holds `token` (case-insensitive),
    /// across every line of the field.
    func contains(_ name: String, token: String) -> Bool {
        fields.filter { $0.name == name }.contains { field in
            field.value.split(separator: ",").contains { $0.trimmingWhitespace.lowercased() == token }
        }
    }

    /// The index of the CR of the CR LF CR LF that ends the head.
    private static func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 { return index }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
