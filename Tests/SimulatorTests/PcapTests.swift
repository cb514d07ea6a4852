import Foundation
import NetTypes
import Testing
import TestSupport
@testable import Simulator

@Suite struct PcapTests {
    func capture(ipv6: Bool) throws -> (path: String, sent: Int) {
        let net = TestNetwork.routed(ipv6: ipv6)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-\(ipv6 ? 6 : 4)-\(UInt32.random(in: 0...UInt32.max)).pcap").path
        let cap = try net.simulation.capture(net.links[1], to: path)
        let any: IPAddress? = ipv6 ? .v6(.any) : nil
        let tx = try net.alice.bindUDP(address: any, port: 3478)
        _ = try net.bob.bindUDP(address: any, port: 3479)
        for size in [0, 1, 20, 333, 1200] { tx.send([UInt8](repeating: 0x41, count: size), to: Endpoint(net.bobAddress, 3479)) }
        tx.send([1], to: Endpoint(net.bobAddress, 5555))  // → ICMP port unreachable back through the link
        net.simulation.runUntilIdle()
        try cap.writer.close()
        return (path, 7)
    }

    @Test func pcapRecordsHaveValidHeadersAndChecksums() throws {
        for ipv6 in [false, true] {
            let (path, expected) = try capture(ipv6: ipv6)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let reader = try PcapReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            #expect(reader.linkType == 101)
            #expect(reader.records.count == expected)
            for record in reader.records {
                let b = record.bytes
                if ipv6 {
                    #expect(b[0] >> 4 == 6)
                    #expect(Int(b[4]) << 8 | Int(b[5]) == b.count - 40)
                } else {
                    #expect(b[0] == 0x45)
                    #expect(Int(b[2]) << 8 | Int(b[3]) == b.count)
                    #expect(PacketHeaders.internetChecksum(b[0..<20]) == 0)  // header checksum verifies
                }
                let header = ipv6 ? 40 : 20
                let proto = ipv6 ? b[6] : b[9]
                if proto == 17 {
                    #expect(Int(b[header + 4]) << 8 | Int(b[header + 5]) == b.count - header)
                }
                // Transport checksum verifies over the pseudo-header.
                let src = IPAddress(bytes: ipv6 ? b[8..<24] : b[12..<16])!
                let dst = IPAddress(bytes: ipv6 ? b[24..<40] : b[16..<20])!
                let packet = Packet(source: Endpoint(src, 0), destination: Endpoint(dst, 0),
                                    proto: IPProtocolKind(rawValue: proto)!, payload: [])
                let segment = b[header...]
                var sum = PacketHeaders.onesComplementAdd(0, segment)
                if proto != 1 { sum += PacketHeaders.pseudoHeaderSum(packet, length: segment.count) }
                #expect(PacketHeaders.fold(sum) == 0xFFFF, "checksum of proto \(proto)")
            }
            // Datagrams enter the middle link at 1 ms; the ICMP error comes back at 3 ms.
            #expect(reader.records.first!.time == .zero + .milliseconds(1))
            #expect(reader.records.last!.time == .zero + .milliseconds(3))
        }
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func tsharkDecodesWithoutMalformedPackets() throws {
        let tshark = try #require(Tshark())
        for ipv6 in [false, true] {
            let (path, expected) = try capture(ipv6: ipv6)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let (lines, status) = try tshark.run(path, ["-o", "udp.check_checksum:TRUE", "-T", "fields",
                                                        "-e", "frame.protocols", "-e", "_ws.malformed", "-e", "_ws.expert.severity"])
            #expect(status == 0)
            #expect(lines.count == expected)
            for line in lines {
                #expect(line.hasPrefix(ipv6 ? "raw:ipv6" : "raw:ip"), "\(line)")
                #expect(!line.contains("malformed"), "\(line)")
            }
            #expect(lines.filter { $0.hasPrefix(ipv6 ? "raw:ipv6:udp" : "raw:ip:udp") }.count == 6)
            #expect(lines.filter { $0.contains(ipv6 ? ":icmpv6:" : ":icmp:") }.count == 1)
        }
    }
}
