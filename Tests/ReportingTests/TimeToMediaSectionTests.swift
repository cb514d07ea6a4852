import Foundation
import NetTypes
import Records
import Results
import Testing
@testable import Reporting

/// The time-to-media section: ICE, DTLS and first-media CDFs side by side, a table per
/// path and the DTLS failure reasons; absent when no session ran DTLS.
@Suite struct TimeToMediaSectionTests {
    static func session(_ name: String, relayed: Bool = false, dtls: String? = "connected", connected: Int64 = 300, handshake: Int64 = 160,
                        failure: String? = nil) -> SessionResult {
        SessionResult(name: name, offerer: "a", answerer: "b", connected: true, connectedTime: .milliseconds(connected),
                      selectedLocalType: relayed ? "relay" : "srflx", selectedRemoteType: "srflx", selectedProtocol: "udp",
                      finalState: "connected", relayUsed: relayed, relayProtocol: relayed ? "udp" : nil, dtlsState: dtls,
                      dtlsTime: dtls == "connected" ? .milliseconds(connected + handshake) : nil,
                      firstMediaTime: dtls == "connected" ? .milliseconds(connected + handshake + 20) : nil, dtlsFailure: failure)
    }

    static func render(_ sessions: [SessionResult]) throws -> String {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: "ttm", path: "ttm.yaml", scenarioHash: "h", version: "0", runCount: 1, shard: nil)
        let run = RunResult(runIndex: 0, parameters: SweepPoint(assignments: []), seed: 1, outcome: .passed, wallSeconds: 0,
                            simulatedTime: .seconds(2), simulatorEvents: 1, sessions: sessions)
        try store.record(run, sweepID: sweep, scenarioHash: "h", version: "0")
        return try ReportGenerator.render(store: store, sweepID: sweep)
    }

    @Test func cdfsTableAndFailures() throws {
        let html = try Self.render([Self.session("a"), Self.session("b", handshake: 200), Self.session("c", relayed: true, connected: 400),
                                    Self.session("d", dtls: "failed", failure: "fingerprint-mismatch")])
        #expect(XMLWellFormedness.check(html) == nil)
        #expect(html.contains("<section id=\"time-to-media\">"))
        for label in ["ICE connected", "DTLS connected", "first media frame"] { #expect(html.contains(">\(label)</text>"), "\(label)") }
        #expect(html.contains("<figcaption>Time to the first media frame by path (empirical CDFs)</figcaption>"))
        // direct: 3 sessions, 2 connected, 1 failed; median handshake 180 ms, median first media 500 ms.
        #expect(html.contains("<td>direct</td><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">1</td>"
                              + "<td class=\"num\">180 ms</td>"), "\(html.components(separatedBy: "time-to-media").last?.prefix(3000) ?? "")")
        #expect(html.contains("<td>fingerprint-mismatch</td><td class=\"num\">1</td>"))
    }

    @Test func absentWithoutDTLS() throws {
        let html = try Self.render([Self.session("a", dtls: nil)])
        #expect(!html.contains("time-to-media"))
    }
}
