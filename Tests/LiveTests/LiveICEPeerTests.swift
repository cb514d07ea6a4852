import ICE
import NetTypes
import SDP
import Signaling
import TestSupport
import Testing
@testable import Live

/// Two live ICE peers on loopback, and the JSON lines they signal with.
@Suite(.liveNetwork) struct LiveICEPeerTests {
    static let timeout = NetTypes.Duration.seconds(10)

    /// Gathers on both peers, hands each the other's description through its JSON line
    /// (what goes over the wire) and connects them: the descriptions and both results.
    static func connect(_ echoing: LiveICEPeer, _ sending: LiveICEPeer) async throws
        -> (offer: ICEPeerDescription, answer: ICEPeerDescription, results: [ICEPeerResult]) {
        let offer = try await echoing.start(timeout: timeout)
        let answer = try await sending.start(timeout: timeout)
        let offerSeen = try ICEPeerDescription(jsonLine: offer.jsonLine)
        let answerSeen = try ICEPeerDescription(jsonLine: answer.jsonLine)
        #expect(offerSeen == offer && answerSeen == answer)
        async let controlling = echoing.connect(remote: answerSeen, timeout: timeout)
        async let controlled = sending.connect(remote: offerSeen, timeout: timeout)
        return (offer, answer, try await [controlling, controlled])
    }

    @Test func twoPeersConnectOnLoopbackAndExchangeData() async throws {
        let echoing = try LiveICEPeer(configuration: .init(role: .controlling, echo: true))
        let sending = try LiveICEPeer(configuration: .init(role: .controlled))
        let (offer, answer, results) = try await Self.connect(echoing, sending)
        #expect(offer.candidates.map(\.type) == [.host] && offer.candidates.first?.address == .ip(.v4(.loopback)))
        for result in results {
            #expect(result.isConnected, "\(result.jsonLine)")
            #expect(result.elapsed > .zero && result.elapsed < Self.timeout)
        }
        #expect(results[0].selected?.local == offer.candidates.first && results[0].selected?.remote == answer.candidates.first)
        #expect(results[1].selected?.local == answer.candidates.first && results[1].selected?.remote == offer.candidates.first)

        let reply = await sending.sendUntilReply(Array("ping \u{1F9CA}".utf8), timeout: Self.timeout)
        #expect(reply.map { String(decoding: $0, as: UTF8.self) } == "ping \u{1F9CA}")
        #expect(await echoing.receive(timeout: .milliseconds(50)) == nil, "an echoing peer keeps nothing")
        await echoing.close()
        await sending.close()
    }

