import Foundation
import NetTypes
import Testing
import TestSupport
@testable import TCP

/// The bytes on the wire: tshark dissects a captured flow without malformed packets or
/// errors (bad checksums are errors), and the connection survives hostile segments.
@Suite struct TCPWireTests {
    /// A raw-IP (link type 101) pcap of the segments in `log`, IPv4 headers synthesised.
    static func pcap(_ log: [SentSegment]) -> [UInt8] {
        var file: [UInt8] = []
        func le32(_ v: UInt32) { file += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        le32(0xA1B2_C3D4)
        file += [2, 0, 4, 0]
        le32(0); le32(0); le32(65535); le32(101)
        for (index, sent) in log.enumerated() {
            let (from, to) = sent.from == .a ? (TCPPair.addressA, TCPPair.addressB) : (TCPPair.addressB, TCPPair.addressA)
            let segment = sent.segment.encode(source: from.address, destination: to.address)
            let total = 20 + segment.count
            var ip: [UInt8] = [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF),
                               0x40, 0, 64, 6, 0, 0]
            ip += from.address.bytes + to.address.bytes
            let checksum = InternetChecksum.checksum(ip[...])
            ip[10] = UInt8(checksum >> 8)
            ip[11] = UInt8(checksum & 0xFF)
            let micros = sent.time.nanoseconds / 1000
            le32(UInt32(micros / 1_000_000)); le32(UInt32(micros % 1_000_000))
            le32(UInt32(total)); le32(UInt32(total))
            file += ip + segment
        }
        return file
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func tsharkDecodesAFlowCleanly() throws {
        let tshark = try #require(Tshark())
        let pair = TCPPair(delay: .milliseconds(20), rate: 1_000_000)
        pair.handshake()
        let lost = pair.a.sndNxt + 4 * 1448
        pair.drop(from: .a) { $0.sequenceNumber == lost && !$0.payload.isEmpty }
        pair.call(.a) { core, now in core.send(pattern(100_000), now: now) }
        pair.run(for: .seconds(2))
        pair.call(.a) { core, now in core.close(now: now) }
        pair.call(.b) { core, now in core.close(now: now) }
        pair.run(for: .seconds(1))
        #expect(pair.read[.b] == pattern(100_000))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-tcp-\(UInt32.random(in: 0...UInt32.max)).pcap").path
        try Data(Self.pcap(pair.log)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (lines, status) = try tshark.run(path, ["-o", "tcp.check_checksum:TRUE", "-T", "fields", "-e", "frame.protocols",
                                                    "-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "tcp.checksum.status"])
        #expect(status == 0)
        #expect(lines.count == pair.log.count)
        let errorSeverity = "8388608"
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(fields[0].hasPrefix("raw:ip:tcp"), "\(line)")
            #expect(!line.contains("malformed"), "\(line)")
            #expect(!fields[2].split(separator: ",").contains { $0 == errorSeverity }, "\(line)")
            #expect(fields[3] == "1", "\(line)")  // 1: checksum good (0 bad, 2 unverified)
        }
        // The SYN's options as Wireshark reads them.
        let (options, _) = try tshark.run(path, ["-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "-T", "fields",
                                                 "-e", "tcp.options.mss_val", "-e", "tcp.options.wscale.shift",
                                                 "-e", "tcp.options.sack_perm", "-e", "tcp.options.timestamp.tsecr"])
        #expect(options.first?.split(separator: "\t").prefix(2) == ["1460", "7"])
    }
}
