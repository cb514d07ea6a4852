import NetTypes
import Testing
@testable import RTP

/// Generic NACK, PLI and FIR (RFC 4585 §6.2.1, §6.3.1; RFC 5104 §4.3.1) byte by byte.
@Suite struct FeedbackMessageTests {
    /// Lost 100, 101, 103, 117, 200 from sender 1 about media 2: PID 100 with BLP bits 0
    /// (101) and 2 (103); 117 is 17 after 100, beyond the bitmask, so a new item; then 200.
    static let nackBytes: [UInt8] = [0x81, 0xCD, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2,
                                     0x00, 0x64, 0x00, 0x05, 0x00, 0x75, 0x00, 0x00, 0x00, 0xC8, 0x00, 0x00]
    static let pliBytes: [UInt8] = [0x81, 0xCE, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2]
    /// Media source 0 (§4.3.1.2), one entry: SSRC 2, command sequence number 7, reserved 0.
    static let firBytes: [UInt8] = [0x84, 0xCE, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 7, 0, 0, 0]

    @Test func genericNACKLayout() throws {
        let nack = GenericNACK(senderSSRC: 1, mediaSSRC: 2, lost: [100, 101, 103, 117, 200])
        #expect(nack.items == [.init(packetID: 100, bitmask: 5), .init(packetID: 117, bitmask: 0), .init(packetID: 200, bitmask: 0)])
        #expect(RTCPPacket.nack(nack).encoded() == Self.nackBytes)
        #expect(try RTCPPacket.decodeCompound(Self.nackBytes) == [.nack(nack)])
        #expect(nack.lostSequenceNumbers == [100, 101, 103, 117, 200])
    }

    @Test func nackBitmaskAcrossTheWrap() {
        let nack = GenericNACK(senderSSRC: 1, mediaSSRC: 2, lost: [65_534, 65_535, 0, 14])
        #expect(nack.items == [.init(packetID: 65_534, bitmask: 0b1000_0000_0000_0011)])
        #expect(nack.lostSequenceNumbers == [65_534, 65_535, 0, 14])
    }

    @Test func pliAndFIRLayouts() throws {
        let pli = RTCPPacket.pictureLossIndication(PictureLossIndication(senderSSRC: 1, mediaSSRC: 2))
        #expect(pli.encoded() == Self.pliBytes)
        #expect(try RTCPPacket.decodeCompound(Self.pliBytes) == [pli])
        let fir = RTCPPacket.fullIntraRequest(FullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 2, sequenceNumber: 7)]))
        #expect(fir.encoded() == Self.firBytes)
        #expect(try RTCPPacket.decodeCompound(Self.firBytes) == [fir])
    }

    @Test func feedbackMessagesInACompoundPacket() throws {
        let packets: [RTCPPacket] = [.receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [])),
                                     .nack(GenericNACK(senderSSRC: 1, mediaSSRC: 2, lost: [5])),
                                     .pictureLossIndication(PictureLossIndication(senderSSRC: 1, mediaSSRC: 2)),
                                     .fullIntraRequest(FullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 2, sequenceNumber: 1),
                                                                                                 .init(ssrc: 3, sequenceNumber: 255)]))]
        #expect(try RTCPPacket.decodeCompound(RTCPPacket.encodeCompound(packets)) == packets)
    }

    @Test func malformedFeedbackMessagesAreTypedErrors() {
        // A NACK without FCI, a PLI with an FCI word, a FIR entry cut to 4 bytes.
        let emptyNACK: [UInt8] = [0x81, 0xCD, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2]
        let longPLI: [UInt8] = [0x81, 0xCE, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0]
        let shortFIR: [UInt8] = [0x84, 0xCE, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]
        for bytes in [emptyNACK, longPLI, shortFIR] {
            #expect {
                try RTCPPacket.decodeCompound(bytes)
            } throws: { error in
                guard case .invalidFeedbackMessage = error as? RTPError else { return false }
                return true
            }
        }
    }
}

/// The RTX payload format (RFC 4588 §4) and the frame marking extension (RFC 9626 §3.1).
@Suite struct RetransmissionPacketTests {
    static let original = RTPPacket(marker: true, payloadType: 96, sequenceNumber: 1000, timestamp: 0x1122_3344, ssrc: 0xAABB_CCDD,
                                    extensions: RTPHeaderExtensions(elements: [.init(id: 3, data: TransportSequenceNumber.data(5))]),
                                    payload: [1, 2, 3])

    @Test func rtxLayoutCarriesTheOriginalSequenceNumber() throws {
        let rtx = RetransmissionPacket.encapsulate(Self.original, ssrc: 0x0102_0304, payloadType: 97, sequenceNumber: 5)
        let bytes: [UInt8] = [0x90, 0xE1, 0x00, 0x05, 0x11, 0x22, 0x33, 0x44, 0x01, 0x02, 0x03, 0x04,
                              0xBE, 0xDE, 0x00, 0x01, 0x31, 0x00, 0x05, 0x00, 0x03, 0xE8, 1, 2, 3]
        #expect(rtx.encoded() == bytes)
        let restored = try RetransmissionPacket.decapsulate(RTPPacket(decoding: bytes), ssrc: 0xAABB_CCDD, payloadType: 96)
        #expect(restored == Self.original)
    }

    @Test func rtxWithoutOriginalSequenceNumberIsRefused() {
        let short = RTPPacket(payloadType: 97, sequenceNumber: 1, timestamp: 0, ssrc: 1, payload: [7])
        #expect(throws: RTPError.self) { try RetransmissionPacket.decapsulate(short, ssrc: 2, payloadType: 96) }
    }

    @Test func frameMarkingShortForm() {
        let marking = FrameMarking(startOfFrame: true, endOfFrame: true, independent: true)
        #expect(marking.data == [0xE0])
        #expect(FrameMarking(data: [0x50]) == FrameMarking(startOfFrame: false, endOfFrame: true, independent: false, discardable: true))
        #expect(FrameMarking(data: [0x80, 0, 0]) == nil)
        #expect(FrameMarking(data: []) == nil)
    }
}
