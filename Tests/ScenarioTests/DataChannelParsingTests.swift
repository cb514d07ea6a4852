import NetTypes
import Records
import SCTP
import Testing
@testable import Scenario

/// The `data:` section of sessions and data channel expectations: defaults, every
/// workload, and errors with their positions.
@Suite struct DataChannelParsingTests {
    static func scenario(data: String, dtls: String = "", expect: String = "[]") throws(ScenarioError) -> Scenario {
        let text = """
        name: data
        duration: 20s
        network:
          hosts: { alice: {}, bob: {} }
        sessions:
          - { name: call, offerer: alice, answerer: bob, \(dtls)data: \(data) }
        expect: \(expect)
        """
        return try ScenarioFile(text: text, path: "data.yaml").scenario(at: 0).scenario
    }

    static func error(data: String, dtls: String = "", expect: String = "[]") -> String {
        do {
            _ = try scenario(data: data, dtls: dtls, expect: expect)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func workloadsAndDefaults() throws {
        let s = try Self.scenario(data: """
        [{ label: f, file: 5MB }, { label: m, direction: answerer-to-offerer, ordered: false, max-retransmits: 2, start: 3s,
           messages: { rate: 20/s, size: 200B } },
         { label: r, negotiated: 4, max-packet-lifetime: 150ms, request-response: { rate: 2, request: 1KB, response: 64KiB } },
         { label: g, file: 100KB, message-size: 256KiB, priority: very-low }]
        """, expect: "[{ session: call, channel: f, transfer-within: 10s }, { session: call, channel: m, latency-p95-below: 200ms }]")
        let d = s.sessions[0].data
        #expect(d.count == 4)
        #expect(d[0].workload == .file(bytes: 5_000_000, messageSize: 65_536) && d[0].ordered && d[0].reliability == .reliable)
        #expect(d[0].direction == .offererToAnswerer && d[0].start == .zero && d[0].negotiatedID == nil)
        #expect(d[1].workload == .messages(rate: 20, size: 200) && !d[1].ordered && d[1].reliability == .maxRetransmits(2))
        #expect(d[1].direction == .answererToOfferer && d[1].start == .seconds(3))
        #expect(d[2].workload == .requestResponse(rate: 2, request: 1000, response: 65_536) && d[2].negotiatedID == 4)
        #expect(d[2].reliability == .maxPacketLifetime(.milliseconds(150)) && d[2].reliability.name == "max-packet-lifetime=150ms")
        #expect(d[3].workload == .file(bytes: 100_000, messageSize: 262_144))
        #expect(d[0].priority == .low && d[3].priority == .veryLow && d[3].priority.value == 128)
        #expect(s.dataChannelExpectations.map(\.check) == [.transferWithin(.seconds(10)), .latencyP95Below(.milliseconds(200))])
        #expect(s.expectations.isEmpty && s.mediaExpectations.isEmpty)
    }

    /// `interleaving:` offers (true), accepts (accept) or refuses (false, the default) I-DATA;
    /// the session's associations take the strongest of its channels' values.
    @Test func interleavingModes() throws {
        let s = try Self.scenario(data: "[{ label: a, file: 1MB }, { label: b, file: 1MB, interleaving: accept }, "
                                  + "{ label: c, file: 1MB, interleaving: true }, { label: d, file: 1MB, interleaving: false }]")
        #expect(s.sessions[0].data.map(\.interleaving) == [.off, .accept, .offer, .off])
        #expect(s.sessions[0].data.map(\.interleaving).max() == .offer)
        #expect([SCTPInterleaving.off, .accept].max() == .accept)
    }

    @Test func errorsCarryPositions() {
        let cases: [(data: String, dtls: String, expect: String, message: String)] = [
            ("[{ label: f, file: 1MB }]", "dtls: false, ", "[]", "data channels need DTLS"),
            ("[{ label: f, file: 1MB, max-retransmits: 1, max-packet-lifetime: 1s }]", "", "[]", "not both"),
            ("[{ label: f }]", "", "[]", "exactly one workload"),
            ("[{ label: f, file: 1MB, messages: { rate: 1/s, size: 20B } }]", "", "[]", "exactly one workload"),
            ("[{ label: f, file: 1MB, message-size: 300KiB }]", "", "[]", "16B to 256KiB"),
            ("[{ label: f, messages: { rate: 20/s, size: 8B } }]", "", "[]", "16B to 256KiB"),
            ("[{ label: f, messages: { rate: fast, size: 200B } }]", "", "[]", "expected a rate like 20/s"),
            ("[{ label: f, messages: { rate: 1/s, size: 20B }, message-size: 1KB }]", "", "[]", "message-size belongs to a file"),
            ("[{ label: f, file: 0B }]", "", "[]", "positive"),
            ("[{ label: a/b, file: 1MB }]", "", "[]", "no '/'"),
            ("[{ label: '3', file: 1MB }]", "", "[]", "not a number"),
            ("[{ label: f, file: 1MB }, { label: f, file: 1MB }]", "", "[]", "used twice"),
            ("[{ label: f, file: 1MB, negotiated: 2 }, { label: g, file: 1MB, negotiated: 2 }]", "", "[]", "negotiated id 2 is used twice"),
            ("[{ label: f, file: 1MB, negotiated: 65535 }]", "", "[]", "data.yaml:"),
            ("[{ label: f, file: 1MB, direction: both }]", "", "[]", "offerer-to-answerer, answerer-to-offerer"),
            ("[{ label: f, file: 1MB, start: 30s }]", "", "[]", "not before the end of the run"),
            ("[{ label: f, file: 1MB, colour: red }]", "", "[]", "colour"),
            ("[{ label: f, file: 1MB, priority: urgent }]", "", "[]", "very-low, low, medium, high"),
            ("[{ label: f, file: 1MB, interleaving: sometimes }]", "", "[]", "expected true (offer I-DATA), accept or false"),
            ("[{ label: f, file: 1MB }]", "", "[{ session: call, channel: g, open-within: 1s }]", "has no channel 'g'"),
            ("[{ label: f, file: 1MB }]", "", "[{ session: cal, channel: f, open-within: 1s }]", "no session is called 'cal'"),
            ("[{ label: f, messages: { rate: 1/s, size: 20B } }]", "", "[{ session: call, channel: f, transfer-within: 1s }]",
             "transfer-within needs a file workload"),
            ("[{ label: f, file: 1MB }]", "", "[{ session: call, channel: f }]", "exactly one of open-within"),
            ("[{ label: f, file: 1MB }]", "", "[{ session: call, channel: f, delivered-at-least: 120% }]", "must not exceed 100%"),
        ]
        for c in cases {
            let message = Self.error(data: c.data, dtls: c.dtls, expect: c.expect)
            #expect(message.contains(c.message), "\(c.data): \(message)")
            #expect(message.hasPrefix("data.yaml:"), "\(message)")
        }
    }
}
