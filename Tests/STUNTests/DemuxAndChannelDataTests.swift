import Testing
@testable import STUN

@Suite struct DemuxAndChannelDataTests {
    @Test func firstByteRangesFollowRFC7983And9443() {
        let expected: [(ClosedRange<UInt8>, PacketKind)] = [
            (0...3, .stun), (4...15, .unknown), (16...19, .zrtp), (20...63, .dtls), (64...79, .turnChannel),
            (80...127, .quic), (128...191, .rtp), (192...255, .quic),
        ]
        for (range, kind) in expected {
            for b in range { #expect(PacketKind(firstByte: b) == kind) }
        }
        #expect(PacketKind(classifying: []) == .unknown)
        #expect(PacketKind(classifying: RFC5769.request) == .stun)
    }

    @Test func channelDataFramesAndPads() throws {
        let frame = ChannelData(channelNumber: 0x4001, data: [1, 2, 3, 4, 5])
        #expect(frame.encoded(stream: false) == [0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5])
        #expect(frame.encoded(stream: true) == [0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0])
        let (udp, udpUsed) = try ChannelData.decode(frame.encoded(stream: false), stream: false)
        #expect(udp == frame && udpUsed == 9)
        let (tcp, tcpUsed) = try ChannelData.decode(frame.encoded(stream: true) + [0x40], stream: true)
        #expect(tcp == frame && tcpUsed == 12)
        #expect(PacketKind(classifying: frame.encoded(stream: false)) == .turnChannel)
    }

    @Test func channelDataErrors() {
        #expect(throws: ChannelDataDecodeError.truncatedHeader(available: 3)) { try ChannelData.decode([0x40, 0, 0], stream: false) }
        #expect(throws: ChannelDataDecodeError.invalidChannelNumber(0x5000)) { try ChannelData.decode([0x50, 0, 0, 0], stream: false) }
        #expect(throws: ChannelDataDecodeError.truncatedData(declared: 5, available: 5)) {
            try ChannelData.decode([0x40, 0, 0, 5, 1, 2, 3, 4, 5], stream: true)
        }
    }
}
