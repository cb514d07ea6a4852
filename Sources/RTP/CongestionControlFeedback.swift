import NetTypes

/// RTP Control Protocol feedback for congestion control (RFC 8888 §3.1; RTPFB PT 205,
/// FMT 11), "CCFB": per RTP stream, for the sequence numbers `beginSequence` onwards,
/// whether each packet arrived, with which ECN codepoint, and how long before the
/// report timestamp.
///
/// Layout after the common header: the sender's SSRC; per report block the media SSRC,
/// begin_seq and num_reports (16 bits each), then one 16-bit metric per packet
/// (R bit, 2-bit ECN, 13-bit arrival time offset) and 16 zero bits when num_reports is
/// odd; last, the 32-bit report timestamp (the middle 32 bits of an NTP timestamp,
/// RFC 3550 §4).
public struct CongestionControlFeedback: Hashable, Sendable {
    static let packetType: UInt8 = 205
    static let format: UInt8 = 11
    /// Most metrics per report block (RFC 8888 §3.1: num_reports "MUST NOT" exceed 16384,
    /// a quarter of the sequence space, so that wraps stay unambiguous).
    public static let maxReports = 16_384
    /// Arrival time offsets count 1/1024 s (RFC 8888 §3.1).
    public static let offsetTicksPerSecond: Int64 = 1024
    /// The offset value meaning 8190/1024 s or more before the report timestamp.
    public static let overRange: UInt16 = 0x1FFE
    /// The offset value meaning the arrival time is unknown (or after the report timestamp).
    public static let unavailable: UInt16 = 0x1FFF

    /// One packet's metric block.
    public enum Metric: Hashable, Sendable {
        /// R = 0: not received (ECN and offset are sent as zero and ignored on receipt).
        case notReceived
        /// R = 1: received with IP ECN field `ecn`, `offset` ticks of 1/1024 s before the
        /// report timestamp (13 bits; `overRange` and `unavailable` are special).
        case received(ecn: ECNCodepoint, offset: UInt16)

        var encoded: UInt16 {
            switch self {
            case .notReceived: return 0
            case .received(let ecn, let offset): return 0x8000 | UInt16(ecn.rawValue) << 13 | offset & 0x1FFF
            }
        }

        init(_ field: UInt16) {
            guard field & 0x8000 != 0 else { self = .notReceived; return }
            self = .received(ecn: ECNCodepoint(trafficClass: UInt8(field >> 13 & 0b11)), offset: field & 0x1FFF)
        }
    }

    /// The metrics of one RTP stream, from `beginSequence` on, one per sequence number.
    public struct ReportBlock: Hashable, Sendable {
        public var ssrc: UInt32
        public var beginSequence: UInt16
        public var metrics: [Metric]

        public init(ssrc: UInt32, beginSequence: UInt16, metrics: [Metric]) {
            self.ssrc = ssrc
            self.beginSequence = beginSequence
            self.metrics = metrics
        }
    }

    public var senderSSRC: UInt32
    public var blocks: [ReportBlock]
    /// When the report was made, in the receiver's clock: NTP middle 32 bits, 1/65536 s.
    public var reportTimestamp: UInt32

    public init(senderSSRC: UInt32, blocks: [ReportBlock], reportTimestamp: UInt32) {
        self.senderSSRC = senderSSRC
        self.blocks = blocks
        self.reportTimestamp = reportTimestamp
    }

    func encode(into out: inout [UInt8]) {
        RTCPHeader.append(into: &out, count: Self.format, packetType: Self.packetType) { out in
            out.appendUInt32(senderSSRC)
            for block in blocks {
                precondition(block.metrics.count <= Self.maxReports, "too many metrics for one report block")
                out.appendUInt32(block.ssrc)
                out.appendUInt16(block.beginSequence)
                out.appendUInt16(UInt16(block.metrics.count))
                for metric in block.metrics { out.appendUInt16(metric.encoded) }
                if block.metrics.count % 2 == 1 { out.appendUInt16(0) }
            }
            out.appendUInt32(reportTimestamp)
        }
    }

    init(_ header: RTCPHeader) throws(RTPError) {
        guard header.count == Self.format else { throw .invalidCongestionFeedback("FMT \(header.count) is not 11") }
        var reader = ByteReader(header.body)
        senderSSRC = try reader.uint32()
        var blocks: [ReportBlock] = []
        // Every block takes at least 8 bytes; the report timestamp ends the packet.
        while reader.remaining > 4 {
            let ssrc = try reader.uint32()
            let begin = try reader.uint16()
            let count = Int(try reader.uint16())
            guard count <= Self.maxReports else {
                throw .invalidCongestionFeedback("num_reports \(count) exceeds \(Self.maxReports)")
            }
            let words = (count + 1) / 2
            guard words * 4 <= reader.remaining - 4 else {
                throw .invalidCongestionFeedback("num_reports \(count) overruns the packet")
            }
            var metrics: [Metric] = []
            metrics.reserveCapacity(count)
            for _ in 0..<count { metrics.append(Metric(try reader.uint16())) }
            if count % 2 == 1 { try reader.skip(2) }
            blocks.append(ReportBlock(ssrc: ssrc, beginSequence: begin, metrics: metrics))
        }
        guard reader.remaining == 4 else {
            throw .invalidCongestionFeedback("\(reader.remaining) byte(s) where the report timestamp should be")
        }
        reportTimestamp = try reader.uint32()
        self.blocks = blocks
    }
}
