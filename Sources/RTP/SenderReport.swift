/// An RTCP sender report (RFC 3550 §6.4.1, PT 200): the sender's NTP and RTP clocks at
/// one instant, its packet and octet counts, and reception report blocks.
public struct SenderReport: Hashable, Sendable {
    static let packetType: UInt8 = 200

    public var ssrc: UInt32
    /// 64-bit NTP timestamp (32.32 fixed-point seconds).
    public var ntpTimestamp: UInt64
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    /// At most 31 blocks.
    public var reportBlocks: [ReportBlock]

    public init(ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
                reportBlocks: [ReportBlock] = []) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
    }

    func encode(into out: inout [UInt8]) {
        RTCPHeader.append(into: &out, count: UInt8(reportBlocks.count), packetType: Self.packetType) { out in
            out.appendUInt32(ssrc)
            out.appendUInt32(UInt32(truncatingIfNeeded: ntpTimestamp >> 32))
            out.appendUInt32(UInt32(truncatingIfNeeded: ntpTimestamp))
            out.appendUInt32(rtpTimestamp)
            out.appendUInt32(packetCount)
            out.appendUInt32(octetCount)
            for block in reportBlocks { block.encode(into: &out) }
        }
    }

    /// Decodes the body; profile-specific extensions after the blocks are ignored.
    init(_ header: RTCPHeader) throws(RTPError) {
        var reader = ByteReader(header.body)
        ssrc = try reader.uint32()
        ntpTimestamp = UInt64(try reader.uint32()) << 32 | UInt64(try reader.uint32())
        rtpTimestamp = try reader.uint32()
        packetCount = try reader.uint32()
        octetCount = try reader.uint32()
        reportBlocks = try ReportBlock.readBlocks(header.count, from: &reader)
    }
}

/// An RTCP receiver report (RFC 3550 §6.4.2, PT 201): reception report blocks from a
/// participant that does not send.
public struct ReceiverReport: Hashable, Sendable {
    static let packetType: UInt8 = 201

    public var ssrc: UInt32
    /// At most 31 blocks.
    public var reportBlocks: [ReportBlock]

    public init(ssrc: UInt32, reportBlocks: [ReportBlock] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
    }

    func encode(into out: inout [UInt8]) {
        RTCPHeader.append(into: &out, count: UInt8(reportBlocks.count), packetType: Self.packetType) { out in
            out.appendUInt32(ssrc)
            for block in reportBlocks { block.encode(into: &out) }
        }
    }

    init(_ header: RTCPHeader) throws(RTPError) {
        var reader = ByteReader(header.body)
        ssrc = try reader.uint32()
        reportBlocks = try ReportBlock.readBlocks(header.count, from: &reader)
    }
}
