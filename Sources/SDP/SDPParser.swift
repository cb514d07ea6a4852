extension SessionDescription {
    /// Parses SDP text. Lines may end in CRLF or LF; blank lines are skipped.
    ///
    /// Line order follows RFC 8866's grammar and is enforced, so that what parses also
    /// serializes back as written. Unknown attributes are kept; known attributes
    /// (`candidate`, `fingerprint`, `rtpmap`, ...) are validated, and any problem is
    /// reported as an `SDPParseError` carrying the line number. Never traps.
    public init(parsing text: some StringProtocol) throws(SDPParseError) {
        var parser = SDPParser()
        var number = 0
        var lastLine = 0
        for line in Self.lines(of: Substring(text)) {
            number += 1
            if line.isEmpty { continue }
            lastLine = number
            do throws(SDPParseError) {
                try parser.consume(line)
            } catch {
                var located = error
                located.line = number
                throw located
            }
        }
        self = try parser.finish(lastLine: lastLine)
    }

    /// The lines of `text` split at LF bytes, without their LF or CRLF ends. Works on
    /// UTF-8 bytes because Swift treats CRLF as a single `Character`.
    private static func lines(of text: Substring) -> [Substring] {
        var lines: [Substring] = []
        var start = text.startIndex
        while start < text.endIndex {
            let end = text.utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            var stop = end
            if stop > start, text.utf8[text.utf8.index(before: stop)] == UInt8(ascii: "\r") {
                stop = text.utf8.index(before: stop)
            }
            lines.append(text[start..<stop])
            start = end < text.endIndex ? text.utf8.index(after: end) : end
        }
        return lines
    }
}

/// The state of a parse in progress: what has been read so far and where in the grammar
/// (RFC 8866 section 9) the next line may go.
private struct SDPParser {
    var sawVersion = false
    var origin: Origin?
    var sessionName: String?
    var session = SessionDescription(origin: Origin(sessionID: 0, sessionVersion: 0), timings: [])
    var media: MediaDescription?
    /// The rank of the last line read in the current section; lines must not go back.
    var rank = -1
    var previous: Character = "v"

    /// Session-level line types in grammar order; equal ranks may interleave (`t`/`r`).
    static let sessionRanks: [Character: Int] = ["v": 0, "o": 1, "s": 2, "i": 3, "u": 4, "e": 5, "p": 6, "c": 7,
                                                 "b": 8, "t": 9, "r": 9, "z": 10, "k": 11, "a": 12, "m": 13]
    /// Media-level line types in grammar order.
    static let mediaRanks: [Character: Int] = ["m": 0, "i": 1, "c": 2, "b": 3, "k": 4, "a": 5]
    /// Types that may appear more than once in a row.
    static let repeatable: Set<Character> = ["e", "p", "b", "t", "r", "a", "c", "m"]

    mutating func consume(_ line: Substring) throws(SDPParseError) {
        let bytes = line.utf8
        guard bytes.count >= 2, let first = bytes.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"),
              bytes[bytes.index(after: bytes.startIndex)] == UInt8(ascii: "=") else {
            if !sawVersion { throw SDPParseError(.missingVersion) }
            throw SDPParseError(.malformedLine(String(line)))
        }
        let type = Character(Unicode.Scalar(first))
        let value = line[line.utf8.index(line.startIndex, offsetBy: 2)...]
        guard sawVersion else {
            guard type == "v" else { throw SDPParseError(.missingVersion) }
            guard value == "0" else { throw SDPParseError(.unsupportedVersion(String(value))) }
            sawVersion = true
            rank = 0
            return
        }
        try checkOrder(type)
        if media != nil || type == "m" {
            try consumeMedia(type, value)
        } else {
            try consumeSession(type, value)
        }
    }

    /// Rejects unknown types, lines out of grammar order and repeats of single lines.
    mutating func checkOrder(_ type: Character) throws(SDPParseError) {
        let ranks = media == nil ? Self.sessionRanks : Self.mediaRanks
        guard let next = ranks[type] else {
            if Self.sessionRanks[type] != nil {
                throw SDPParseError(.misplacedLine(type, why: "only allowed at session level"))
            }
            throw SDPParseError(.unknownLineType(type))
        }
        if type != "m" {
            if next < rank { throw SDPParseError(.misplacedLine(type, why: "must come before \(previous)= lines")) }
            if next == rank && type == previous && !Self.repeatable.contains(type) {
                throw SDPParseError(.misplacedLine(type, why: "only one \(type)= line is allowed"))
            }
        }
        try requireMandatoryLines(before: type)
        rank = type == "m" ? 0 : next
        previous = type
    }

    /// `o=` and `s=` must precede everything after them, and `t=` everything after it.
    func requireMandatoryLines(before type: Character) throws(SDPParseError) {
        guard media == nil, let next = Self.sessionRanks[type] else { return }
        if next > 1 && origin == nil { throw SDPParseError(.missingLine("o")) }
        if next > 2 && sessionName == nil { throw SDPParseError(.missingLine("s")) }
        if next > 9 && session.timings.isEmpty { throw SDPParseError(.missingLine("t")) }
    }

    mutating func consumeSession(_ type: Character, _ value: Substring) throws(SDPParseError) {
        switch type {
        case "o": origin = try Origin(parsing: value)
        case "s": sessionName = String(value)
        case "i": session.information = String(value)
        case "u": session.uri = String(value)
        case "e": session.emails.append(String(value))
        case "p": session.phones.append(String(value))
        case "c": session.connection = try ConnectionData(parsing: value, type: "c")
        case "b": session.bandwidths.append(try Bandwidth(parsing: value))
        case "t": session.timings.append(try Timing(parsing: value))
        case "r":
            guard !session.timings.isEmpty else { throw SDPParseError(.misplacedLine("r", why: "must follow a t= line")) }
            session.timings[session.timings.count - 1].repeats.append(String(value))
        case "z": session.timeZones = String(value)
        case "k": session.encryptionKey = String(value)
        default: session.attributes.append(try Self.attribute(value))
        }
    }

    mutating func consumeMedia(_ type: Character, _ value: Substring) throws(SDPParseError) {
        if type == "m" {
            if let media { session.media.append(media) }
            media = try MediaDescription(mediaLine: value)
            return
        }
        guard var section = media else { return }
        media = nil
        switch type {
        case "i": section.information = String(value)
        case "c": section.connections.append(try ConnectionData(parsing: value, type: "c"))
        case "b": section.bandwidths.append(try Bandwidth(parsing: value))
        case "k": section.encryptionKey = String(value)
        default: section.attributes.append(try Self.attribute(value))
        }
        media = section
    }

    /// An attribute line, validated when its name is known.
    static func attribute(_ value: Substring) throws(SDPParseError) -> Attribute {
        let attribute = Attribute(line: value)
        guard !attribute.name.isEmpty else {
            throw SDPParseError(.badLine("a", value: String(value), why: "attribute name is empty"))
        }
        try AttributeValidation.validate(attribute)
        return attribute
    }

    /// Completes the parse; a missing mandatory line is reported just past `lastLine`.
    mutating func finish(lastLine: Int) throws(SDPParseError) -> SessionDescription {
        guard sawVersion else { throw SDPParseError(line: 1, .missingVersion) }
        let end = lastLine + 1
        guard let origin else { throw SDPParseError(line: end, .missingLine("o")) }
        guard let sessionName else { throw SDPParseError(line: end, .missingLine("s")) }
        guard !session.timings.isEmpty else { throw SDPParseError(line: end, .missingLine("t")) }
        if let media { session.media.append(media) }
        session.origin = origin
        session.sessionName = sessionName
        return session
    }
}
