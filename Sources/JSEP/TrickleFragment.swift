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
        var lines = ["a=ice-ufrag:\(ufrag)", "a=ice-pwd:\(password)", "m=\(mediaLine)", "a=mid:\(mid)"]
        lines.append(candidate.map { "a=candidate:\($0.attributeValue)" } ?? "a=end-of-candidates")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Parses a fragment; unknown attributes are ignored (RFC 8840 §9). Throws for a
    /// missing ufrag, password, `m=` line or mid, an unparsable candidate, or a fragment
    /// with neither or both of a candidate and end-of-candidates.
    public init(parsing text: String) throws(JSEPError) {
        guard text.utf8.count <= Self.maximumLength else { throw JSEPError("fragment of \(text.utf8.count) bytes, over \(Self.maximumLength)") }
        var ufrag: String?, password: String?, mediaLine: String?, mid: String?
        var candidate: ICECandidate?, end = false
        // Lines split on UTF-8 bytes: Swift reads CRLF as one Character, and grapheme
        // breaking costs more than the rest of the parse.
        for bytes in text.utf8.split(whereSeparator: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            let line = Substring(bytes)
            if line.hasPrefix("m=") {
                guard mediaLine == nil else { throw JSEPError("a fragment names one media section, found a second m= line") }
                mediaLine = String(line.dropFirst(2))
            } else if let value = Self.value(of: "ice-ufrag", in: line) {
                ufrag = value
            } else if let value = Self.value(of: "ice-pwd", in: line) {
                password = value
            } else if let value = Self.value(of: "mid", in: line) {
                mid = value
            } else if let value = Self.value(of: "candidate", in: line) {
                guard candidate == nil else { throw JSEPError("more than one candidate in a fragment") }
                do { candidate = try ICECandidate(attributeValue: Substring(value)) } catch { throw JSEPError("candidate: \(error)") }
            } else if line == "a=end-of-candidates" {
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

    private static func value(of name: String, in line: Substring) -> String? {
        let prefix = "a=\(name):"
        return line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : nil
    }
}
