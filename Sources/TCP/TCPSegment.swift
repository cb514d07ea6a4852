import NetTypes

/// A TCP segment: the RFC 9293 §3.1 header, its options and its data.
///
/// `encode(source:destination:)` writes the real wire bytes with the checksum over the
/// IPv4 or IPv6 pseudo-header; `init(decoding:source:destination:)` reads them back, with
/// a typed error for anything malformed (it never traps, whatever the bytes). A NAT's
/// rewrite of ports and checksum is `TCPWireHeader.rewrite` (NetTypes), which the
/// simulator uses without this module.
public struct TCPSegment: Hashable, Sendable {
    /// The fixed header's length in bytes.
    public static let headerLength = 20
    /// The most option bytes a header can carry (data offset of 15 words).
    public static let maximumOptionsLength = 40

    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: TCPSequence
    public var acknowledgmentNumber: TCPSequence
    /// The four reserved bits after the data offset (zero when sent; kept when decoded so
    /// that a segment re-encodes unchanged).
    public var reserved: UInt8
    public var flags: TCPFlags
    /// The window field as sent (before any window scaling, RFC 7323 §2.3).
    public var window: UInt16
    public var urgentPointer: UInt16
    public var options: [TCPOption]
    public var payload: [UInt8]

    public init(sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: TCPSequence,
                acknowledgmentNumber: TCPSequence = TCPSequence(0), flags: TCPFlags, window: UInt16,
                urgentPointer: UInt16 = 0, options: [TCPOption] = [], payload: [UInt8] = [], reserved: UInt8 = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.reserved = reserved
        self.flags = flags
        self.window = window
        self.urgentPointer = urgentPointer
        self.options = options
        self.payload = payload
    }

    /// Sequence space the segment occupies: its data plus one for SYN and one for FIN
    /// (RFC 9293 §3.4, SEG.LEN).
    public var sequenceLength: Int {
        payload.count + (flags.contains(.syn) ? 1 : 0) + (flags.contains(.fin) ? 1 : 0)
    }

    /// Bytes of the options once padded to a multiple of four.
    public var paddedOptionsLength: Int {
        let raw = options.reduce(0) { $0 + $1.encodedLength }
        return (raw + 3) & ~3
    }

    // MARK: Option accessors

    /// The MSS option's value, if present.
    public var maximumSegmentSize: UInt16? {
        for case .maximumSegmentSize(let mss) in options { return mss }
        return nil
    }

    /// The window-scale option's shift, if present.
    public var windowScale: UInt8? {
        for case .windowScale(let shift) in options { return shift }
        return nil
    }

    /// Whether the SACK-permitted option is present.
    public var isSACKPermitted: Bool { options.contains(.sackPermitted) }

    /// The timestamps option's value and echo reply, if present.
    public var timestamps: (value: UInt32, echoReply: UInt32)? {
        for case .timestamps(let value, let echo) in options { return (value, echo) }
        return nil
    }

    /// The blocks of the SACK option; empty when absent.
    public var sackBlocks: [TCPSACKBlock] {
        for case .sack(let blocks) in options { return blocks }
        return []
    }

    // MARK: Encoding

