import JSEP
import NetTypes
import SDP
import Testing

@Suite struct TrickleFragmentTests {
    static let candidate = ICECandidate(foundation: "1", component: 1, transport: .udp, priority: 1_658_497_328,
                                        address: .ip(try! IPAddress(parsing: "192.0.2.3")), port: 5000, type: .host)

    @Test func rfc8840ExampleLayout() {
        let fragment = TrickleFragment(ufrag: "8hhY", password: "asd88fgpdd777uzjYhagZg", mediaLine: "audio 9 RTP/AVP 0", mid: "1",
                                       candidate: Self.candidate)
        #expect(fragment.serialized == "a=ice-ufrag:8hhY\r\na=ice-pwd:asd88fgpdd777uzjYhagZg\r\nm=audio 9 RTP/AVP 0\r\na=mid:1\r\n"
                + "a=candidate:1 1 udp 1658497328 192.0.2.3 5000 typ host\r\n")
    }

    @Test func fragmentsRoundTrip() throws {
        for candidate in [Self.candidate, nil] {
            let fragment = TrickleFragment(ufrag: "abcd", password: "0123456789abcdefghijkl", mediaLine: "application 9 UDP/DTLS/SCTP webrtc-datachannel",
                                           mid: "0", candidate: candidate)
            #expect(try TrickleFragment(parsing: fragment.serialized) == fragment)
        }
    }

    @Test func unknownAttributesAndBareNewlinesAreAccepted() throws {
        let text = "a=ice-ufrag:abcd\na=ice-pwd:0123456789abcdefghijkl\na=ice-options:trickle\nm=audio 9 RTP/AVP 0\na=mid:0\na=end-of-candidates\n"
        let fragment = try TrickleFragment(parsing: text)
        #expect(fragment.candidate == nil)
        #expect(fragment.ufrag == "abcd")
    }

    @Test(arguments: [
        ("a=ice-pwd:p\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=end-of-candidates\r\n", "ice-ufrag"),
        ("a=ice-ufrag:u\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=end-of-candidates\r\n", "ice-pwd"),
        ("a=ice-ufrag:u\r\na=ice-pwd:p\r\na=mid:0\r\na=end-of-candidates\r\n", "m= line"),
        ("a=ice-ufrag:u\r\na=ice-pwd:p\r\nm=audio 9 RTP/AVP 0\r\na=end-of-candidates\r\n", "a=mid"),
        ("a=ice-ufrag:u\r\na=ice-pwd:p\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n", "neither"),
        ("a=ice-ufrag:u\r\na=ice-pwd:p\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=candidate:1 1 udp 1 192.0.2.1 1 typ host\r\na=end-of-candidates\r\n", "both"),
        ("a=ice-ufrag:u\r\na=ice-pwd:p\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=candidate:garbage\r\n", "candidate:"),
        ("a=ice-ufrag:u\r\na=ice-pwd:p\r\nm=audio 9 RTP/AVP 0\r\nm=video 9 RTP/AVP 96\r\na=mid:0\r\na=end-of-candidates\r\n", "second m="),
    ])
    func badFragmentsSayWhy(text: String, reason: String) {
        let error = #expect(throws: JSEPError.self) { try TrickleFragment(parsing: text) }
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    /// Lines end at CR, LF or both (blank ones skipped), the last may lack its end, and the
    /// prefixes are compared as bytes: a non-ASCII value is kept as written.
    @Test func lineEndsAndNonASCIIValues() throws {
        let lines = ["a=ice-ufrag:üfrag", "a=ice-pwd:0123456789abcdefghijkl", "m=audio 9 RTP/AVP 0", "a=mid:é",
                     "a=candidate:1 1 udp 1658497328 192.0.2.3 5000 typ host"]
        let expected = TrickleFragment(ufrag: "üfrag", password: "0123456789abcdefghijkl", mediaLine: "audio 9 RTP/AVP 0", mid: "é",
                                       candidate: Self.candidate)
        for separator in ["\r\n", "\n", "\r", "\r\n\r\n", "\n\r"] {
            #expect(try TrickleFragment(parsing: lines.joined(separator: separator)) == expected, "\(separator.debugDescription)")
            #expect(try TrickleFragment(parsing: lines.joined(separator: separator) + separator) == expected)
        }
        let bad = lines.dropLast().joined(separator: "\r\n") + "\r\na=candidate:1 1 udp 1 192.0.2.3 \u{301}5000 typ host\r\n"
        let error = #expect(throws: JSEPError.self) { try TrickleFragment(parsing: bad) }
        #expect(error?.message.hasPrefix("candidate: bad candidate attribute") == true, "\(error?.message ?? "")")
        let lookalike = lines.dropLast().joined(separator: "\r\n") + "\r\nA=end-of-candidates\r\na=end-of-candidates-x\r\n"
        let neither = #expect(throws: JSEPError.self) { try TrickleFragment(parsing: lookalike) }
        #expect(neither?.message.contains("neither") == true)
    }

    @Test func oversizedFragmentsAreRefusedUnread() {
        let text = String(repeating: "a=x-padding:0\r\n", count: 400)
        let error = #expect(throws: JSEPError.self) { try TrickleFragment(parsing: text) }
        #expect(error?.message.contains("over 4096") == true)
    }
}
