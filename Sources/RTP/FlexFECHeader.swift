/// The FEC header of a FlexFEC repair packet (RFC 8627 §4.2.2, R = 0): the recovery fields
/// — the XOR of the protected source packets' first 16 RTP header bits (P, X, CC, M, PT;
/// the version bits are where R and F go), of their lengths after the fixed 12-byte
/// header, and of their timestamps — and, per protected SSRC, the lowest protected
/// sequence number (SN base) with a flexible mask (F = 0, §4.2.2.1) or fixed L columns and
/// D rows (F = 1, §4.2.2.2). The protected SSRCs themselves travel as the repair packet's
/// CSRC list (§4.2.1), so their count is the RTP header's CC.
public struct FlexFECHeader: Hashable, Sendable {
    /// Which source packets of one SSRC a repair packet protects.
    public enum Protection: Hashable, Sendable {
        /// F = 0: the packets whose bits are set, counted from SN base.
        case flexible(FlexFECMask)
        /// F = 1: L > 0 and D = 0 or 1: the row SN base ... SN base + L − 1 (D = 1: column
        /// repairs follow, 2-D); D > 1: the column SN base, SN base + L, ..., SN base + (D − 1) L
        /// (§4.2.2.2 Figure 14).
        case fixed(columns: UInt8, rows: UInt8)

        /// The offsets from SN base of the protected packets, lowest first.
        public var offsets: [Int] {
            switch self {
            case .flexible(let mask): return mask.offsets
            case .fixed(let l, let d) where d <= 1: return Array(0..<Int(l))
            case .fixed(let l, let d): return (0..<Int(d)).map { $0 * Int(l) }
            }
        }

        var isFixed: Bool { if case .fixed = self { true } else { false } }

        var encodedSize: Int {
            switch self {
            case .flexible(let mask): return mask.encodedSize
            case .fixed: return 2
            }
        }
    }

    /// The protection of one source SSRC (`SSRC_i`, `SN base_i` and its mask or L/D).
    public struct Block: Hashable, Sendable {
        public var ssrc: UInt32
        public var sequenceBase: UInt16
        public var protection: Protection

        public init(ssrc: UInt32, sequenceBase: UInt16, protection: Protection) {
            self.ssrc = ssrc
            self.sequenceBase = sequenceBase
            self.protection = protection
        }

        /// The protected sequence numbers, in mask or row/column order.
        public var sequenceNumbers: [UInt16] {
            protection.offsets.map { sequenceBase &+ UInt16(truncatingIfNeeded: $0) }
        }
    }

    /// P, X, CC, M and PT recovery: the low 14 bits of the XOR of the source packets'
    /// first two header bytes.
    public var flagsRecovery: UInt16
    /// The XOR of the source packets' lengths minus 12.
    public var lengthRecovery: UInt16
    /// The XOR of the source packets' timestamps.
    public var timestampRecovery: UInt32
    /// One block per protected SSRC (1...15), all flexible or all fixed (the F bit is one per packet).
    public var blocks: [Block]

    public init(flagsRecovery: UInt16, lengthRecovery: UInt16, timestampRecovery: UInt32, blocks: [Block]) {
        self.flagsRecovery = flagsRecovery & 0x3FFF
        self.lengthRecovery = lengthRecovery
        self.timestampRecovery = timestampRecovery
        self.blocks = blocks
    }

    /// Whether the header uses the fixed L/D variant (F = 1).
    public var isFixed: Bool { blocks.first?.protection.isFixed ?? false }

    /// Bytes of the encoded header.
    public var encodedSize: Int { 8 + blocks.reduce(0) { $0 + 2 + $1.protection.encodedSize } }

    /// Appends the header's bytes (R = 0, F from the blocks).
    public func encode(into out: inout [UInt8]) {
        precondition(!blocks.isEmpty && blocks.count <= 15 && blocks.allSatisfy({ $0.protection.isFixed == isFixed }),
                     "a FlexFEC header protects 1...15 SSRCs, all with masks or all with L/D")
        out.appendUInt16((isFixed ? 0x4000 : 0) | flagsRecovery)
        out.appendUInt16(lengthRecovery)
        out.appendUInt32(timestampRecovery)
        for block in blocks {
            out.appendUInt16(block.sequenceBase)
            switch block.protection {
            case .flexible(let mask): mask.encode(into: &out)
            case .fixed(let l, let d): out.append(l); out.append(d)
            }
        }
    }

    /// Reads the header of a repair packet (R = 0) that protects `ssrcs` (its CSRC list).
    static func decode(_ reader: inout ByteReader, ssrcs: [UInt32]) throws(RTPError) -> FlexFECHeader {
        let first = try reader.uint16()
        let fixed = first & 0x4000 != 0
        let length = try reader.uint16()
        let timestamp = try reader.uint32()
        guard !ssrcs.isEmpty else { throw .invalidFlexFEC("the repair packet names no protected SSRC (CC is 0)") }
        var blocks: [Block] = []
        for ssrc in ssrcs {
            let base = try reader.uint16()
            let protection: Protection
            if fixed {
                let l = try reader.uint8(), d = try reader.uint8()
                // §4.2.2.2: L = 0 is reserved (L = D = 0 MUST be ignored; L = 0 with D > 0 names no packet).
                guard l > 0 else { throw .invalidFlexFEC("L (columns) is 0 for SSRC \(ssrc)") }
                protection = .fixed(columns: l, rows: d)
            } else {
                let mask = try FlexFECMask.decode(&reader)
                guard !mask.isEmpty else { throw .invalidFlexFEC("the mask for SSRC \(ssrc) protects no packet") }
                protection = .flexible(mask)
            }
            blocks.append(Block(ssrc: ssrc, sequenceBase: base, protection: protection))
        }
        return FlexFECHeader(flagsRecovery: first, lengthRecovery: length, timestampRecovery: timestamp, blocks: blocks)
    }
}
