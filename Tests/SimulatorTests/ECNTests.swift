import Foundation
import NetTypes
import Testing
import TestSupport
@testable import Simulator

/// ECN on links (RFC 3168 §5): AQM marks ECN-capable packets CE instead of dropping them
/// when its `ecn` option is on, never marks Not-ECT packets, PIE stops marking above a
/// 10 % drop probability (RFC 8033 §5.1), the L4S step marks ECT(1) at once (RFC 9332
/// simplified), and the codepoint reaches the pcap's TOS byte.
@Suite struct ECNTests {
    @Test(arguments: [QueueDiscipline.codel(CoDelParameters(ecn: true)), .pie(PIEParameters(ecn: true)), .fqCodel(FQCoDelParameters())])
    func ecnCapablePacketsAreMarkedWhereOthersAreDropped(aqm: QueueDiscipline) throws {
        let capable = try AQMOverload.run(aqm: aqm, ecn: .ect0)
        #expect(capable.stats.ceMarked > 0)
        #expect(capable.exits[.ce, default: 0] == capable.stats.ceMarked)
        let plain = try AQMOverload.run(aqm: aqm, ecn: .notECT)
        #expect(plain.stats.ceMarked == 0 && plain.exits[.ce, default: 0] == 0)
        #expect(plain.stats.dropped(.aqm) > 0)
        if case .pie = aqm {
            // Marks up to a 10 % probability, drops above it (the source ignores marks).
            #expect(capable.stats.dropped(.aqm) > 0)
        } else {
            #expect(capable.stats.dropped(.aqm) == 0)
        }
    }

    @Test func withoutTheOptionCoDelDropsECNCapablePackets() throws {
        let run = try AQMOverload.run(aqm: .codel(CoDelParameters()), ecn: .ect0)
        #expect(run.stats.ceMarked == 0 && run.stats.dropped(.aqm) > 0)
    }

    /// RFC 8033 §5.1: with `ecn`, a congestion signal is a mark while the drop probability
    /// is at most 10 % and a drop above it.
    @Test func pieMarksUpToTenPercentThenDrops() {
        var pie = PIEState(PIEParameters(ecn: true))
        let ms: Int64 = 1_000_000
        var marks: [Double] = [], drops: [Double] = []
        for t in stride(from: Int64(0), to: 4_000 * ms, by: Int(ms)) {
            let verdict = pie.verdict(now: t, delay: { _ in 100 * ms }, backlog: 100_000, mtu: 1_500, ecn: .ect0, random: { 0.01 })
            if verdict == .mark { marks.append(pie.dropProbability) }
            if verdict == .drop { drops.append(pie.dropProbability) }
        }
        #expect(!marks.isEmpty && !drops.isEmpty)
        #expect(marks.allSatisfy { $0 <= 0.1 } && drops.allSatisfy { $0 > 0.1 })
    }

    /// 10 ECT(1) packets at once through 1 Mbps: each after the first waits 8 ms or more,
    /// above a 1 ms step, so 9 are marked; CoDel alone lets the short burst pass.
    @Test func theL4SStepMarksECT1AboveTheThreshold() throws {
        for (step, expected) in [(Duration?.some(.milliseconds(1)), 9), (nil, 0)] {
            for aqm in [QueueDiscipline.codel(CoDelParameters(ecn: true, l4sStep: step)),
                        .fqCodel(FQCoDelParameters(codel: CoDelParameters(ecn: true, l4sStep: step)))] {
                let net = TestNetwork.direct(config: LinkConfig(bandwidth: .mbps(1), aqm: aqm))
                let tx = try net.alice.bindUDP(port: 1000)
                tx.ecn = .ect1
                _ = try net.bob.bindUDP(port: 2000)
                for _ in 0..<10 { tx.send([UInt8](repeating: 0x80, count: 972), to: Endpoint(net.bobAddress, 2000)) }
                net.simulation.runUntilIdle()
                let stats = net.links[0].forward.stats
                #expect(stats.ceMarked == expected && stats.deliveredPackets == 10, "\(aqm)")
            }
        }
    }

    @Test func theCodepointIsWrittenIntoTheTOSByteWithAValidChecksum() throws {
        for ecn in ECNCodepoint.allCases {
            let packet = Packet(source: Endpoint(TestNetwork.ip("10.0.0.1"), 1), destination: Endpoint(TestNetwork.ip("10.0.0.2"), 2),
                                ecn: ecn, payload: [1, 2, 3])
            let v4 = PacketHeaders.ipPacket(packet)
            #expect(v4[1] == ecn.rawValue && PacketHeaders.internetChecksum(v4[0..<20]) == 0)
            #expect(ECNCodepoint(trafficClass: v4[1]) == ecn)
            var six = packet
            six.source = Endpoint(TestNetwork.ip("2001:db8::1"), 1)
            six.destination = Endpoint(TestNetwork.ip("2001:db8::2"), 2)
            let v6 = PacketHeaders.ipPacket(six)
            #expect(v6[0] == 0x60 && v6[1] >> 4 == ecn.rawValue)
        }
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func tsharkDecodesTheECNField() throws {
        let tshark = try #require(Tshark())
        for ipv6 in [false, true] {
            let net = TestNetwork.routed(ipv6: ipv6)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-ecn-\(UInt32.random(in: 0...UInt32.max)).pcap").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let cap = try net.simulation.capture(net.links[1], to: path)
            let any: IPAddress? = ipv6 ? .v6(.any) : nil
            let tx = try net.alice.bindUDP(address: any, port: 3478)
            _ = try net.bob.bindUDP(address: any, port: 3479)
            for ecn in ECNCodepoint.allCases {
                tx.ecn = ecn
                tx.send([0x41, 0x42], to: Endpoint(net.bobAddress, 3479))
            }
            net.simulation.runUntilIdle()
            try cap.writer.close()
            let field = ipv6 ? "ipv6.tclass.ecn" : "ip.dsfield.ecn"
            let (lines, status) = try tshark.run(path, ["-T", "fields", "-e", field, "-e", "_ws.malformed", "-e", "_ws.expert.severity"])
            #expect(status == 0)
            #expect(lines.map { $0.trimmingCharacters(in: .whitespaces) } == ["0", "1", "2", "3"], "\(lines)")
        }
    }
}

/// Counts the ECN codepoints of packets leaving a link direction.
final class ECNExitCounter: PacketTap {
    var counts: [ECNCodepoint: Int] = [:]

    func observe(_ packet: Packet, direction: LinkDirection, point: TapPoint, at time: Instant) {
        if point == .exit { counts[packet.ecn, default: 0] += 1 }
    }
}
