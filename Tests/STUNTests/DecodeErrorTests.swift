import NetTypes
import Testing
@testable import STUN

/// Every decode error case, and the promise that no byte string makes the decoder trap.
@Suite struct DecodeErrorTests {
    /// A header with `length` and the given body.
    func message(type: UInt16 = 0x0001, cookie: UInt32 = 0x2112_A442, length: Int? = nil, body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.appendUInt16(type)
        out.appendUInt16(UInt16(length ?? body.count))
        out.appendUInt32(cookie)
        out += Array(repeating: 0xAB, count: 12)
        return out + body
    }

    func attribute(_ type: UInt16, _ value: [UInt8], declared: Int? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.appendUInt16(type)
        out.appendUInt16(UInt16(declared ?? value.count))
        out += value
        out.padToFour(with: 0)
        return out
    }

    func error(_ bytes: [UInt8]) -> STUNDecodeError? {
        do { _ = try STUNMessage(decoding: bytes); return nil } catch { return error }
    }

    @Test func headerErrors() {
        #expect(error([]) == .truncatedHeader(available: 0))
        #expect(error(Array(repeating: 0, count: 19)) == .truncatedHeader(available: 19))
        #expect(error(message(type: 0x8001, body: [])) == .notSTUN(firstByte: 0x80))
        #expect(error(message(cookie: 0xDEAD_BEEF, body: [])) == .badMagicCookie(0xDEAD_BEEF))
        #expect(error(message(length: 6, body: [0, 0, 0, 0, 0, 0])) == .lengthNotMultipleOfFour(6))
        #expect(error(message(length: 8, body: [0, 0, 0, 0])) == .lengthMismatch(declared: 8, available: 4))
        #expect(error(message(length: 0, body: [0, 0, 0, 0])) == .lengthMismatch(declared: 0, available: 4))
    }

    @Test func attributeErrors() {
        let software = STUNAttributeType.software
        #expect(error(message(body: attribute(0x8022, [1, 2, 3, 4], declared: 9))) == .attributeOverrun(type: software, offset: 20, length: 9))
        #expect(error(message(body: [0x00, 0x25, 0x00, 0x04])) == .attributeOverrun(type: .useCandidate, offset: 20, length: 4))
        #expect(error(message(body: attribute(0x0024, [1, 2, 3, 4, 5, 6, 7, 8]))) == .invalidAttributeLength(type: .priority, length: 8))
        #expect(error(message(body: attribute(0x0020, [0, 3, 0, 0, 1, 2, 3, 4]))) == .badAddressFamily(type: .xorMappedAddress, family: 3))
        #expect(error(message(body: attribute(0x0001, [0, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]))) == .invalidAttributeLength(type: .mappedAddress, length: 12))
        #expect(error(message(body: attribute(0x0006, [0xFF, 0xFE]))) == .invalidUTF8(type: .username))
        #expect(error(message(body: attribute(0x0009, [0, 0, 2, 0]))) == .invalidErrorCode(type: .errorCode, classBits: 2, number: 0))
        #expect(error(message(body: attribute(0x0009, [0, 0, 4, 100]))) == .invalidErrorCode(type: .errorCode, classBits: 4, number: 100))
        #expect(error(message(body: attribute(0x0017, [9, 0, 0, 0]))) == .badAddressFamily(type: .requestedAddressFamily, family: 9))
        #expect(error(message(body: attribute(0x8002, [0, 1, 0, 8, 0, 0, 0, 0]))) == .invalidAttributeLength(type: .passwordAlgorithms, length: 8))
        #expect(error(message(body: attribute(0x000A, [0, 1, 0]))) == .invalidAttributeLength(type: .unknownAttributes, length: 3))
        #expect(error(message(body: attribute(0x001C, Array(repeating: 0, count: 12)))) == .invalidAttributeLength(type: .messageIntegritySHA256, length: 12))
    }

    @Test func randomAndMutatedBytesNeverTrap() {
        var rng = Xoshiro256(seed: 99)
        var random = RandomMessages(seed: 5)
        let seeds = (0..<64).map { _ in random.message().encoded() } + [RFC5769.request, RFC5769.ipv6Response, RFC5769.longTermRequest]
        let deadline = ContinuousClock.now.advanced(by: .seconds(2))
        var iterations = 0, decoded = 0
        while iterations < 3_000_000 && (iterations & 1023 != 0 || ContinuousClock.now < deadline) {
            var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
            switch rng.next() % 4 {
            case 0: // random bytes with a valid-looking header
                bytes = (0..<Int(rng.next() % 80)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if bytes.count >= 8 { bytes[0] &= 0x3F; bytes[4] = 0x21; bytes[5] = 0x12; bytes[6] = 0xA4; bytes[7] = 0x42 }
                if bytes.count >= 20 { bytes[2] = 0; bytes[3] = UInt8(bytes.count - 20) }
            case 1: // flip bytes
                for _ in 0..<(1 + rng.next() % 4) where !bytes.isEmpty {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 2: // truncate
                bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
            default: // mutate an attribute length byte and fix the header length
                if bytes.count > 24 { bytes[22 + Int(rng.next() % 2)] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            if (try? DecodedSTUNMessage(decoding: bytes)) != nil { decoded += 1 }
            _ = PacketKind(classifying: bytes)
            _ = try? ChannelData.decode(bytes, stream: rng.next() & 1 == 0)
            iterations += 1
        }
        #expect(iterations > 10_000) // debug builds manage ~50k-150k in 2 s; libFuzzer runs millions
        #expect(decoded > 0)
    }
}
