/// A TURN ChannelData message (RFC 8656 §12.4): a 4-byte header (channel number,
/// length) and the application data; over stream transports padded to a multiple of 4.
public struct ChannelData: Hashable, Sendable {
    /// 0x4000-0x4FFF.
    public var channelNumber: UInt16
    public var data: [UInt8]

    public init(channelNumber: UInt16, data: [UInt8]) {
        self.channelNumber = channelNumber
        self.data = data
    }

    /// Channel numbers a client may bind.
    public static let validChannelNumbers: ClosedRange<UInt16> = 0x4000...0x4FFF
    /// The wider range of RFC 5766 (0x4000-0x7FFF), which older clients (coturn's
    /// `turnutils_uclient`) still use; RFC 8656 reserved 0x5000-0x7FFF.
    public static let rfc5766ChannelNumbers: ClosedRange<UInt16> = 0x4000...0x7FFF

    /// The wire bytes; `stream` pads to a multiple of 4 with zeros (TCP/TLS only, RFC 8656
    /// §12.5: UDP datagrams need no padding).
    public func encoded(stream: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + data.count + 3)
        out.appendUInt16(channelNumber)
        out.appendUInt16(UInt16(truncatingIfNeeded: data.count))
        out.append(contentsOf: data)
        if stream { out.padToFour(with: 0) }
        return out
    }

    /// Decodes the ChannelData message at the start of `bytes`; returns it and the number
    /// of bytes it occupies (with padding when `stream`). Over UDP, trailing padding is
    /// allowed and ignored. `numbers` is the accepted channel number range.
    public static func decode(_ bytes: [UInt8], stream: Bool, numbers: ClosedRange<UInt16> = validChannelNumbers)
        throws(ChannelDataDecodeError) -> (ChannelData, consumed: Int) {
        guard bytes.count >= 4 else { throw .truncatedHeader(available: bytes.count) }
        let number = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        guard numbers.contains(number) else { throw .invalidChannelNumber(number) }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        let consumed = 4 + (stream ? paddedToFour(length) : length)
        guard consumed <= bytes.count else { throw .truncatedData(declared: length, available: bytes.count - 4) }
        return (ChannelData(channelNumber: number, data: Array(bytes[4..<4 + length])), consumed)
    }
}

/// Why bytes are not a ChannelData message.
public enum ChannelDataDecodeError: Error, Hashable, Sendable {
    case truncatedHeader(available: Int)
    /// Outside the accepted range (0x4000-0x4FFF by default).
    case invalidChannelNumber(UInt16)
    /// The length field (plus padding on streams) exceeds the bytes available.
    case truncatedData(declared: Int, available: Int)
}
