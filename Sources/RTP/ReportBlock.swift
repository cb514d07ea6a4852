/// A reception report block of SR and RR packets (RFC 3550 §6.4.1): what the reporter
/// received from one source.
public struct ReportBlock: Hashable, Sendable {
    /// The source this block reports on.
    public var ssrc: UInt32
    /// Fraction of packets lost since the previous report, in 1/256.
    public var fractionLost: UInt8
    /// Cumulative packets lost (24-bit signed: duplicates can make it negative).
    public var cumulativeLost: Int32
    /// Highest sequence number received, extended with the count of wraps.
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    /// Middle 32 bits of the NTP timestamp of the last SR received (0: none).
    public var lastSenderReport: UInt32
    /// Delay since that SR was received, in 1/65536 s.
    public var delaySinceLastSenderReport: UInt32

    public init(ssrc: UInt32, fractionLost: UInt8 = 0, cumulativeLost: Int32 = 0, extendedHighestSequence: UInt32 = 0,
                jitter: UInt32 = 0, lastSenderReport: UInt32 = 0, delaySinceLastSenderReport: UInt32 = 0) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    func encode(into out: inout [UInt8]) {
        out.appendUInt32(ssrc)
        out.append(fractionLost)
        let lost = min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        out.appendUInt24(UInt32(bitPattern: lost) & 0xFF_FFFF)
        out.appendUInt32(extendedHighestSequence)
        out.appendUInt32(jitter)
        out.appendUInt32(lastSenderReport)
        out.appendUInt32(delaySinceLastSenderReport)
    }

    init(reading reader: inout ByteReader) throws(RTPError) {
        ssrc = try reader.uint32()
        fractionLost = try reader.uint8()
        let lost = try reader.uint24()
        cumulativeLost = Int32(bitPattern: lost << 8) >> 8
        extendedHighestSequence = try reader.uint32()
        jitter = try reader.uint32()
        lastSenderReport = try reader.uint32()
        delaySinceLastSenderReport = try reader.uint32()
    }

    /// Reads `count` blocks.
    static func readBlocks(_ count: UInt8, from reader: inout ByteReader) throws(RTPError) -> [ReportBlock] {
        var blocks: [ReportBlock] = []
        for _ in 0..<count { blocks.append(try ReportBlock(reading: &reader)) }
        return blocks
    }
}
