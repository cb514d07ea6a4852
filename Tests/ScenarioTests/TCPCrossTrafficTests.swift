import NetTypes
import Records
import Testing
@testable import Scenario

/// TCP cross traffic: the keys of `tcp-bulk` and `tcp-web` entries and their defaults,
/// bulk and web flows run over TCP stacks on the hosts, and runs are deterministic.
@Suite struct TCPCrossTrafficTests {
    static let text = """
    name: tcp
    duration: 10s
    seed: 3
    network:
      hosts: { a: {}, b: {} }
      links:
        - { from: a, to: internet, latency: 20ms, bandwidth: 10Mbps, queue: 100ms }
    cross-traffic:
      - { kind: tcp-bulk, name: bulk, from: a, to: b, bytes: 1MB, congestion-control: newreno }
      - { kind: tcp-web, from: a, to: b, sources: 3, initially-active: 1, mean-idle: 1s, file-size: [20KB, 80KB] }
    """

    static func run(_ text: String = text) throws -> RunResult {
        let (point, scenario) = try ScenarioFile(text: text, path: "x.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario)
    }

    @Test func keysAndDefaults() throws {
        let (_, scenario) = try ScenarioFile(text: Self.text, path: "x.yaml").scenario(at: 0)
        let bulk = scenario.crossTraffic[0], web = scenario.crossTraffic[1]
        #expect(bulk.kind == .tcpBulk && bulk.name == "bulk" && bulk.tcp?.bytes == 1_000_000)
        #expect(bulk.tcp?.congestionControl == .newReno && bulk.tcp?.web == nil)
        #expect(web.kind == .tcpWeb && web.name == "tcp-web-1" && web.tcp?.congestionControl == .cubic)
        #expect(web.tcp?.web?.sources == 3 && web.tcp?.web?.initiallyActive == 1 && web.tcp?.web?.fileSize == 20_000...80_000)
        let defaults = try ScenarioFile(text: Self.text.replacingOccurrences(of: ", sources: 3, initially-active: 1, mean-idle: 1s, file-size: [20KB, 80KB]", with: ""),
                                        path: "x.yaml").scenario(at: 0).1.crossTraffic[1].tcp?.web
        #expect(defaults?.sources == 10 && defaults?.initiallyActive == 2 && defaults?.meanIdle == .seconds(10))
        #expect(defaults?.fileSize == 100_000...1_000_000)
    }

    @Test func bulkAndWebFlowsDeliverAndRecord() throws {
        let result = try Self.run()
        #expect(result.outcome == .passed, "\(result.errorMessage ?? "")")
        let bulk = result.tcpFlows.filter { $0.flow == "bulk" }
        #expect(bulk.count == 1 && bulk[0].bytesDelivered == 1_000_000 && bulk[0].completed != nil)
        let web = result.tcpFlows.filter { $0.flow == "tcp-web-1" }
        #expect(web.count >= 5)
        #expect(web.allSatisfy { ($0.size ?? 0) >= 20_000 && ($0.size ?? 0) <= 80_000 })
        // Every completed transfer delivered exactly its size; a transfer under way at the end is cut short.
        #expect(web.filter { $0.completed != nil }.allSatisfy { $0.bytesDelivered == $0.size })
        #expect(web.filter { $0.completed != nil }.count >= web.count - 3)
        let names = Set(result.series.filter { $0.session == "bulk" }.map(\.name))
        #expect(names.isSuperset(of: [TCPSeries.goodput, TCPSeries.congestionWindow, TCPSeries.smoothedRTT, TCPSeries.retransmissions]))
        #expect(result.series.contains { $0.session == "tcp-web-1" && $0.name == TCPSeries.activeTransfers })
        // Goodput over the samples adds up to the bytes delivered.
        let goodputBits = result.series.filter { $0.session == "bulk" && $0.name == TCPSeries.goodput }.reduce(0.0) { $0 + $1.value * 0.1 }
        #expect(abs(goodputBits - 8_000_000) < 1)
    }

    /// `connections: N`: a web source opens N transfers at once (RFC 8868 §5.1's groups)
    /// and starts its next burst only after the last of them ended.
    @Test func aWebSourceOpensItsBurstTogether() throws {
        let text = Self.text.replacingOccurrences(of: "sources: 3, initially-active: 1,", with: "sources: 1, connections: 3, initially-active: 1,")
        let (_, scenario) = try ScenarioFile(text: text, path: "x.yaml").scenario(at: 0)
        #expect(scenario.crossTraffic[1].tcp?.web?.connections == 3)
        let result = try Self.run(text)
        let web = result.tcpFlows.filter { $0.flow == "tcp-web-1" }.sorted { $0.transfer < $1.transfer }
        #expect(web.count >= 6, "\(web.count) transfers")
        let bursts = stride(from: 0, to: web.count - web.count % 3, by: 3).map { Array(web[$0..<$0 + 3]) }
        for (burst, next) in zip(bursts, bursts.dropFirst()) {
            #expect(Set(burst.map(\.start)).count == 1, "a burst's transfers start together")
            #expect(next[0].start >= burst.map(\.end).max()!, "the next burst waits for the last transfer")
        }
    }

    @Test func sameSeedSameFlows() throws {
        let first = try Self.run(), second = try Self.run()
        #expect(first.tcpFlows == second.tcpFlows)
        let same = first.series.map { "\($0.session ?? "") \($0.name) \($0.time) \($0.value)" }
            == second.series.map { "\($0.session ?? "") \($0.name) \($0.time) \($0.value)" }
        #expect(same)
        let other = try Self.run(Self.text.replacingOccurrences(of: "seed: 3", with: "seed: 4"))
        #expect(other.tcpFlows.filter { $0.flow == "tcp-web-1" }.map(\.size) != first.tcpFlows.filter { $0.flow == "tcp-web-1" }.map(\.size))
    }
}