    /// The segment's wire bytes, with the checksum over the pseudo-header of `source` →
    /// `destination`. The options must fit in 40 bytes (the core never builds more).
    public func encode(source: IPAddress, destination: IPAddress) -> [UInt8] {
        let optionsLength = paddedOptionsLength
        precondition(optionsLength <= Self.maximumOptionsLength, "TCP options exceed 40 bytes")
        let headerLength = Self.headerLength + optionsLength
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerLength + payload.count)
        bytes.append(contentsOf: [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF),
                                  UInt8(destinationPort >> 8), UInt8(destinationPort & 0xFF)])
        TCPOption.append32(sequenceNumber.value, to: &bytes)
        TCPOption.append32(acknowledgmentNumber.value, to: &bytes)
        bytes.append(UInt8(headerLength / 4) << 4 | reserved & 0x0F)
        bytes.append(flags.rawValue)
        bytes.append(contentsOf: [UInt8(window >> 8), UInt8(window & 0xFF), 0, 0,
                                  UInt8(urgentPointer >> 8), UInt8(urgentPointer & 0xFF)])
        for option in options { option.encode(into: &bytes) }
        while bytes.count < headerLength { bytes.append(0) }  // RFC 9293 §3.1: zero padding
        bytes.append(contentsOf: payload)
        Self.writeChecksum(in: &bytes, source: source, destination: destination)
        return bytes
    }

    /// Computes and stores the checksum of the segment in `bytes` (at least a fixed header)
    /// for the pseudo-header of `source` → `destination`.
    public static func writeChecksum(in bytes: inout [UInt8], source: IPAddress, destination: IPAddress) {
        guard bytes.count >= headerLength else { return }
        bytes[16] = 0
        bytes[17] = 0
        let checksum = computeChecksum(bytes[...], source: source, destination: destination)
        bytes[16] = UInt8(checksum >> 8)
        bytes[17] = UInt8(checksum & 0xFF)
    }

    /// The checksum the segment in `bytes` should carry, computed with its checksum field
    /// taken as zero.
    static func computeChecksum(_ bytes: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress) -> UInt16 {
        var sum = InternetChecksum.pseudoHeaderSum(source: source, destination: destination,
                                                   protocolNumber: TransportKind.tcp.ipProtocolNumber, length: bytes.count)
        sum = InternetChecksum.add(sum, bytes)
        let b = bytes.startIndex
        let stored = UInt32(bytes[b + 16]) << 8 | UInt32(bytes[b + 17])
        // Remove the stored checksum from the one's-complement sum (RFC 1624 arithmetic).
        sum = InternetChecksum.add(sum, [UInt8(~stored >> 8 & 0xFF), UInt8(~stored & 0xFF)][...])
        return ~InternetChecksum.fold(sum)
    }

    // MARK: Decoding

    /// Decodes `bytes` received from `source` for `destination`, verifying the checksum.
    public init(decoding bytes: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress) throws(TCPDecodeError) {
        try self.init(decoding: bytes)
        let found = UInt16(bytes[bytes.startIndex + 16]) << 8 | UInt16(bytes[bytes.startIndex + 17])
        let expected = Self.computeChecksum(bytes, source: source, destination: destination)
        // 0x0000 and 0xFFFF are the same number in one's complement.
        guard found == expected || (found | expected == 0xFFFF && found & expected == 0) else {
            throw .badChecksum(found: found, expected: expected)
        }
    }

    /// Decodes `bytes` without checking the checksum (for tools and traces that have no
    /// addresses).
    public init(decoding bytes: ArraySlice<UInt8>) throws(TCPDecodeError) {
        guard bytes.count >= Self.headerLength else { throw .truncatedHeader(length: bytes.count) }
        let b = bytes.startIndex
        let words = Int(bytes[b + 12] >> 4)
        guard words >= 5, words * 4 <= bytes.count else { throw .badDataOffset(words: words, length: bytes.count) }
        sourcePort = UInt16(bytes[b]) << 8 | UInt16(bytes[b + 1])
        destinationPort = UInt16(bytes[b + 2]) << 8 | UInt16(bytes[b + 3])
        sequenceNumber = TCPSequence(TCPOption.read32(bytes, b + 4))
        acknowledgmentNumber = TCPSequence(TCPOption.read32(bytes, b + 8))
        reserved = bytes[b + 12] & 0x0F
        flags = TCPFlags(rawValue: bytes[b + 13])
        window = UInt16(bytes[b + 14]) << 8 | UInt16(bytes[b + 15])
        urgentPointer = UInt16(bytes[b + 18]) << 8 | UInt16(bytes[b + 19])
        options = try TCPOption.decodeList(bytes[b + Self.headerLength..<b + words * 4])
        payload = Array(bytes[(b + words * 4)...])
    }
}
