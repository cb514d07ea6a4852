import SDP

/// One trickled candidate, or the end of them, as RFC 8840 §9 carries it in an
/// `application/trickle-ice-sdpfrag` body: the ICE credentials that identify the
/// generation (an ICE restart changes them, so a late candidate of an old generation is
/// recognised and dropped, RFC 8838 §4.3), the media section, then `a=candidate` or
/// `a=end-of-candidates`:
///
///     a=ice-ufrag:8hhY
///     a=ice-pwd:asd88fgpdd777uzjYhagZg
///     m=audio 9 UDP/TLS/RTP/SAVPF 0
///     a=mid:0
///     a=candidate:1 1 UDP 1658497328 192.0.2.3 5000 typ host
public struct TrickleFragment: Hashable, Sendable {
    public var ufrag: String
    public var password: String
    /// The `m=` line of the section the candidate belongs to, without `m=`.
    public var mediaLine: String
    public var mid: String
    /// nil: `a=end-of-candidates`.
    public var candidate: ICECandidate?

    /// The most a fragment may hold: a few lines, far below this.
    public static let maximumLength = 4_096

    public init(ufrag: String, password: String, mediaLine: String, mid: String, candidate: ICECandidate?) {
        self.ufrag = ufrag
        self.password = password
        self.mediaLine = mediaLine
        self.mid = mid
        self.candidate = candidate
    }

    /// The fragment's text, CRLF line endings.
    public var serialized: String {
        var text = "a=ice-ufrag:"
        text.reserveCapacity(Self.typicalLength)
        text += ufrag
        text += "\r\na=ice-pwd:"
        text += password
        text += "\r\nm="
        text += mediaLine
        text += "\r\na=mid:"
        text += mid
        if let candidate {
            text += "\r\na=candidate:"
            text += candidate.attributeValue
        } else {
            text += "\r\na=end-of-candidates"
        }
        text += "\r\n"
        return text
    }

    /// Room for a fragment with one candidate and its extensions.
    private static let typicalLength = 256

    /// Parses a fragment; unknown attributes are ignored (RFC 8840 §9). Throws for a
    /// missing ufrag, password, `m=` line or mid, an unparsable candidate, or a fragment
    /// with neither or both of a candidate and end-of-candidates.
    public init(parsing text: String) throws(JSEPError) {
        guard text.utf8.count <= Self.maximumLength else { throw JSEPError("fragment of \(text.utf8.count) bytes, over \(Self.maximumLength)") }
        var ufrag: String?, password: String?, mediaLine: String?, mid: String?
        var candidate: ICECandidate?, end = false
        // Lines are read on UTF-8 bytes, ended by CR, LF or both, and prefixes compared as
        // bytes: Swift reads CRLF as one Character, and grapheme breaking and building
        // prefix strings cost more than the rest of the parse.
        let bytes = text.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let stop = bytes[start...].firstIndex { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? bytes.endIndex
            let line = Line(Substring(bytes[start..<stop]))
            start = stop < bytes.endIndex ? bytes.index(after: stop) : stop
            if line.text.isEmpty { continue }
            if let value = line.value(after: .media) {
                guard mediaLine == nil else { throw JSEPError("a fragment names one media section, found a second m= line") }
                mediaLine = String(value)
            } else if let value = line.value(after: .ufrag) {
                ufrag = String(value)
            } else if let value = line.value(after: .password) {
                password = String(value)
            } else if let value = line.value(after: .mid) {
                mid = String(value)
            } else if let value = line.value(after: .candidate) {
                guard candidate == nil else { throw JSEPError("more than one candidate in a fragment") }
                do { candidate = try ICECandidate(attributeValue: value) } catch { throw JSEPError("candidate: \(error)") }
            } else if line.is(.endOfCandidates) {
                end = true
            }
        }
        guard let ufrag, !ufrag.isEmpty else { throw JSEPError("fragment without a=ice-ufrag") }
        guard let password, !password.isEmpty else { throw JSEPError("fragment without a=ice-pwd") }
        guard let mediaLine else { throw JSEPError("fragment without an m= line") }
        guard let mid else { throw JSEPError("fragment without a=mid") }
        guard (candidate != nil) != end else {
            throw JSEPError(end ? "fragment with both a candidate and end-of-candidates" : "fragment with neither a candidate nor end-of-candidates")
        }
        self.init(ufrag: ufrag, password: password, mediaLine: mediaLine, mid: mid, candidate: candidate)
    }

    /// A line start the parser looks for, as text and as UTF-8 bytes.
    private struct Prefix {
        let text: String
        let bytes: [UInt8]

        init(_ text: String) {
            self.text = text
            bytes = Array(text.utf8)
        }

        static let media = Prefix("m=")
        static let ufrag = Prefix("a=ice-ufrag:")
        static let password = Prefix("a=ice-pwd:")
        static let mid = Prefix("a=mid:")
        static let candidate = Prefix("a=candidate:")
        static let endOfCandidates = Prefix("a=end-of-candidates")
    }

    /// One line of a fragment, compared with prefixes as a `Character` comparison would:
    /// byte by byte when the line is ASCII (each byte a character), by character
    /// otherwise — a combining mark after a prefix joins its last character, so that
    /// line does not start with it.
    private struct Line {
        let text: Substring
        let isASCII: Bool

        init(_ text: Substring) {
            self.text = text
            isASCII = text.utf8.allSatisfy { $0 < 0x80 }
        }

        /// The rest of the line after `prefix`; nil when it does not start with it.
        func value(after prefix: Prefix) -> Substring? {
            if isASCII { return text.utf8.starts(with: prefix.bytes) ? Substring(text.utf8.dropFirst(prefix.bytes.count)) : nil }
            return text.hasPrefix(prefix.text) ? text.dropFirst(prefix.text.count) : nil
        }

        /// Whether the line is `prefix` and nothing else.
        func `is`(_ prefix: Prefix) -> Bool {
            isASCII ? text.utf8.elementsEqual(prefix.bytes) : text == prefix.text
        }
    }
}
