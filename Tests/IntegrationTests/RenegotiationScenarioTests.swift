import Foundation
import NetTypes
import Records
import Scenario
import Testing

/// Renegotiation in simulated sessions (RFC 8829 §4.1.8): a track or the first data
/// channel added mid-call goes out in a new offer with the same ICE credentials, and what
/// it carries starts only once that exchange has completed at its sender.
@Suite struct RenegotiationScenarioTests {
    static let scenario = """
    name: renegotiation
    duration: 5s
    \(SignalingScenarioTests.network)
    sessions:
      - { name: track, offerer: alice, answerer: bob, ice-servers: [stun1],
          media: [{ kind: audio, direction: both }, { kind: video, start: 2s, renegotiate: true }] }
      - { name: back, offerer: alice, answerer: bob, ice-servers: [stun1], signaling: { delay: 500ms },
          media: [{ kind: audio }, { kind: video, direction: answerer-to-offerer, start: 2s, renegotiate: true }] }
      - { name: chat, offerer: alice, answerer: bob, ice-servers: [stun1], media: [{ kind: audio }],
          data: [{ label: chat, start: 2s, renegotiate: true, messages: { rate: 20/s, size: 200B } }] }
      - { name: clash, offerer: alice, answerer: bob, ice-servers: [stun1],
          media: [{ kind: audio }, { kind: video, start: 2s, renegotiate: true },
                  { kind: video, direction: answerer-to-offerer, start: 2s, renegotiate: true }] }
    """

