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

    @Test func oversizedFragmentsAreRefusedUnread() {
        let text = String(repeating: "a=x-padding:0\r\n", count: 400)
        let error = #expect(throws: JSEPError.self) { try TrickleFragment(parsing: text) }
        #expect(error?.message.contains("over 4096") == true)
    }
}
