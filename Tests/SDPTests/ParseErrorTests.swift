import NetTypes
import SDP
import Testing

@Suite struct ParseErrorTests {
    static let head = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"

    static func error(_ text: String) -> SDPParseError? {
        do throws(SDPParseError) {
            _ = try SessionDescription(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func minimalDescriptionParses() throws {
        let d = try SessionDescription(parsing: Self.head)
        #expect(d.media.isEmpty && d.timings == [Timing()])
        #expect(d.serialized() == Self.head)
    }

    @Test(arguments: [
        ("", 1, SDPParseError.Reason.missingVersion),
        ("o=- 1 2 IN IP4 127.0.0.1\r\n", 1, .missingVersion),
        ("\r\n\r\nx", 3, .missingVersion),
        ("v=1\r\n", 1, .unsupportedVersion("1")),
        ("v=0\r\ns=-\r\n", 2, .missingLine("o")),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nt=0 0\r\n", 3, .missingLine("s")),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=x\r\n", 4, .missingLine("t")),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n", 4, .missingLine("t")),
        (head + "m=audio 9 RTP/AVP\r\n", 5, .badLine("m", value: "audio 9 RTP/AVP", why: "expected '<media> <port>[/<count>] <proto> <fmt> ...'")),
        (head + "m=audio x RTP/AVP 0\r\n", 5, .badLine("m", value: "audio x RTP/AVP 0", why: "port must be a number from 0 to 65535")),
        (head + "m=audio 9/x RTP/AVP 0\r\n", 5, .badLine("m", value: "audio 9/x RTP/AVP 0", why: "port count must be a number")),
        (head + "garbage\r\n", 5, .malformedLine("garbage")),
        (head + "x=1\r\n", 5, .unknownLineType("x")),
        (head + "m=audio 9 RTP/AVP 0\r\nu=http://x\r\n", 6, .misplacedLine("u", why: "only allowed at session level")),
        (head + "m=audio 9 RTP/AVP 0\r\na=x\r\nc=IN IP4 0.0.0.0\r\n", 7, .misplacedLine("c", why: "must come before a= lines")),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\ns=-\r\n", 4, .misplacedLine("s", why: "only one s= line is allowed")),
        ("v=0\r\no=- 1 2 IN IP4\r\n", 2, .badLine("o", value: "- 1 2 IN IP4", why: "expected 6 fields, found 5")),
        ("v=0\r\no=- x 2 IN IP4 127.0.0.1\r\n", 2, .badLine("o", value: "- x 2 IN IP4 127.0.0.1", why: "session id and version must be numbers")),
        (head + "a=candidate:1 1 udp 1 192.0.2.1 5 typ nat\r\n", 5,
         .badAttribute("candidate", value: "1 1 udp 1 192.0.2.1 5 typ nat", why: "candidate type 'nat' is not host, srflx, prflx or relay")),
        (head + "a=fingerprint:sha-256 AB:CG\r\n", 5, .badAttribute("fingerprint", value: "sha-256 AB:CG", why: "'CG' is not a pair of hex digits")),
        (head + "a=setup:both\r\n", 5, .badAttribute("setup", value: "both", why: "expected actpass, active, passive or holdconn")),
        (head + "a=sctp-port:99999\r\n", 5, .badAttribute("sctp-port", value: "99999", why: "must be a number from 0 to 65535")),
        (head + "a=\r\n", 5, .badLine("a", value: "", why: "attribute name is empty")),
    ])
    func malformedInputReportsLineAndReason(text: String, line: Int, reason: SDPParseError.Reason) {
        let error = Self.error(text)
        #expect(error == SDPParseError(line: line, reason))
    }

    @Test func knownAttributesAreValidatedAndMessagesNameTheLine() throws {
        let bad = ["a=rtpmap:96 VP8", "a=rtpmap:128 VP8/90000", "a=fmtp:96", "a=rtcp-fb:x nack", "a=extmap:0 urn:x",
                   "a=extmap:1/sideways urn:x", "a=ssrc:x cname:y", "a=ssrc-group:FID 1 x", "a=msid:a b c",
                   "a=rtcp:x", "a=mid:", "a=max-message-size:-1", "a=group:"]
        for line in bad {
            let error = try #require(Self.error(Self.head + "m=video 9 RTP/AVP 96\r\n" + line + "\r\n"), "\(line)")
            #expect(error.line == 6, "\(line)")
            #expect(error.description.hasPrefix("line 6: bad "), "\(error)")
        }
    }

    @Test func unknownAttributesAndBlankLinesAreKept() throws {
        let text = Self.head + "a=x-google-flag:conference\r\na=weird::value: \r\na=flag\r\n"
        let d = try SessionDescription(parsing: text + "\r\n")
        #expect(d.attributes == [Attribute("x-google-flag", "conference"), Attribute("weird", ":value: "), Attribute("flag")])
        #expect(d.serialized() == text)
    }

    @Test func everyLineTypeRoundTrips() throws {
        let text = "v=0\r\no=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\ns=Call\r\ni=A call\r\n"
            + "u=https://example.com/call\r\ne=j@example.com\r\np=+1 555 0100\r\nc=IN IP4 233.252.0.1/127\r\n"
            + "b=CT:1000\r\nt=3724394400 3724398000\r\nr=7d 1h 0 25h\r\nt=0 0\r\nz=3730928400 -1h 3749680800 0\r\n"
            + "k=prompt\r\na=recvonly\r\nm=audio 49170/2 RTP/AVP 0\r\ni=voice\r\nc=IN IP4 233.252.0.1/127\r\n"
            + "c=IN IP4 233.252.0.2/127\r\nb=AS:64\r\nb=TIAS:64000\r\nk=clear:secret\r\na=rtpmap:0 PCMU/8000\r\n"
        let d = try SessionDescription(parsing: text)
        #expect(d.serialized() == text)
        #expect(d.timings.count == 2 && d.timings[0].repeats == ["7d 1h 0 25h"])
        #expect(d.media[0].portCount == 2 && d.media[0].bandwidths.count == 2)
        #expect(d.connection?.ipAddress?.description == "233.252.0.1")
        #expect(d.encryptionKey == "prompt" && d.media[0].encryptionKey == "clear:secret")
        #expect(d.direction == .recvonly)
        #expect(ConnectionData(.v6(.loopback)).description == "IN IP6 ::1")
    }
}