    static func run(seed: UInt64? = nil) throws -> RunResult {
        let text = seed.map { scenario.replacingOccurrences(of: "name: renegotiation\n", with: "name: renegotiation\nseed: \($0)\n") } ?? scenario
        let (point, loaded) = try ScenarioFile(text: text, path: "renegotiation.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: loaded, options: ScenarioRunner.Options())
    }

    static func events(_ result: RunResult, _ session: String, _ kind: String) -> [TimelineRecord] {
        result.events.filter { $0.session == session && $0.kind == kind }
    }

    /// When flow `flow` of `session` first had bytes received, per its series.
    static func firstReceived(_ result: RunResult, _ session: String, flow: Int) -> Duration? {
        result.series.filter { $0.session == "\(session)/\(flow)" && $0.name == "received_bps" && $0.value > 0 }.map(\.time).min()
    }

    static func line(_ prefix: String, in sdp: String) -> String? {
        sdp.components(separatedBy: "\r\n").first { $0.hasPrefix(prefix) }
    }

    @Test func anAddedTrackIsOfferedAgainWithTheSameCredentialsAndStartsAfterTheAnswer() throws {
        let result = try Self.run()
        let unconnected = result.sessions.filter { !$0.connected }.map(\.name)
        #expect(unconnected.isEmpty, "\(unconnected)")
        let offers = Self.events(result, "track", "offer")
        try #require(offers.count == 2)
        let (first, second) = (offers[0].detail, offers[1].detail)
        #expect(offers[1].source == "offerer" && offers[1].time == .seconds(2))
        #expect(!first.contains("m=video") && second.contains("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"))
        #expect(second.contains("a=group:BUNDLE 0 1\r\n") && second.contains("a=mid:1\r\n"))
        // Same session, next version; the same ICE credentials (no restart); the DTLS
        // server's later offer still says actpass, and the answer keeps the client active.
        let origin = try #require(Self.line("o=", in: first)), again = try #require(Self.line("o=", in: second))
        #expect(origin.split(separator: " ")[1] == again.split(separator: " ")[1])
        #expect(origin.split(separator: " ")[2] == "1" && again.split(separator: " ")[2] == "2")
        #expect(Self.line("a=ice-ufrag:", in: first) == Self.line("a=ice-ufrag:", in: second))
        #expect(second.contains("a=setup:actpass\r\n"))
        let answers = Self.events(result, "track", "answer")
        #expect(answers.count == 2 && answers.last?.time == .milliseconds(2_050))
        #expect(answers.last?.detail.contains("a=setup:active\r\n") == true)
        #expect(Self.events(result, "track", "signaling").contains { $0.source == "offerer" && $0.detail.hasPrefix("video track of media entry 1") && $0.time == .milliseconds(2_100) })
        // Flows: audio both ways (0, 1), then the added video (2), which sends from 2.1 s.
        let video = try #require(Self.firstReceived(result, "track", flow: 2))
        #expect(video > .seconds(2) && video < .milliseconds(2_500), "\(video)")
        #expect(try #require(Self.firstReceived(result, "track", flow: 0)) < .seconds(1))
    }

    /// The answerer adds the track: it offers as DTLS client (`a=setup:active`), the
    /// offerer answers `passive`, and on the 500 ms channel the video waits for the answer.
    @Test func theAnswererCanAddATrack() throws {
        let result = try Self.run()
        let offers = Self.events(result, "back", "offer")
        try #require(offers.count == 2)
        #expect(offers[1].source == "answerer" && offers[1].time == .seconds(2))
        #expect(offers[1].detail.contains("a=setup:active\r\n") && offers[1].detail.contains("a=sendonly\r\n"))
        let answer = try #require(Self.events(result, "back", "answer").last)
        #expect(answer.source == "offerer" && answer.time == .milliseconds(2_500))
        #expect(answer.detail.contains("a=setup:passive\r\n") && answer.detail.contains("a=recvonly\r\n"))
        // Sent from 3.0 s, when the answer reaches the answerer; never before.
        let video = try #require(Self.firstReceived(result, "back", flow: 1))
        #expect(video >= .seconds(3) && video < .milliseconds(3_500), "\(video)")
    }

    /// The first data channel created mid-call adds the application section; the SCTP
    /// association starts only then, and the channel opens and carries its messages.
    @Test func theFirstDataChannelMidCallAddsTheApplicationSection() throws {
        let result = try Self.run()
        let offers = Self.events(result, "chat", "offer")
        try #require(offers.count == 2)
        #expect(!offers[0].detail.contains("m=application") && offers[1].detail.contains("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"))
        #expect(!Self.events(result, "chat", "data").contains { $0.time < .milliseconds(2_050) })
        let chat = try #require(result.dataChannels.first { $0.session == "chat" })
        #expect(try #require(chat.openTime) > .milliseconds(2_100))
        #expect(chat.bytesDelivered > 0)
    }

    /// Both sides add a track at once: glare; the polite answerer rolls its offer back,
    /// answers, and offers its own track again once stable. Both videos flow.
    @Test func collidingAdditionsResolveAndBothTracksFlow() throws {
        let result = try Self.run()
        #expect(Self.events(result, "clash", "signaling").contains { $0.source == "answerer" && $0.detail == "glare: own offer rolled back (polite)" })
        let offers = Self.events(result, "clash", "offer")
        #expect(offers.map(\.source) == ["offerer", "offerer", "answerer", "answerer"], "\(offers.map(\.source))")
        #expect(offers.last?.detail.contains("a=group:BUNDLE 0 1 2\r\n") == true)
        // Flows: audio (0), the offerer's video (1), the answerer's video (2).
        for flow in [1, 2] {
            let first = try #require(Self.firstReceived(result, "clash", flow: flow), "flow \(flow)")
            #expect(first > .seconds(2) && first < .seconds(3), "flow \(flow): \(first)")
        }
    }

    @Test func theSameSeedRenegotiatesIdentically() throws {
        let (a, b) = (try Self.run(seed: 7), try Self.run(seed: 7))
        #expect(a.events.map { "\($0.time) \($0.session ?? "") \($0.kind) \($0.detail)" } == b.events.map { "\($0.time) \($0.session ?? "") \($0.kind) \($0.detail)" })
        #expect(a.series.map { "\($0.session ?? "") \($0.name) \($0.time) \($0.value)" } == b.series.map { "\($0.session ?? "") \($0.name) \($0.time) \($0.value)" })
    }
}
