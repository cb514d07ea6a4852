/// `a=rtpmap` (RFC 8866 6.6): what a dynamic payload type means, e.g. `111 opus/48000/2`.
public struct RTPMap: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "rtpmap"

    /// The RTP payload type, 0 to 127.
    public var payloadType: UInt8
    /// The encoding name, e.g. `opus`, `VP8`, `H264`, `rtx`.
    public var encodingName: String
    /// The RTP clock rate in Hz.
    public var clockRate: UInt32
    /// Encoding parameters: the channel count for audio.
    public var channels: UInt16?

    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: UInt16? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        let fields = value.fields
        guard fields.count == 2, let pt = UInt8(digits: fields[0]), pt < 128 else {
            throw Self.bad(value, "expected '<payload type 0-127> <encoding>/<clock rate>[/<channels>]'")
        }
        let parts = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), !parts[0].isEmpty, let rate = UInt32(digits: parts[1]) else {
            throw Self.bad(value, "expected '<encoding>/<clock rate>[/<channels>]'")
        }
        var channels: UInt16?
        if parts.count == 3 {
            guard let count = UInt16(digits: parts[2]) else { throw Self.bad(value, "channel count must be a number") }
            channels = count
        }
        self.init(payloadType: pt, encodingName: String(parts[0]), clockRate: rate, channels: channels)
    }

    public var attributeValue: String {
        "\(payloadType) \(encodingName)/\(clockRate)" + (channels.map { "/\($0)" } ?? "")
    }
}
