@testable import SDP
import Testing

/// The byte-level reading of SDP text: lines cut at LF or CRLF, fields at spaces, the
/// attribute name at its first colon — each finding what a reading by `Character` finds,
/// so descriptions and errors are the same as before, whatever bytes the text holds.
@Suite struct LineScanningTests {
    static let head = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"

    static func lines(_ text: String) -> [String] {
        var scanner = SDPLineScanner(text[...])
        var lines: [String] = []
        while let line = scanner.next() { lines.append(String(line)) }
        return lines
    }

    static func error(_ text: String) -> SDPParseError? { ParseErrorTests.error(text) }

    @Test(arguments: [
        ("", []),
        ("\n", [""]),
        ("\r\n\r\n", ["", ""]),
        ("a=1\r\nb=2\nc=3", ["a=1", "b=2", "c=3"]),
        ("a=1\n\nb=2\r\n", ["a=1", "", "b=2"]),
        ("a=1\r", ["a=1"]),
        ("a=1\rb=2\n", ["a=1\rb=2"]),
        ("a=1\r\r\n", ["a=1\r"]),
        ("é=1\r\nâ=\u{301}\n", ["é=1", "â=\u{301}"]),
    ] as [(String, [String])])
    func linesEndAtLFOrCRLF(text: String, lines: [String]) {
        #expect(Self.lines(text) == lines)
    }

    @Test func crlfAndLFAndNoFinalNewlineReadAlike() throws {
        let text = Self.head + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\na=sctp-port:5000\r\n"
        let crlf = try SessionDescription(parsing: text)
        #expect(try SessionDescription(parsing: text.replacingOccurrences(of: "\r\n", with: "\n")) == crlf)
        // CRLF is one `Character`: dropping the last removes the whole line end.
        #expect(try SessionDescription(parsing: String(text.dropLast())) == crlf)
        #expect(try SessionDescription(parsing: String(text.dropLast()) + "\r") == crlf)
        #expect(try SessionDescription(parsing: "\r\n\n" + text + "\n\r\n") == crlf)
        #expect(crlf.serialized() == text)
    }

    @Test func blankLinesCountInLineNumbers() {
        #expect(Self.error("v=0\r\n\r\n\no=-\r\n") == SDPParseError(line: 4, .badLine("o", value: "-", why: "expected 6 fields, found 1")))
        #expect(Self.error(Self.head + "\n\nx=1") == SDPParseError(line: 7, .unknownLineType("x")))
        #expect(Self.error("v=0\n\n") == SDPParseError(line: 2, .missingLine("o")))
    }

    @Test func aCROutsideCRLFStaysInItsLine() throws {
        let d = try SessionDescription(parsing: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\rx=1\r\nt=0 0\r\n")
        #expect(d.sessionName == "-\rx=1")
        #expect(Self.error(Self.head + "\ra=x\r\n") == SDPParseError(line: 5, .malformedLine("\ra=x")))
    }

    /// Non-ASCII text gets the typed errors a reading by `Character` gave: a combining
    /// mark after a space or colon joins them into one character, so it neither splits
    /// fields nor ends an attribute name.
    @Test func nonASCIITextGetsTheSameErrors() throws {
        #expect(Self.error("é=0\r\n") == SDPParseError(line: 1, .missingVersion))
        #expect(Self.error(Self.head + "é=1\r\n") == SDPParseError(line: 5, .malformedLine("é=1")))
        #expect(Self.error(Self.head + "\u{FFFD}\r\n") == SDPParseError(line: 5, .malformedLine("\u{FFFD}")))
        let candidate = "1 1 udp 1 192.0.2.1 \u{301}5 typ host"
        #expect(Self.error(Self.head + "a=candidate:" + candidate + "\r\n") == SDPParseError(line: 5, .badAttribute(
            "candidate", value: candidate, why: "expected '<foundation> <component> <transport> <priority> <address> <port> typ <type>'")))
        let d = try SessionDescription(parsing: Self.head + "a=fingerprint:\u{301}sha-256 AB:CD\r\na=x-é:ü v\r\n")
        #expect(d.attributes == [Attribute("fingerprint:\u{301}sha-256 AB", "CD"), Attribute("x-é", "ü v")])
    }

    @Test(arguments: ["", " ", "a", "  a  b ", "sha-256 AB:CD", "1 1 udp 1 192.0.2.1 5 typ host", "a \u{301}b c", "é è  ê", "\r\n x"])
    func fieldsAreWhatSplitGives(text: String) {
        #expect(text[...].fields == text.split(separator: " "))
    }

    @Test(arguments: ["", "name", "name:value", "name::v", ":v", "n\u{301}:v", "n:\u{301}v:w", "é:è"])
    func theFirstColonIsWhatFirstIndexGives(text: String) {
        #expect(text[...].firstColon == text[...].firstIndex(of: ":"))
    }
}
