import Foundation
import NetTypes
import Records
import Scenario
import Testing

/// JSEP in simulated sessions (RFC 8829): offers, answers and trickled candidates are SDP
/// text made and parsed by the SDP module and travel on a modelled channel whose delay,
/// jitter, loss and ordering show in connect times, and glare resolves as "perfect
/// negotiation" does.
@Suite struct SignalingScenarioTests {
    /// Two hosts behind different NATs and a STUN server: the network of the signaling
    /// scenarios.
    static let network = """
    network:
      nats:
        home: { preset: port-restricted-cone }
        office: { preset: full-cone }
      hosts:
        alice: { behind: home }
        bob: { behind: office }
      servers:
        stun1: { kind: stun }
      links:
        - { from: home, to: internet, latency: 20ms }
        - { from: office, to: internet, latency: 10ms }
    """

    static let scenario = """
    name: signaling
    duration: 8s
    \(network)
    sessions:
      - { name: plain, offerer: alice, answerer: bob, ice-servers: [stun1], media: [{ kind: audio, direction: both }, { kind: video }] }
      - { name: slow, offerer: alice, answerer: bob, ice-servers: [stun1], signaling: { delay: 300ms } }
      - { name: gathered, offerer: alice, answerer: bob, ice-servers: [stun1], trickle: false }
      - { name: lossy, offerer: alice, answerer: bob, ice-servers: [stun1], signaling: { loss: 40%, resend: 400ms } }
      - { name: lost, offerer: alice, answerer: bob, ice-servers: [stun1], signaling: { loss: 99% } }
      - { name: shuffled, offerer: alice, answerer: bob, ice-servers: [stun1], signaling: { delay: 10ms, jitter: 300ms, ordered: false } }
      - { name: glare, offerer: alice, answerer: bob, ice-servers: [stun1], signaling: { glare: true }, data: [{ label: chat, messages: { rate: 20/s, size: 200B } }] }
    expect:
      - { session: plain, connected: true, dtls: connected, signaling-within: 100ms }
      - { session: slow, connected: true, signaling-within: 600ms }
      - { session: lost, connected: false }
    """

