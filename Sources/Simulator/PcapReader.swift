import NetTypes

/// Reads the pcap files `PcapWriter` produces (and other classic pcap files), for
/// tests and tools. Never traps on malformed input.
public struct PcapReader {
    /// One captured packet.
    public struct Record: Sendable {
        public var time: Instant
        public var bytes: [UInt8]
    }

    public enum Error: Swift.Error, Equatable, Sendable {
        case tooShort
        case badMagic(UInt32)
        case truncatedRecord(index: Int)
    }

    public let linkType: UInt32
    public let records: [Record]

    public init(bytes: [UInt8]) throws(Error) {
        guard bytes.count >= 24 else { throw .tooShort }
        func u32(_ i: Int) -> UInt32 {
            UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        }
        let magic = u32(0)
        let nanos: Bool
        switch magic {
        case 0xA1B2_3C4D: nanos = true
        case 0xA1B2_C3D4: nanos = false
        default: throw .badMagic(magic)
        }
        linkType = u32(20)
        var records: [Record] = []
        var offset = 24
        while offset < bytes.count {
            guard offset + 16 <= bytes.count else { throw .truncatedRecord(index: records.count) }
            let seconds = Int64(u32(offset)), fraction = Int64(u32(offset + 4))
            let length = Int(u32(offset + 8))
            guard length <= bytes.count - offset - 16 else { throw .truncatedRecord(index: records.count) }
            let ns = seconds * 1_000_000_000 + (nanos ? fraction : fraction * 1000)
            records.append(Record(time: Instant(nanoseconds: ns), bytes: Array(bytes[offset + 16..<offset + 16 + length])))
            offset += 16 + length
        }
        self.records = records
    }
}
