import Foundation
import Media
import NetTypes
import Scenario
import Simulator
import Testing
import TestSupport

/// A capture of a simulated call decodes in Wireshark as RTP and RTCP (transport-wide
/// feedback included) without malformed packets.
@Suite struct WiresharkTests {
    /// With transport-wide feedback and with RFC 8888 feedback (CCFB, RTPFB FMT 11;
    /// Wireshark 4.0 shows it as RTPFB without dissecting its report blocks, and flags
    /// nothing).
    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"),
          arguments: [CongestionFeedbackKind.transportCC, .ccfb])
    func callCaptureDecodesAsRTPAndRTCP(feedback: CongestionFeedbackKind) throws {
        let tshark = try #require(Tshark())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-call-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let call = SimulatedCall(capacity: .mbps(1), feedback: feedback)
        let capture = try call.simulation.capture(call.link, to: path)
        call.run(for: .seconds(3))
        try capture.writer.close()
        let (output, status) = try tshark.run(path, ["-o", "udp.check_checksum:TRUE", "-d", "udp.port==5000,rtp", "-d", "udp.port==6000,rtp",
                                                     "-T", "fields", "-e", "frame.protocols", "-e", "_ws.malformed",
                                                     "-e", "_ws.expert.message", "-e", "rtcp.pt"])
        let lines = output.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(status == 0)
        #expect(lines.count > 300)
        for fields in lines {
            // Every datagram dissects as RTP (RTCP is muxed under it), no malformed flag, no expert message.
            #expect(fields.count == 4 && fields[0].hasPrefix("raw:ip:udp:rtp") && fields[1].isEmpty && fields[2].isEmpty, "\(fields)")
        }
        let rtcpTypes = Set(lines.flatMap { $0.count == 4 ? $0[3].split(separator: ",").map(String.init) : [] })
        #expect(rtcpTypes == ["200", "201", "202", "205"])
    }

    /// With FlexFEC (RFC 8627) on a lossy link: repair packets are plain RTP to Wireshark
    /// (PT 98, the protected SSRC as CSRC), and the capture has no malformed packet and
    /// no expert message.
    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func fecCaptureDecodesAsRTP() throws {
        let tshark = try #require(Tshark())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-fec-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var recovery = RecoveryConfiguration(nack: true, rtx: true, keyFrameRequests: true)
        recovery.fec = FECConfiguration(rate: 0.2, mask: .twoDimensional, columns: 4, rows: 3)
        let call = SimulatedCall(capacity: .mbps(1), loss: 0.02, recovery: recovery)
        let capture = try call.simulation.capture(call.link, to: path)
        call.run(for: .seconds(3))
        try capture.writer.close()
        let (output, status) = try tshark.run(path, ["-o", "udp.check_checksum:TRUE", "-d", "udp.port==5000,rtp", "-d", "udp.port==6000,rtp",
                                                     "-T", "fields", "-e", "frame.protocols", "-e", "_ws.malformed",
                                                     "-e", "_ws.expert.message", "-e", "rtp.ssrc", "-e", "rtp.csrc.item"])
        let lines = output.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(status == 0)
        for fields in lines {
            #expect(fields.count == 5 && fields[0].hasPrefix("raw:ip:udp:rtp") && fields[1].isEmpty && fields[2].isEmpty, "\(fields)")
        }
        let repairs = lines.filter { $0.count == 5 && $0[3] == "0x46454300" }
        #expect(repairs.count > 20)
        #expect(repairs.allSatisfy { $0[4] == "0x56494400" })
    }
}
