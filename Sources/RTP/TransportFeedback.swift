import NetTypes

/// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1; RTPFB PT 205, FMT 15): for a run of transport-wide sequence numbers starting at
/// `baseSequence`, whether each packet arrived and, if so, when.
///
/// Arrival times are a 24-bit reference time in multiples of 64 ms plus per-packet
/// deltas in 250 µs ticks, each relative to the previous received packet (the first to
/// the reference time). Statuses are run-length chunks or 1-bit/2-bit status vectors.
public struct TransportFeedback: Hashable, Sendable {
    static let packetType: UInt8 = 205
    static let format: UInt8 = 15
    /// The unit of `referenceTime` (draft §3.1: "multiples of 64ms").
    public static let referenceTimeUnit = Duration.milliseconds(64)
    /// The unit of receive deltas (draft §3.1.5: "multiples of 250us").
    public static let deltaTick = Duration.microseconds(250)

    /// The fate of one packet.
    public enum Status: Hashable, Sendable {
        case notReceived
        /// Received `delta` ticks of 250 µs after the previous received packet (or the
        /// reference time). 0...255 is a "small" delta (one byte), anything else "large"
        /// (two bytes, signed).
        case received(delta: Int16)

        /// The 2-bit status symbol (draft §3.1.1).
        var symbol: UInt8 {
            switch self {
            case .notReceived: return 0
            case .received(let delta): return (0...255).contains(delta) ? 1 : 2
            }
        }
    }

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    public var baseSequence: UInt16
    /// 24-bit reference time in units of 64 ms (wraps; the consumer unwraps it).
    public var referenceTime: UInt32
    /// Counts feedback packets sent, modulo 256, so that the sender can detect lost feedback.
    public var feedbackCount: UInt8
    /// One status per sequence number from `baseSequence` (at most 65535).
    public var statuses: [Status]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, baseSequence: UInt16, referenceTime: UInt32, feedbackCount: UInt8,
                statuses: [Status]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.baseSequence = baseSequence
        self.referenceTime = referenceTime & 0xFF_FFFF
        self.feedbackCount = feedbackCount
        self.statuses = statuses
    }

    func encode(into out: inout [UInt8]) {
        precondition(statuses.count <= 0xFFFF, "too many statuses for one feedback packet")
        RTCPHeader.append(into: &out, count: Self.format, packetType: Self.packetType) { out in
            out.appendUInt32(senderSSRC)
            out.appendUInt32(mediaSSRC)
            out.appendUInt16(baseSequence)
            out.appendUInt16(UInt16(statuses.count))
            out.appendUInt24(referenceTime)
            out.append(feedbackCount)
            var chunks = StatusChunkEncoder()
            for status in statuses { chunks.add(status.symbol, into: &out) }
            chunks.finish(into: &out)
            for case .received(let delta) in statuses {
                if (0...255).contains(delta) { out.append(UInt8(delta)) } else { out.appendUInt16(UInt16(bitPattern: delta)) }
            }
        }
    }

    init(_ header: RTCPHeader) throws(RTPError) {
        guard header.count == Self.format else { throw .invalidFeedback("FMT \(header.count) is not 15") }
        var reader = ByteReader(header.body)
        senderSSRC = try reader.uint32()
        mediaSSRC = try reader.uint32()
        baseSequence = try reader.uint16()
        let count = Int(try reader.uint16())
        referenceTime = try reader.uint24()
        feedbackCount = try reader.uint8()
        var symbols: [UInt8] = []
        symbols.reserveCapacity(count)
        while symbols.count < count {
            let chunk = try reader.uint16()
            StatusChunkEncoder.decode(chunk, wanting: count - symbols.count, into: &symbols)
        }
        var statuses: [Status] = []
        statuses.reserveCapacity(count)
        for symbol in symbols {
            switch symbol {
            case 0: statuses.append(.notReceived)
            case 1: statuses.append(.received(delta: Int16(try reader.uint8())))
            case 2: statuses.append(.received(delta: Int16(bitPattern: try reader.uint16())))
            default: throw .invalidFeedback("reserved status symbol 3")
            }
        }
        guard reader.remaining < 4 else { throw .invalidLength("\(reader.remaining) bytes after the receive deltas") }
        self.statuses = statuses
    }

    /// Per status, the arrival time relative to the unwrapped reference time origin:
    /// `referenceTime` × 64 ms plus the running sum of deltas; nil for lost packets.
    public func arrivalOffsets(referenceTime unwrapped: Int64) -> [Duration?] {
        var time = Self.referenceTimeUnit * unwrapped
        return statuses.map { status in
            guard case .received(let delta) = status else { return nil }
            time = time + Self.deltaTick * Int64(delta)
            return time
        }
    }
}