    /// ICE-TCP on real sockets (RFC 6544): TCP candidates only, the active candidate's
    /// connection reaches the peer's passive listener, checks and data are RFC 4571 framed.
    @Test func twoPeersConnectOverICETCPOnLoopback() async throws {
        let echoing = try LiveICEPeer(configuration: .init(role: .controlling, echo: true, candidateTransports: [.tcp]))
        let sending = try LiveICEPeer(configuration: .init(role: .controlled, candidateTransports: [.tcp]))
        // The candidates survive the JSON line (SDP `tcptype`).
        let (offer, _, results) = try await Self.connect(echoing, sending)
        #expect(offer.candidates.map(\.tcpType) == [.passive, .active])
        #expect(offer.candidates.allSatisfy { $0.transport == .tcp } && offer.candidates.last?.port == 9)
        for result in results { #expect(result.isConnected, "\(result.jsonLine)") }
        #expect(results[0].selected?.local.transport == .tcp)

        let reply = await sending.sendUntilReply(Array("over tcp".utf8), timeout: Self.timeout)
        #expect(reply.map { String(decoding: $0, as: UTF8.self) } == "over tcp")
        await echoing.close()
        await sending.close()
    }

    @Test func peerWithoutAnswerTimesOutWithTheAgentState() async throws {
        let peer = try LiveICEPeer(configuration: .init(role: .controlling))
        _ = try await peer.start(timeout: Self.timeout)
        let silent = ICEPeerDescription(credentials: ICECredentials(ufrag: "abcd", password: "0123456789012345678901"),
                                        candidates: [try ICECandidate(parsing: "candidate:1 1 udp 2130706431 127.0.0.1 9 typ host")])
        let result = try await peer.connect(remote: silent, timeout: .milliseconds(300))
        // Normally still checking after 300 ms; on a machine loaded by other suites the
        // shared event loops may run late and the agent may already have failed.
        #expect(!result.isConnected && [.checking, .failed].contains(result.state) && result.selected == nil, "\(result.jsonLine)")
        #expect(result.jsonLine.hasPrefix("{\"state\":\"\(result.state.rawValue)\",\"selected\":null,\"elapsed_ms\":"))
        await peer.close()
    }

    @Test func descriptionLinesRoundTripAndBadOnesSayWhy() throws {
        let line = #"{"ufrag":"a+/b","pwd":"0123456789012345678901","candidates":["candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host","2 1 udp 1694498815 192.0.2.7 6000 typ srflx raddr 127.0.0.1 rport 5000"]}"#
        let description = try ICEPeerDescription(jsonLine: line)
        #expect(description.credentials.ufrag == "a+/b" && description.candidates.count == 2)
        #expect(description.jsonLine == line.replacingOccurrences(of: "\"2 1 udp", with: "\"candidate:2 1 udp"))

        let bad: [(String, String)] = [
            ("hello", "not a JSON object on one line"),
            (#"{"ufrag":"abcd","candidates":[]}"#, "missing field \"pwd\""),
            (#"{"ufrag":"abcd","pwd":"x","candidates":"none"}"#, "field candidates is not an array"),
            (#"{"ufrag":"abcd","pwd":"x","candidates":[7]}"#, "field candidates[0] is not a string"),
            (#"{"ufrag":"","pwd":"x","candidates":[]}"#, "ufrag and pwd must not be empty"),
            (#"{"ufrag":"abcd","pwd":"x","candidates":["1 1 udp 1 127.0.0.1 5 typ nat"]}"#,
             "candidates[0]: bad candidate attribute '1 1 udp 1 127.0.0.1 5 typ nat': candidate type 'nat' is not host, srflx, prflx or relay"),
        ]
        for (text, message) in bad {
            #expect(throws: JSONLineError(message: message)) { try ICEPeerDescription(jsonLine: text) }
        }
    }

    @Test func jsonLinesEscapeWhatJSONRequires() throws {
        let text = "quote \" backslash \\ newline \n bell \u{7} slash / ice \u{1F9CA}"
        let line = JSONLine.encode([.init("received", .string(text)), .init("n", .integer(-3)), .init("none", .null)])
        #expect(line == #"{"received":"quote \" backslash \\ newline \n bell \u0007 slash / ice \#u{1F9CA}","n":-3,"none":null}"#)
        struct Received: Decodable { var received: String }
        #expect(try JSONLine.decode(Received.self, from: line).received == text)
    }

    @Test func jsonLinesWriteNumbersBooleansAndOptionals() {
        let line = JSONLine.encode([.init("x", .number(1.5)), .init("inf", .number(.infinity)), .init("ok", .bool(true)),
                                    .init("seed", .unsigned(.max)), .init("maybe", .optional(nil)), .init("s", .optional("a"))])
        #expect(line == #"{"x":1.5,"inf":null,"ok":true,"seed":18446744073709551615,"maybe":null,"s":"a"}"#)
    }

    @Test func candidatesConvertFieldByField() throws {
        let base = try Endpoint(parsing: "10.0.0.2:5000")
        let agent = Candidate(foundation: "3", component: 1, priority: 16_777_215, address: try Endpoint(parsing: "203.0.113.9:40000"),
                              type: .relayed, relatedAddress: try Endpoint(parsing: "198.51.100.1:3000"), base: base)
        let sdp = ICECandidate(agent)
        #expect(sdp.description == "candidate:3 1 udp 16777215 203.0.113.9 40000 typ relay raddr 198.51.100.1 rport 3000")
        var remote = agent
        remote.base = agent.address
        #expect(Candidate(sdp) == remote, "the base of a remote candidate is its address")
        #expect(Candidate(try ICECandidate(parsing: "1 1 udp 1 abc.local 9 typ host")) == nil)
    }
}
