import NetTypes
import Testing
@testable import RTP

/// The RTP log of RFC 8868 §3.1: one line per packet, read from the header alone, written
/// and parsed back exactly; bad lines are refused with their line number.
@Suite struct RTPLogRecordTests {
    static let extensions = RTPHeaderExtensions(form: .oneByte, elements: [.init(id: 3, data: [1, 2, 3])])
    static let packet = RTPPacket(marker: true, payloadType: 96, sequenceNumber: 65_535, timestamp: 4_000_000_000, ssrc: 0x0049_4400,
                                  csrcs: [7], extensions: extensions, payload: Array(repeating: 0xAB, count: 1187), paddingLength: 13)

    @Test func recordReadsTheHeaderLikeTheDecoder() throws {
        let bytes = Self.packet.encoded()
        let record = try RTPLogRecord(packet: bytes, time: .nanoseconds(12_345_678_901))
        #expect(record == RTPLogRecord(time: .microseconds(12_345_678), payloadType: 96, ssrc: 0x0049_4400, sequenceNumber: 65_535,
                                       timestamp: 4_000_000_000, marker: true, payloadSize: 1187))
        #expect(record.line == "12.345678 96 00494400 65535 4000000000 1 1187")
    }

    @Test func paddingOnlyAndEmptyPayloadsAreSizeZero() throws {
        let padding = RTPPacket(payloadType: 97, sequenceNumber: 1, timestamp: 0, ssrc: 1, paddingLength: 255).encoded()
        let record = try RTPLogRecord(packet: padding, time: .zero)
        #expect(record.payloadSize == 0 && record.line == "0.000000 97 00000001 1 0 0 0")
    }

    @Test func malformedHeadersAreRefusedLikeTheDecoder() {
        let good = Self.packet.encoded()
        for bytes in [[], Array(good.prefix(11)), [0x40] + good.dropFirst(), [0x9F] + Array(good.dropFirst().prefix(20)),
                      Array(good.dropLast()) + [0]] {
            #expect(throws: RTPError.self) { try RTPLogRecord(packet: bytes, time: .zero) }
            #expect(throws: RTPError.self) { try RTPPacket(decoding: bytes) }
        }
    }

    @Test func linesRoundTripThroughTheParser() throws {
        var rng = Xoshiro256(seed: 8868)
        var records: [RTPLogRecord] = []
        for _ in 0..<500 {
            records.append(RTPLogRecord(time: .microseconds(Int64(rng.next() % 1_000_000_000_000)), payloadType: UInt8(rng.next() % 128),
                                        ssrc: UInt32(truncatingIfNeeded: rng.next()), sequenceNumber: UInt16(truncatingIfNeeded: rng.next()),
                                        timestamp: UInt32(truncatingIfNeeded: rng.next()), marker: rng.next() % 2 == 0,
                                        payloadSize: Int(rng.next() % 65_536)))
        }
        #expect(try RTPLog.parse(RTPLog.text(records)) == records)
    }

    /// RFC 8868 §3.1: CRLF, CR or LF ends a line, empty lines are disregarded; fraction
    /// digits are a decimal fraction of a second and SSRCs may carry 0x.
    @Test func parserAcceptsEveryLineEndAndOtherToolsSpelling() throws {
        let text = "1.5 0 0xABCDEF01 0 0 0 160\r\n\r\n2.000001\t8 abc 65535 4294967295 1 0\r\r3.25 127 0 1 2 1 65535\n   \n"
        let records = try RTPLog.parse(text)
        #expect(records.map(\.time) == [.milliseconds(1500), .microseconds(2_000_001), .milliseconds(3250)])
        #expect(records.map(\.ssrc) == [0xABCD_EF01, 0xABC, 0])
        #expect(records.map(\.payloadSize) == [160, 0, 65_535])
        #expect(records.map(\.marker) == [false, true, true])
    }

    @Test func badLinesNameTheirLineAndField() {
        func message(_ text: String) -> String {
            do throws(RTPLogError) {
                _ = try RTPLog.parse(text)
                return "accepted"
            } catch {
                return error.message
            }
        }
        let good = "1.000000 96 00494400 1 2 0 3"
        #expect(message("\(good)\n\(good) 9") == "line 2: expected 7 fields (time, payload type, SSRC, sequence number, timestamp, marker, payload size), found 8")
        #expect(message("1 96 1 1 2 0 3").contains("time '1'"))
        #expect(message("1.1234567 96 1 1 2 0 3").contains("time"))
        #expect(message("-1.0 96 1 1 2 0 3").contains("time"))
        #expect(message("1.0 128 1 1 2 0 3").contains("payload type '128'"))
        #expect(message("1.0 +9 1 1 2 0 3").contains("payload type"))
        #expect(message("1.0 96 123456789 1 2 0 3").contains("SSRC"))
        #expect(message("1.0 96 xyz 1 2 0 3").contains("SSRC"))
        #expect(message("1.0 96 1 65536 2 0 3").contains("sequence number"))
        #expect(message("1.0 96 1 1 4294967296 0 3").contains("RTP timestamp"))
        #expect(message("1.0 96 1 1 2 2 3").contains("marker '2'"))
        #expect(message("1.0 96 1 1 2 0 65536").contains("payload size"))
        #expect(message("\n\n1.0 96 1 1 2 0 ３").hasPrefix("line 3: payload size"))
    }

    /// Mutated packets and log lines: the record never traps, agrees with the decoder on
    /// every packet the decoder accepts, and parsed lines re-format to what parses the same.
    @Test func mutatedInputsNeverTrap() throws {
        var rng = Xoshiro256(seed: 3550)
        let seed = Self.packet.encoded()
        let alphabet = Array("0123456789abcdefx. \t\r\n-+".utf8)
        var agreed = 0, parsed = 0
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<Int(rng.next() % 4 + 1) {
                let i = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.removeSubrange(i..<min(bytes.count, i + Int(rng.next() % 64)))
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                }
                if bytes.isEmpty { bytes = seed }
            }
            if let decoded = try? RTPPacket(decoding: bytes) {
                let record = try RTPLogRecord(packet: bytes, time: .zero)
                #expect(record.payloadSize == decoded.payload.count && record.ssrc == decoded.ssrc && record.marker == decoded.marker
                        && record.sequenceNumber == decoded.sequenceNumber && record.timestamp == decoded.timestamp
                        && record.payloadType == decoded.payloadType)
                agreed += 1
            } else {
                _ = try? RTPLogRecord(packet: bytes, time: .zero)
            }
            var line = Array("12.345678 96 00494400 65535 4000000000 1 1187".utf8)
            for _ in 0..<Int(rng.next() % 3 + 1) {
                line[Int(rng.next() % UInt64(line.count))] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            if let records = try? RTPLog.parse(String(decoding: line, as: UTF8.self)) {
                #expect(try RTPLog.parse(RTPLog.text(records)) == records)
                parsed += 1
            }
        }
        #expect(agreed > 100 && parsed > 100)
    }
}
