import Foundation
import NetTypes
import Simulator
import SimulatedTCP
import TCP
import TestSupport
import Testing

/// ECN TCP through a CoDel bottleneck with ECN on (RFC 3168, RFC 8289 §5): the routers
/// carry the ECN field, CoDel marks instead of dropping, the transfer needs no
/// retransmission, and tshark decodes the ECN field and the ECE/CWR flags without errors.
@Suite struct TCPECNCaptureTests {
    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func markedTransferDecodesCleanly() throws {
        var configuration = TCPConfiguration()
        configuration.ecn = true
        let path = TCPTestPath(seed: 5, middle: LinkConfig(latency: .milliseconds(10), bandwidth: .mbps(2), queue: .time(.milliseconds(300)),
                                                           aqm: .codel(CoDelParameters(ecn: true))),
                               configuration: configuration)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-ecn-tcp-\(UInt32.random(in: 0...UInt32.max)).pcap").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let capture = try path.simulation.capture(path.links[1], to: file)
        let server = try path.transferPattern(2_000_000, until: .seconds(20))
        try capture.writer.close()
        let intact = server.read == pattern(2_000_000)
        #expect(intact)
        let bottleneck = path.links[1].forward.stats
        #expect(bottleneck.ceMarked > 0 && bottleneck.dropped(.aqm) == 0)

        let tshark = try #require(Tshark())
        let (lines, status) = try tshark.run(file, ["-o", "tcp.check_checksum:TRUE", "-T", "fields", "-e", "ip.dsfield.ecn",
                                                    "-e", "tcp.flags.ece", "-e", "tcp.flags.cwr", "-e", "tcp.flags.syn", "-e", "tcp.len",
                                                    "-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "tcp.analysis.retransmission"])
        #expect(status == 0)
        let errorSeverity = "8388608"
        let rows = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        for (line, fields) in zip(lines, rows) {
            #expect(fields.count >= 8 && fields[5].isEmpty && !fields[6].split(separator: ",").contains { $0 == errorSeverity }, "\(line)")
            #expect(fields[7].isEmpty, "retransmission: \(line)")
        }
        // Data ECT(0) (2), everything else Not-ECT (0); ECE on ACKs, CWR on data.
        #expect(rows.filter { $0[4] != "0" }.allSatisfy { $0[0] == "2" })
        #expect(rows.filter { $0[4] == "0" }.allSatisfy { $0[0] == "0" })
        #expect(rows.contains { $0[1] == "1" && $0[3] == "0" && $0[4] == "0" })
        #expect(rows.contains { $0[2] == "1" && $0[4] != "0" })
    }
}
