import NetTypes
import Testing
@testable import RTP

@Suite struct RTCPTests {
    @Test func sdesCNAMELayout() throws {
        let bytes: [UInt8] = [0x81, 0xCA, 0x00, 0x03, 0, 0, 0, 1, 0x01, 0x02, 0x61, 0x62, 0, 0, 0, 0]
        let packet = RTCPPacket.sourceDescription(SourceDescription(ssrc: 1, cname: "ab"))
        #expect(packet.encoded() == bytes)
        #expect(try RTCPPacket.decodeCompound(bytes) == [packet])
    }

    @Test func receiverReportLayout() throws {
        let block = ReportBlock(ssrc: 0x0102_0304, fractionLost: 0x40, cumulativeLost: -2, extendedHighestSequence: 0x0001_0005,
                                jitter: 17, lastSenderReport: 0xAABB_CCDD, delaySinceLastSenderReport: 0x8000)
        let bytes: [UInt8] = [0x81, 0xC9, 0x00, 0x07, 0, 0, 0, 9,
                              1, 2, 3, 4, 0x40, 0xFF, 0xFF, 0xFE, 0, 1, 0, 5, 0, 0, 0, 17,
                              0xAA, 0xBB, 0xCC, 0xDD, 0, 0, 0x80, 0]
        let packet = RTCPPacket.receiverReport(ReceiverReport(ssrc: 9, reportBlocks: [block]))
        #expect(packet.encoded() == bytes)
        #expect(try RTCPPacket.decodeCompound(bytes) == [packet])
    }

    @Test func compoundRoundTrip() throws {
        let packets: [RTCPPacket] = [
            .senderReport(SenderReport(ssrc: 1, ntpTimestamp: 0x0102_0304_0506_0708, rtpTimestamp: 90_000, packetCount: 10, octetCount: 12_000,
                                       reportBlocks: [ReportBlock(ssrc: 2, fractionLost: 1)])),
            .sourceDescription(SourceDescription(ssrc: 1, cname: "sender@icelab")),
            .goodbye(Goodbye(ssrcs: [1, 5], reason: "done")),
            .goodbye(Goodbye(ssrcs: [7])),
            .other(count: 3, packetType: 206, body: [0, 0, 0, 1, 0, 0, 0, 2]),
        ]
        let bytes = RTCPPacket.encodeCompound(packets)
        #expect(bytes.count % 4 == 0)
        #expect(Array(bytes[0...3]) == [0x81, 0xC8, 0x00, 0x0C])
        #expect(try RTCPPacket.decodeCompound(bytes) == packets)
        #expect(RTPPacket.isRTCP(bytes))
    }

    @Test func byeLayout() throws {
        #expect(RTCPPacket.goodbye(Goodbye(ssrcs: [1])).encoded() == [0x81, 0xCB, 0x00, 0x01, 0, 0, 0, 1])
        #expect(RTCPPacket.goodbye(Goodbye(ssrcs: [1], reason: "x")).encoded() == [0x81, 0xCB, 0x00, 0x02, 0, 0, 0, 1, 1, 0x78, 0, 0])
    }

    @Test func ntpCompactTimeAndDLSR() {
        let t = Instant.zero + .milliseconds(1500)
        #expect(NTPTime.timestamp(t) == 1 << 32 | 1 << 31)
        #expect(NTPTime.compact(t) == 1 << 16 | 1 << 15)
        #expect(NTPTime.compact(Duration.milliseconds(250)) == 1 << 14)
        #expect(NTPTime.duration(compact: 1 << 14) == .milliseconds(250))
    }
}