    static func run(_ text: String = scenario, seed: UInt64? = nil) throws -> RunResult {
        let seeded = seed.map { text.replacingOccurrences(of: "name: signaling\n", with: "name: signaling\nseed: \($0)\n") } ?? text
        let (point, scenario) = try ScenarioFile(text: seeded, path: "signaling.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options())
    }

    static func sessions(_ result: RunResult) -> [String: SessionResult] {
        Dictionary(uniqueKeysWithValues: result.sessions.map { ($0.name, $0) })
    }

    static func events(_ result: RunResult, session: String, kind: String) -> [TimelineRecord] {
        result.events.filter { $0.session == session && $0.kind == kind }
    }

    @Test func offerAndAnswerAreSDPOnTheChannel() throws {
        let result = try Self.run()
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        let s = Self.sessions(result)
        // One round trip of the 50 ms channel with trickle; the slow channel's is 600 ms,
        // and its call connects that much later.
        #expect(s["plain"]?.signalingTime == .milliseconds(100))
        #expect(s["slow"]?.signalingTime == .milliseconds(600))
        #expect(try #require(s["slow"]?.connectedTime) > #require(s["plain"]?.connectedTime) + .milliseconds(400))
        let offer = try #require(Self.events(result, session: "plain", kind: "offer").first)
        #expect(offer.source == "offerer" && offer.time == .zero)
        for line in ["a=group:BUNDLE 0 1", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=video 9 UDP/TLS/RTP/SAVPF 96",
                     "a=setup:actpass", "a=ice-options:trickle", "a=sendrecv", "a=sendonly"] {
            #expect(offer.detail.contains(line + "\r\n"), "\(line)")
        }
        // No data channels: no application section.
        #expect(!offer.detail.contains("m=application"))
        // With trickle the offer has no candidates; each comes as an RFC 8840 fragment.
        #expect(!offer.detail.contains("a=candidate"))
        let answer = try #require(Self.events(result, session: "plain", kind: "answer").first)
        #expect(answer.source == "answerer" && answer.time == .milliseconds(50))
        #expect(answer.detail.contains("a=setup:active\r\n") && answer.detail.contains("a=recvonly\r\n"))
        let trickled = Self.events(result, session: "plain", kind: "trickle")
        #expect(trickled.contains { $0.detail.contains("typ srflx") })
        #expect(trickled.filter { $0.detail.contains("a=end-of-candidates") }.count == 2)
    }

    @Test func withoutTrickleTheDescriptionsCarryEveryCandidate() throws {
        let result = try Self.run()
        let offer = try #require(Self.events(result, session: "gathered", kind: "offer").first)
        #expect(offer.detail.contains("typ host") && offer.detail.contains("typ srflx") && offer.detail.contains("a=end-of-candidates"))
        #expect(offer.time > .zero, "sent once gathering completed")
        #expect(Self.events(result, session: "gathered", kind: "trickle").isEmpty)
        #expect(Self.sessions(result)["gathered"]?.connected == true)
    }

    @Test func lostMessagesAreResentOrTheCallFails() throws {
        let result = try Self.run()
        let s = Self.sessions(result)
        let lossy = try #require(s["lossy"])
        #expect(lossy.signalingLost > 0)
        #expect(lossy.connected)
        // Without resending, a lost offer or answer leaves the call unconnected.
        let lost = try #require(s["lost"])
        #expect(!lost.connected && lost.signalingTime == nil && lost.signalingLost > 0)
        #expect(Self.events(result, session: "lost", kind: "signaling").contains { $0.detail == "offer lost" })
    }

    @Test func resentOffersAreAnsweredAgainNotTwice() throws {
        // Loss on a channel with a resend timer shorter than a round trip: the answerer
        // sees the offer twice and sends its stored answer again; the offerer applies one.
        let text = Self.scenario.replacingOccurrences(of: "signaling: { loss: 40%, resend: 400ms }",
                                                      with: "signaling: { delay: 200ms, resend: 250ms }")
        let result = try Self.run(text)
        let lossy = try #require(Self.sessions(result)["lossy"])
        #expect(lossy.connected && lossy.signalingTime == .milliseconds(400))
        let notes = Self.events(result, session: "lossy", kind: "signaling").map(\.detail)
        #expect(notes.contains { $0.hasPrefix("offer unanswered after") })
        #expect(notes.contains("offer v1 again: answer sent again"))
        #expect(notes.contains("answer v1 ignored: no offer pending"), "\(notes)")
    }

    @Test func candidatesOvertakingTheirOfferAreQueued() throws {
        let result = try Self.run()
        let shuffled = try #require(Self.sessions(result)["shuffled"])
        #expect(shuffled.connected)
        #expect(!Self.events(result, session: "shuffled", kind: "signaling").contains { $0.detail.contains("dropped") })
    }

    @Test func glareRollsThePolitePeerBack() throws {
        let result = try Self.run()
        let glare = try #require(Self.sessions(result)["glare"])
        #expect(glare.connected && glare.dtlsState == "connected")
        let notes = Self.events(result, session: "glare", kind: "signaling")
        #expect(notes.contains { $0.source == "answerer" && $0.detail == "glare: own offer rolled back (polite)" })
        #expect(notes.contains { $0.source == "offerer" && $0.detail == "glare: offer v1 ignored (impolite)" })
        #expect(Self.events(result, session: "glare", kind: "offer").map(\.source).sorted() == ["answerer", "offerer"])
        #expect(result.dataChannels.first { $0.session == "glare" }?.openTime != nil)
    }

    @Test func theSameSeedGivesTheSameSignaling() throws {
        let a = try Self.run(), b = try Self.run()
        #expect(a.events.map(\.detail) == b.events.map(\.detail))
        #expect(a.sessions.map(\.signalingLost) == b.sessions.map(\.signalingLost))
        let other = try Self.run(seed: 99)
        #expect(a.events.filter { $0.kind == "offer" }.map(\.detail) != other.events.filter { $0.kind == "offer" }.map(\.detail))
    }
}
