extension SessionDescription {
    /// Parses SDP text. Lines may end in CRLF or LF; blank lines are skipped.
    ///
    /// Line order follows RFC 8866's grammar and is enforced, so that what parses also
    /// serializes back as written. Unknown attributes are kept; known attributes
    /// (`candidate`, `fingerprint`, `rtpmap`, ...) are validated, and any problem is
    /// reported as an `SDPParseError` carrying the line number. Never traps.
    public init(parsing text: some StringProtocol) throws(SDPParseError) {
        var parser = SDPParser()
        var lines = SDPLineScanner(Substring(text))
        var number = 0
        var lastLine = 0
        while let line = lines.next() {
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
}

/// The state of a parse in progress: what has been read so far and where in the grammar
/// (RFC 8866 section 9) the next line may go. Line types are handled as their ASCII byte
/// (a `Character` only in errors): hashing and comparing `Character`s cost more than
/// the rest of reading a line.
private struct SDPParser {
    var sawVersion = false
    var origin: Origin?
    var sessionName: String?
    var session = SessionDescription(origin: Origin(sessionID: 0, sessionVersion: 0), timings: [])
    var media: MediaDescription?
    /// The rank of the last line read in the current section; lines must not go back.
    var rank = -1
    var previous = UInt8(ascii: "v")

    /// The rank of a session-level line type in grammar order; equal ranks may interleave
    /// (`t`/`r`); nil for types not allowed at session level.
    static func sessionRank(_ type: UInt8) -> Int? {
        switch type {
        case UInt8(ascii: "v"): 0
        case UInt8(ascii: "o"): 1
        case UInt8(ascii: "s"): 2
        case UInt8(ascii: "i"): 3
        case UInt8(ascii: "u"): 4
        case UInt8(ascii: "e"): 5
        case UInt8(ascii: "p"): 6
        case UInt8(ascii: "c"): 7
        case UInt8(ascii: "b"): 8
        case UInt8(ascii: "t"), UInt8(ascii: "r"): 9
        case UInt8(ascii: "z"): 10
        case UInt8(ascii: "k"): 11
        case UInt8(ascii: "a"): 12
        case UInt8(ascii: "m"): 13
        default: nil
        }
    }

    /// The rank of a media-level line type in grammar order; nil for the others.
    static func mediaRank(_ type: UInt8) -> Int? {
        switch type {
        case UInt8(ascii: "m"): 0
        case UInt8(ascii: "i"): 1
        case UInt8(ascii: "c"): 2
        case UInt8(ascii: "b"): 3
        case UInt8(ascii: "k"): 4
        case UInt8(ascii: "a"): 5
        default: nil
        }
    }

    /// Types that may appear more than once in a row.
    static func isRepeatable(_ type: UInt8) -> Bool {
        switch type {
        case UInt8(ascii: "e"), UInt8(ascii: "p"), UInt8(ascii: "b"), UInt8(ascii: "t"), UInt8(ascii: "r"),
             UInt8(ascii: "a"), UInt8(ascii: "c"), UInt8(ascii: "m"): true
        default: false
        }
    }

    /// A line type byte (ASCII a–z) as the errors name it.
    static func character(_ type: UInt8) -> Character { Character(Unicode.Scalar(type)) }

    mutating func consume(_ line: Substring) throws(SDPParseError) {
        let bytes = line.utf8
        guard bytes.count >= 2, let type = bytes.first, type >= UInt8(ascii: "a"), type <= UInt8(ascii: "z"),
              bytes[bytes.index(after: bytes.startIndex)] == UInt8(ascii: "=") else {
            if !sawVersion { throw SDPParseError(.missingVersion) }
            throw SDPParseError(.malformedLine(String(line)))
        }
        let value = Substring(bytes.dropFirst(2))
        guard sawVersion else {
            guard type == UInt8(ascii: "v") else { throw SDPParseError(.missingVersion) }
            guard value == "0" else { throw SDPParseError(.unsupportedVersion(String(value))) }
            sawVersion = true
            rank = 0
            return
        }
        try checkOrder(type)
        if media != nil || type == UInt8(ascii: "m") {
            try consumeMedia(type, value)
        } else {
            try consumeSession(type, value)
        }
    }

    /// Rejects unknown types, lines out of grammar order and repeats of single lines.
    mutating func checkOrder(_ type: UInt8) throws(SDPParseError) {
        guard let next = media == nil ? Self.sessionRank(type) : Self.mediaRank(type) else {
            if Self.sessionRank(type) != nil {
                throw SDPParseError(.misplacedLine(Self.character(type), why: "only allowed at session level"))
            }
            throw SDPParseError(.unknownLineType(Self.character(type)))
        }
        if type != UInt8(ascii: "m") {
            if next < rank { throw SDPParseError(.misplacedLine(Self.character(type), why: "must come before \(Self.character(previous))= lines")) }
            if next == rank && type == previous && !Self.isRepeatable(type) {
                let letter = Self.character(type)
                throw SDPParseError(.misplacedLine(letter, why: "only one \(letter)= line is allowed"))
            }
        }
        try requireMandatoryLines(before: type)
        rank = type == UInt8(ascii: "m") ? 0 : next
        previous = type
    }

    /// `o=` and `s=` must precede everything after them, and `t=` everything after it.
    func requireMandatoryLines(before type: UInt8) throws(SDPParseError) {
        guard media == nil, let next = Self.sessionRank(type) else { return }
        if next > 1 && origin == nil { throw SDPParseError(.missingLine("o")) }
        if next > 2 && sessionName == nil { throw SDPParseError(.missingLine("s")) }
        if next > 9 && session.timings.isEmpty { throw SDPParseError(.missingLine("t")) }
    }

    mutating func consumeSession(_ type: UInt8, _ value: Substring) throws(SDPParseError) {
        switch type {
        case UInt8(ascii: "o"): origin = try Origin(parsing: value)
        case UInt8(ascii: "s"): sessionName = String(value)
        case UInt8(ascii: "i"): session.information = String(value)
        case UInt8(ascii: "u"): session.uri = String(value)
        case UInt8(ascii: "e"): session.emails.append(String(value))
        case UInt8(ascii: "p"): session.phones.append(String(value))
        case UInt8(ascii: "c"): session.connection = try ConnectionData(parsing: value, type: "c")
        case UInt8(ascii: "b"): session.bandwidths.append(try Bandwidth(parsing: value))
        case UInt8(ascii: "t"): session.timings.append(try Timing(parsing: value))
        case UInt8(ascii: "r"):
            guard !session.timings.isEmpty else { throw SDPParseError(.misplacedLine("r", why: "must follow a t= line")) }
            session.timings[session.timings.count - 1].repeats.append(String(value))
        case UInt8(ascii: "z"): session.timeZones = String(value)
        case UInt8(ascii: "k"): session.encryptionKey = String(value)
        default: session.attributes.append(try Self.attribute(value))
        }
    }

    mutating func consumeMedia(_ type: UInt8, _ value: Substring) throws(SDPParseError) {
        if type == UInt8(ascii: "m") {
            if let media { session.media.append(media) }
            media = try MediaDescription(mediaLine: value)
            return
        }
        guard var section = media else { return }
        media = nil
        switch type {
        case UInt8(ascii: "i"): section.information = String(value)
        case UInt8(ascii: "c"): section.connections.append(try ConnectionData(parsing: value, type: "c"))
        case UInt8(ascii: "b"): section.bandwidths.append(try Bandwidth(parsing: value))
        case UInt8(ascii: "k"): section.encryptionKey = String(value)
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
