import Foundation
import NetTypes
import Testing
import TestSupport
@testable import SCTP

/// Real bytes: every packet of a rich exchange (handshake, DATA with gaps and duplicates,
/// unordered and abandoned messages, FORWARD-TSN, RE-CONFIG, ERROR, HEARTBEAT,
/// SHUTDOWN) written to a pcap as SCTP over IPv4 and read by Wireshark's dissector, which
/// must find each packet well-formed with a good CRC32c.
@Suite(.enabled(if: Tshark.isInstalled, "tshark is not installed"))
struct SCTPWiresharkTests {
    @Test func wiresharkDecodesEveryPacket() throws {
        var config = SCTPConfiguration()
        config.heartbeatInterval = .seconds(2)
        let pair = AssociationPair(configuration: config)
        #expect(pair.establish(bothConnect: true))
        pair.loss = Xoshiro256(seed: 5)
        pair.lossRate = 0.1
        for i in 0..<40 { try pair.send(0, [UInt8](repeating: UInt8(i), count: 100 + i * 90), stream: UInt16(i % 4)) }
        for i in 0..<20 { try pair.send(1, [UInt8(i)], unordered: true, reliability: .maxRetransmits(0)) }
        pair.run(for: .seconds(20))
        pair.lossRate = 0
        pair.call(0) { try? $0.resetStreams([1, 2], now: $1) }
        let unknown = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: pair.cores[1].localTag,
                                 chunks: [.unknown(type: 0xFE, flags: 0, value: [1, 2, 3])])
        pair.call(1) { $0.handle(packet: unknown.encoded, now: $1) }
        pair.run(for: .seconds(5))
        pair.call(0) { $0.shutdown(now: $1) }
        pair.run(for: .seconds(10)) { pair.cores[0].state == .closed }
        let packets = pair.sent[0] + pair.sent[1] + [unknown.encoded]
        let kinds = Set(packets.compactMap { try? SCTPPacket(decoding: $0) }.flatMap { $0.chunks.map(\.type) })
        #expect(kinds.isSuperset(of: [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 14, 130, 192]))

        let tshark = try #require(Tshark())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-sctp-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Self.pcap(packets).write(to: URL(fileURLWithPath: file))
        let result = try tshark.run(file, ["-o", "sctp.checksum:CRC-32C", "-T", "fields",
                                           "-e", "sctp.checksum.status", "-e", "_ws.malformed", "-e", "_ws.expert.severity"])
        #expect(result.status == 0)
        let rows = result.lines.filter { !$0.hasPrefix("Running as") }
        #expect(rows.count == packets.count)
        let bad = rows.enumerated().filter { !$0.element.hasPrefix("1\t\t") }
        #expect(bad.isEmpty, "\(bad.prefix(5))")
    }

    /// A pcap (LINKTYPE_IPV4) of `packets` as SCTP in IPv4 (protocol 132).
    static func pcap(_ packets: [[UInt8]]) -> Data {
        var bytes: [UInt8] = []
        func le32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        func le16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        le32(0xA1B2_C3D4); le16(2); le16(4); le32(0); le32(0); le32(65535); le32(228)
        for (index, packet) in packets.enumerated() {
            let length = 20 + packet.count
            var ip: [UInt8] = [0x45, 0, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, 0, 0, 64, 132, 0, 0,
                               192, 0, 2, 1, 198, 51, 100, 2]
            let checksum = InternetChecksum.checksum(ip[...])
            ip[10] = UInt8(checksum >> 8); ip[11] = UInt8(checksum & 0xFF)
            le32(UInt32(index)); le32(0); le32(UInt32(length)); le32(UInt32(length))
            bytes += ip + packet
        }
        return Data(bytes)
    }
}
