/// The lines of SDP text (RFC 8866 §5: each ended by CRLF; a bare LF is accepted), read
/// on UTF-8 bytes: each line is a slice of the text without its LF or CRLF, so no string
/// or array is made per line. A last line without an end is a line too; a CR not before
/// an LF stays in its line (so a parser rejects it), except at the very end of the text.
///
/// Bytes, because Swift reads CRLF as a single `Character` and grapheme breaking costs
/// more than the rest of a parse. CR and LF are ASCII, so each cut falls between
/// characters whatever UTF-8 the lines hold.
struct SDPLineScanner: IteratorProtocol {
    private let text: Substring
    private var position: Substring.Index

    init(_ text: Substring) {
        self.text = text
        position = text.startIndex
    }

    mutating func next() -> Substring? {
        let bytes = text.utf8
        guard position < bytes.endIndex else { return nil }
        let start = position
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        position = end < bytes.endIndex ? bytes.index(after: end) : end
        var stop = end
        if stop > start, bytes[bytes.index(before: stop)] == UInt8(ascii: "\r") { stop = bytes.index(before: stop) }
        return text[start..<stop]
    }
}
