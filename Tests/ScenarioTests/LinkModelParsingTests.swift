import Foundation
import NetTypes
import Records
import Simulator
import Testing
@testable import Scenario

/// `trace:` (Mahimahi capacity traces) and `jitter-model:` (RFC 8868 §4.5) on links.
@Suite struct LinkModelParsingTests {
    /// A scenario in a fresh directory beside a trace file `lte.trace` holding `trace`.
    static func load(link: String, trace: String = "0\n5\n10\n") throws -> (Scenario, SimulatedNetwork) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try trace.write(to: directory.appendingPathComponent("lte.trace"), atomically: true, encoding: .utf8)
        let text = """
        name: links
        network:
          hosts: { alice: {}, bob: {} }
          links:
            - \(link)
        """
        let scenario = try ScenarioFile(text: text, path: directory.appendingPathComponent("links.yaml").path).scenario(at: 0).scenario
        return (scenario, try SimulatedNetwork(scenario.network, simulation: Simulation(seed: 1)))
    }

    static func error(link: String, trace: String = "0\n5\n10\n") -> String {
        do {
            _ = try load(link: link, trace: trace)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func traceGivesADirectionItsCapacity() throws {
        let (_, network) = try Self.load(link: "{ from: alice, to: internet, bandwidth: 1Mbps, reverse: { trace: lte.trace, queue: 100ms } }")
        let up = try #require(network.direction("alice-internet")), down = try #require(network.direction("alice-internet", reversed: true))
        #expect(up.config.bandwidth == .mbps(1) && up.config.capacityTrace == nil)
        #expect(down.config.bandwidth == nil && down.config.capacityTrace?.timestamps == [0, 5, 10] && down.config.queue == .time(.milliseconds(100)))
        // 3 opportunities of 12,000 bits per 10 ms: 3.6 Mbit/s.
        #expect(down.config.capacityTrace?.meanRate == 3_600_000)
    }

    @Test func badTracesAreReportedAtTheKeyWithTheTraceLine() {
        #expect(Self.error(link: "{ from: alice, to: internet, trace: lte.trace }", trace: "0\n7\n3\n")
            .contains("links.yaml:5:43: trace 'lte.trace' line 3: timestamps must not decrease (3 after 7)"))
        #expect(Self.error(link: "{ from: alice, to: internet, trace: lte.trace }", trace: "0\nabc\n")
            .contains("line 2: 'abc' is not a millisecond timestamp"))
        #expect(Self.error(link: "{ from: alice, to: internet, trace: missing.trace }").contains("cannot read the trace file 'missing.trace'"))
        #expect(Self.error(link: "{ from: alice, to: internet, trace: lte.trace, bandwidth: 1Mbps }").contains("bandwidth or trace, not both"))
    }

    @Test func jitterModelsMapToDistributions() throws {
        let (_, network) = try Self.load(link: "{ from: alice, to: internet, jitter: 4ms, jitter-model: nr-bpdv, reverse: { jitter-model: rbpdv, jitter-bound: 6ms } }")
        let up = try #require(network.direction("alice-internet")), down = try #require(network.direction("alice-internet", reversed: true))
        #expect(up.config.jitterDistribution == .boundedPDV(bound: .milliseconds(12)) && !up.config.jitterReorders)
        #expect(down.config.jitterDistribution == .boundedPDV(bound: .milliseconds(6)) && down.config.jitterReorders)
        #expect(down.config.jitter == .milliseconds(4))
        let (_, uniform) = try Self.load(link: "{ from: alice, to: internet, jitter: 4ms, jitter-model: uniform, jitter-reorders: true }")
        #expect(uniform.direction("alice-internet")?.config.jitterDistribution == .uniform)
        #expect(uniform.direction("alice-internet")?.config.jitterReorders == true)
    }

    /// A call over a trace link with NR-BPDV jitter: the same seed gives the same rows, and
    /// the flow records the trace's capacity per 100 ms (12 opportunities per 100 ms
    /// here: 1.44 Mbit/s).
    @Test func traceCallIsDeterministic() throws {
        let trace = (1...12).map { "\($0 * 100 / 12)\n" }.joined()   // 8, 16, 25, … 100 ms
        let link = "{ from: alice, to: internet, latency: 20ms, trace: lte.trace, queue: 200ms, jitter: 2ms, jitter-model: nr-bpdv }"
        func run() throws -> [SeriesSample] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-trace-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try trace.write(to: directory.appendingPathComponent("lte.trace"), atomically: true, encoding: .utf8)
            let text = """
            name: trace-call
            duration: 6s
            network:
              hosts: { alice: {}, bob: {} }
              links:
                - \(link)
            sessions:
              - { name: call, offerer: alice, answerer: bob, dtls: false, media: [{ kind: video, bottleneck: alice-internet }] }
            """
            let (point, scenario) = try ScenarioFile(text: text, path: directory.appendingPathComponent("t.yaml").path).scenario(at: 0)
            return ScenarioRunner.run(index: 0, point: point, scenario: scenario).series
        }
        let a = try run(), b = try run()
        #expect(a.count == b.count && a.count > 100)
        #expect(zip(a, b).allSatisfy { $0.session == $1.session && $0.name == $1.name && $0.time == $1.time && $0.value == $1.value })
        let capacity = a.filter { $0.name == "capacity_bps" }.map(\.value)
        #expect(!capacity.isEmpty && capacity.allSatisfy { abs($0 - 1_440_000) <= 120_000 }, "\(Set(capacity))")
    }

    @Test func jitterModelKeysAreValidated() {
        #expect(Self.error(link: "{ from: alice, to: internet, jitter: 4ms, jitter-model: gauss }").contains("'gauss' is not valid"))
        #expect(Self.error(link: "{ from: alice, to: internet, jitter: 4ms, jitter-model: rbpdv, jitter-reorders: false }").contains("leave out jitter-reorders"))
        #expect(Self.error(link: "{ from: alice, to: internet, jitter: 4ms, jitter-bound: 8ms }").contains("jitter-bound truncates the Gaussian"))
        #expect(Self.error(link: "{ from: alice, to: internet, jitter: 4ms, jitter-model: nr-bpdv, jitter-bound: 2ms }").contains("at least jitter"))
    }
}
