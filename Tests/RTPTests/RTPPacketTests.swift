import NetTypes
import Testing
@testable import RTP

@Suite struct RTPPacketTests {
    /// V=2 X=1, M=1 PT=96, seq 0x1234, ts 0x11223344, SSRC 0xAABBCCDD, one-byte
    /// extension (0xBEDE, 1 word) with id 3 = transport-wide sequence 5, one zero pad byte.
    static let oneByteBytes: [UInt8] = [0x90, 0xE0, 0x12, 0x34, 0x11, 0x22, 0x33, 0x44, 0xAA, 0xBB, 0xCC, 0xDD,
                                        0xBE, 0xDE, 0x00, 0x01, 0x31, 0x00, 0x05, 0x00, 0x01, 0x02]

    static func packet(form: RTPHeaderExtensions.Form) -> RTPPacket {
        RTPPacket(marker: true, payloadType: 96, sequenceNumber: 0x1234, timestamp: 0x1122_3344, ssrc: 0xAABB_CCDD,
                  extensions: RTPHeaderExtensions(form: form, elements: [.init(id: 3, data: TransportSequenceNumber.data(5))]),
                  payload: [1, 2])
    }

    @Test func oneByteExtensionLayout() throws {
        let packet = Self.packet(form: .oneByte)
        #expect(packet.encoded() == Self.oneByteBytes)
        #expect(try RTPPacket(decoding: Self.oneByteBytes) == packet)
        #expect(packet.headerSize == 20)
        #expect(TransportSequenceNumber.value(packet.extensions![3]!) == 5)
    }

    @Test func twoByteExtensionLayout() throws {
        let bytes: [UInt8] = [0x90, 0xE0, 0x12, 0x34, 0x11, 0x22, 0x33, 0x44, 0xAA, 0xBB, 0xCC, 0xDD,
                              0x10, 0x00, 0x00, 0x01, 0x03, 0x02, 0x00, 0x05, 0x01, 0x02]
        let packet = Self.packet(form: .twoByte(appBits: 0))
        #expect(packet.encoded() == bytes)
        #expect(try RTPPacket(decoding: bytes) == packet)
    }

    @Test func decoderSkipsPaddingElementsAndStopsAtId15() throws {
        // One-byte form: pad byte, id 1 (1 byte 0x7F), id 15 ends the parse.
        let bytes: [UInt8] = [0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
                              0xBE, 0xDE, 0x00, 0x01, 0x00, 0x10, 0x7F, 0xF0]
        let packet = try RTPPacket(decoding: bytes)
        #expect(packet.extensions?.elements == [.init(id: 1, data: [0x7F])])
        #expect(packet.payload.isEmpty)
    }

    @Test func paddingAndCSRCsRoundTrip() throws {
        let packet = RTPPacket(payloadType: 111, sequenceNumber: 65535, timestamp: 7, ssrc: 9, csrcs: [1, 2, 3],
                               payload: [9, 9, 9], paddingLength: 5)
        let bytes = packet.encoded()
        #expect(bytes[0] == 0xA3)
        #expect(bytes.count == 12 + 12 + 3 + 5)
        #expect(bytes.last == 5)
        #expect(try RTPPacket(decoding: bytes) == packet)
    }

    @Test func randomPacketsRoundTrip() throws {
        var rng = Xoshiro256(seed: 3)
        for _ in 0..<5_000 {
            let packet = RTPTestData.randomPacket(&rng)
            #expect(try RTPPacket(decoding: packet.encoded()) == packet)
        }
    }

    @Test func absoluteSendTimeMeasuresAgeAcrossTheWrap() {
        let sent = Instant.zero + .milliseconds(63_990)
        let field = AbsoluteSendTime.value(AbsoluteSendTime.data(sent))!
        let age = AbsoluteSendTime.age(of: field, at: sent + .milliseconds(55))
        #expect(abs(age.nanoseconds - Duration.milliseconds(55).nanoseconds) < 8_000)
    }

    @Test func unwrapperFollowsWrapsAndReordering() {
        var u = SequenceUnwrapper(bits: 16)
        #expect(u.unwrap(65534) == 65534)
        #expect(u.unwrap(1) == 65537)
        #expect(u.unwrap(65535) == 65535)
        #expect(u.unwrap(3) == 65539)
        var r = SequenceUnwrapper(bits: 24)
        #expect(r.unwrap(0xFF_FFFF) == 0xFF_FFFF)
        #expect(r.unwrap(0) == 0x100_0000)
    }

    /// A wrapping number placed beside a known unwrapped one: up to half the range below
    /// it, just under half above, across wraps in both directions; references below zero too.
    @Test func closestPlacesANumberBesideItsReference() {
        #expect(SequenceUnwrapper.closest(2, to: 65_535) == 65_538)
        #expect(SequenceUnwrapper.closest(65_530, to: 65_538) == 65_530)
        #expect(SequenceUnwrapper.closest(0x8000, to: 0) == -0x8000)
        #expect(SequenceUnwrapper.closest(0x7FFF, to: 0) == 0x7FFF)
        #expect(SequenceUnwrapper.closest(65_535, to: -3) == -1)
        #expect(SequenceUnwrapper.closest(0, to: 0xFF_FFFF, bits: 24) == 0x100_0000)
    }

    @Test func rtcpIsTellable() {
        #expect(RTPPacket.isRTCP([0x80, 200, 0, 6]))
        #expect(!RTPPacket.isRTCP(Self.oneByteBytes))
    }
}

/// Random packets and bytes for round-trip and robustness tests.
enum RTPTestData {
    static func bytes(_ rng: inout Xoshiro256, count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    static func int(_ rng: inout Xoshiro256, _ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(rng.next() % UInt64(range.count))
    }

    static func randomPacket(_ rng: inout Xoshiro256) -> RTPPacket {
        var extensions: RTPHeaderExtensions?
        if rng.chance(0.7) {
            let oneByte = rng.chance(0.5)
            var ids = Set<UInt8>()
            var elements: [RTPHeaderExtensions.Element] = []
            for _ in 0..<int(&rng, 0...4) {
                let id = UInt8(oneByte ? int(&rng, 1...14) : int(&rng, 1...255))
                guard ids.insert(id).inserted else { continue }
                elements.append(.init(id: id, data: bytes(&rng, count: oneByte ? int(&rng, 1...16) : int(&rng, 1...40))))
            }
            extensions = RTPHeaderExtensions(form: oneByte ? .oneByte : .twoByte(appBits: UInt8(int(&rng, 0...15))), elements: elements)
        }
        return RTPPacket(marker: rng.chance(0.5), payloadType: UInt8(int(&rng, 0...127)),
                         sequenceNumber: UInt16(truncatingIfNeeded: rng.next()), timestamp: UInt32(truncatingIfNeeded: rng.next()),
                         ssrc: UInt32(truncatingIfNeeded: rng.next()), csrcs: (0..<int(&rng, 0...3)).map { _ in UInt32(truncatingIfNeeded: rng.next()) },
                         extensions: extensions, payload: bytes(&rng, count: int(&rng, 0...200)),
                         paddingLength: rng.chance(0.2) ? UInt8(int(&rng, 1...255)) : 0)
    }
}
