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
    public static let maximumOptionsLength = TCPOptionBytes.capacity

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
    /// The options as their wire bytes (held inline; see `options` for the values).
    public var optionBytes: TCPOptionBytes
    /// The data. A decoded segment's data is a slice of the bytes it was decoded from,
    /// not a copy.
    public var payloadBytes: ArraySlice<UInt8>

    /// The options as values. Setting them stores their bytes (at most 40).
    public var options: [TCPOption] {
        get { optionBytes.options }
        set { optionBytes = TCPOptionBytes(newValue) }
    }

    /// The data as an array (a copy of `payloadBytes`).
    public var payload: [UInt8] {
        get { Array(payloadBytes) }
        set { payloadBytes = newValue[...] }
    }

    public init(sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: TCPSequence,
                acknowledgmentNumber: TCPSequence = TCPSequence(0), flags: TCPFlags, window: UInt16,
                urgentPointer: UInt16 = 0, options: [TCPOption] = [], payload: [UInt8] = [], reserved: UInt8 = 0) {
        self.init(sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: sequenceNumber,
                  acknowledgmentNumber: acknowledgmentNumber, flags: flags, window: window, urgentPointer: urgentPointer,
                  optionBytes: TCPOptionBytes(options), payloadBytes: payload[...], reserved: reserved)
    }

    /// A segment whose options are given as bytes and whose data is a slice: what the
    /// connection builds for every segment it sends, without allocating.
    public init(sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: TCPSequence,
                acknowledgmentNumber: TCPSequence, flags: TCPFlags, window: UInt16, urgentPointer: UInt16 = 0,
                optionBytes: TCPOptionBytes, payloadBytes: ArraySlice<UInt8>, reserved: UInt8 = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.reserved = reserved
        self.flags = flags
        self.window = window
        self.urgentPointer = urgentPointer
        self.optionBytes = optionBytes
        self.payloadBytes = payloadBytes
    }

    /// Sequence space the segment occupies: its data plus one for SYN and one for FIN
    /// (RFC 9293 §3.4, SEG.LEN).
    public var sequenceLength: Int {
        payloadBytes.count + (flags.contains(.syn) ? 1 : 0) + (flags.contains(.fin) ? 1 : 0)
    }

    /// Bytes of the options once padded to a multiple of four.
    public var paddedOptionsLength: Int { (optionBytes.count + 3) & ~3 }

    // MARK: Option accessors

    /// The MSS option's value, if present.
    public var maximumSegmentSize: UInt16? { optionBytes.maximumSegmentSize }

    /// The window-scale option's shift, if present.
    public var windowScale: UInt8? { optionBytes.windowScale }

    /// Whether the SACK-permitted option is present.
    public var isSACKPermitted: Bool { optionBytes.isSACKPermitted }

    /// The timestamps option's value and echo reply, if present.
    public var timestamps: (value: UInt32, echoReply: UInt32)? { optionBytes.timestamps }

    /// The blocks of the SACK option; empty when absent.
    public var sackBlocks: [TCPSACKBlock] { optionBytes.sackBlocks }

    // MARK: Encoding

    /// The segment's wire bytes, with the checksum over the pseudo-header of `source` →
    /// `destination`: one allocation, the header built on the stack and the data copied
    /// once.
    ///
    /// The array is reserved and appended to rather than made with
    /// `Array(unsafeUninitializedCapacity:)`: that initializer goes through the standard
    /// library's unspecialised buffer allocation, which looked up the array's generic
    /// metadata on every call (2 % of a bulk flow); the reserve path is specialised here.
    public func encode(source: IPAddress, destination: IPAddress) -> [UInt8] {
        let optionsLength = paddedOptionsLength
        let headerLength = Self.headerLength + optionsLength
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerLength + payloadBytes.count)
        // The closure sees only plain values: capturing `self` would copy the segment
        // (a retain and a release of its data).
        let (sourcePort, destinationPort, sequence, acknowledgment) = (sourcePort, destinationPort, sequenceNumber, acknowledgmentNumber)
        let (offsetAndReserved, flags, window, urgentPointer, optionBytes) = (UInt8(headerLength / 4) << 4 | reserved & 0x0F, flags,
                                                                              window, urgentPointer, optionBytes)
        withUnsafeTemporaryAllocation(byteCount: headerLength, alignment: 4) { raw in
            raw.storeBytes(of: sourcePort.bigEndian, toByteOffset: 0, as: UInt16.self)
            raw.storeBytes(of: destinationPort.bigEndian, toByteOffset: 2, as: UInt16.self)
            raw.storeBytes(of: sequence.value.bigEndian, toByteOffset: 4, as: UInt32.self)
            raw.storeBytes(of: acknowledgment.value.bigEndian, toByteOffset: 8, as: UInt32.self)
            raw[12] = offsetAndReserved
            raw[13] = flags.rawValue
            raw.storeBytes(of: window.bigEndian, toByteOffset: 14, as: UInt16.self)
            raw.storeBytes(of: UInt16(0), toByteOffset: 16, as: UInt16.self)
            raw.storeBytes(of: urgentPointer.bigEndian, toByteOffset: 18, as: UInt16.self)
            optionBytes.copyPadded(to: UnsafeMutableRawBufferPointer(rebasing: raw[Self.headerLength...]))
            bytes.append(contentsOf: UnsafeRawBufferPointer(raw))
        }
        // Through a pointer: `append(contentsOf:)` takes its argument owned, so passing the
        // slice would retain and release the array it comes from.
        payloadBytes.withUnsafeBytes { bytes.append(contentsOf: $0) }
        Self.writeChecksum(in: &bytes, source: source, destination: destination)
        return bytes
    }

    /// Computes and stores the checksum of the segment in `bytes` (at least a fixed header)
    /// for the pseudo-header of `source` → `destination`.
    public static func writeChecksum(in bytes: inout [UInt8], source: IPAddress, destination: IPAddress) {
        guard bytes.count >= headerLength else { return }
        bytes[16] = 0
        bytes[17] = 0
        let checksum = bytes.withUnsafeBytes { computeChecksum($0, source: source, destination: destination) }
        bytes[16] = UInt8(checksum >> 8)
        bytes[17] = UInt8(checksum & 0xFF)
    }

    /// The checksum the segment in `bytes` should carry, computed with its checksum field
    /// taken as zero.
    static func computeChecksum(_ bytes: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress) -> UInt16 {
        bytes.withUnsafeBytes { computeChecksum($0, source: source, destination: destination) }
    }

    /// `computeChecksum` over the segment in memory (at least a fixed header).
    static func computeChecksum(_ bytes: UnsafeRawBufferPointer, source: IPAddress, destination: IPAddress) -> UInt16 {
        var sum = InternetChecksum.pseudoHeaderSum(source: source, destination: destination,
                                                   protocolNumber: TransportKind.tcp.ipProtocolNumber, length: bytes.count)
        sum = InternetChecksum.add(sum, bytes)
        let stored = UInt32(bytes[16]) << 8 | UInt32(bytes[17])
        // Remove the stored checksum from the one's-complement sum (RFC 1624 arithmetic):
        // add its complement, a 16-bit word, folding the carry back in.
        var total = UInt64(sum) + UInt64(~stored & 0xFFFF)
        while total >> 32 != 0 { total = (total & 0xFFFF_FFFF) + (total >> 32) }
        sum = UInt32(total)
        return ~InternetChecksum.fold(sum)
    }

    // MARK: Decoding

    /// Decodes `bytes` received from `source` for `destination`, verifying the checksum.
    /// The segment's data is `bytes` itself, moved on (no second reference taken).
    public init(decoding bytes: consuming ArraySlice<UInt8>, source: IPAddress, destination: IPAddress) throws(TCPDecodeError) {
        let header = try Header(bytes)
        let found = UInt16(bytes[bytes.startIndex + 16]) << 8 | UInt16(bytes[bytes.startIndex + 17])
        let expected = Self.computeChecksum(bytes, source: source, destination: destination)
        // 0x0000 and 0xFFFF are the same number in one's complement.
        guard found == expected || (found | expected == 0xFFFF && found & expected == 0) else {
            throw .badChecksum(found: found, expected: expected)
        }
        self.init(header, data: bytes)
    }

    /// Decodes `bytes` without checking the checksum (for tools and traces that have no
    /// addresses).
    public init(decoding bytes: consuming ArraySlice<UInt8>) throws(TCPDecodeError) {
        self.init(try Header(bytes), data: bytes)
    }

    private init(_ header: Header, data: consuming ArraySlice<UInt8>) {
        data.removeFirst(header.dataOffset)
        self.init(sourcePort: header.sourcePort, destinationPort: header.destinationPort, sequenceNumber: header.sequenceNumber,
                  acknowledgmentNumber: header.acknowledgmentNumber, flags: header.flags, window: header.window,
                  urgentPointer: header.urgentPointer, optionBytes: header.optionBytes, payloadBytes: data,
                  reserved: header.reserved)
    }

    /// The header fields of a received segment, checked (RFC 9293 §3.1).
    private struct Header {
        var sourcePort, destinationPort, window, urgentPointer: UInt16
        var sequenceNumber, acknowledgmentNumber: TCPSequence
        var reserved: UInt8
        var flags: TCPFlags
        var optionBytes: TCPOptionBytes
        /// Bytes before the data.
        var dataOffset: Int

        /// Reads the header of `bytes` in place: slicing the received array would take a
        /// reference to it (a retain and a release) for every part.
        init(_ bytes: borrowing ArraySlice<UInt8>) throws(TCPDecodeError) {
            guard bytes.count >= TCPSegment.headerLength else { throw .truncatedHeader(length: bytes.count) }
            let b = bytes.startIndex
            let words = Int(bytes[b + 12] >> 4)
            guard words >= 5, words * 4 <= bytes.count else { throw .badDataOffset(words: words, length: bytes.count) }
            dataOffset = words * 4
            reserved = bytes[b + 12] & 0x0F
            flags = TCPFlags(rawValue: bytes[b + 13])
            let fields = bytes.withUnsafeBytes { raw in
                (raw.loadUnaligned(fromByteOffset: 0, as: UInt16.self).bigEndian,
                 raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self).bigEndian,
                 raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian,
                 raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).bigEndian,
                 raw.loadUnaligned(fromByteOffset: 14, as: UInt16.self).bigEndian,
                 raw.loadUnaligned(fromByteOffset: 18, as: UInt16.self).bigEndian,
                 Result { () throws(TCPDecodeError) in
                     try TCPOptionBytes(validating: UnsafeRawBufferPointer(rebasing: raw[TCPSegment.headerLength..<words * 4]))
                 })
            }
            (sourcePort, destinationPort) = (fields.0, fields.1)
            (sequenceNumber, acknowledgmentNumber) = (TCPSequence(fields.2), TCPSequence(fields.3))
            (window, urgentPointer) = (fields.4, fields.5)
            optionBytes = try fields.6.get()
        }
    }
}
