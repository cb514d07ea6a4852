extension StringProtocol {
    /// Whether the text is one or more ASCII digits (no sign, no spaces).
    var isDigits: Bool { !isEmpty && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
}

extension FixedWidthInteger {
    /// Reads plain decimal digits; unlike `init?(_:)` it rejects signs and empty text.
    init?(digits text: some StringProtocol) {
        guard text.isDigits, let value = Self(text, radix: 10) else { return nil }
        self = value
    }
}

extension Substring {
    /// Whether every byte is ASCII: then each byte is one `Character` (a line holds no
    /// LF, so no CRLF pair either) and byte-level scanning finds what a character-level
    /// one would, without the cost of grapheme breaking.
    var isASCII: Bool { utf8.allSatisfy { $0 < 0x80 } }

    /// The space-separated fields of a value, empty ones omitted: `split(separator: " ")`,
    /// found on UTF-8 bytes when the text is ASCII (SDP's grammar is, RFC 8866 §9).
    var fields: [Substring] {
        guard isASCII else { return split(separator: " ") }
        var fields: [Substring] = []
        let bytes = utf8
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: " ") {
                if index > start { fields.append(self[start..<index]) }
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if index > start { fields.append(self[start..<index]) }
        return fields
    }

    /// The first colon: `firstIndex(of: ":")`, found on bytes when the text is ASCII.
    var firstColon: Index? {
        isASCII ? utf8.firstIndex(of: UInt8(ascii: ":")) : firstIndex(of: ":")
    }
}
