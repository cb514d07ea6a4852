/// An RTP codec as offered or answered: `rtpmap`, `fmtp` and `rtcp-fb` lines of one payload type.
///
/// Offer/answer negotiates in this unit; `matches(_:)` decides whether two descriptions
/// name the same codec configuration regardless of payload type numbers.
public struct Codec: Hashable, Sendable {
    public var payloadType: UInt8
    /// The encoding name, e.g. `opus`, `VP8`, `H264`, `rtx`.
    public var name: String
    public var clockRate: UInt32
    /// The channel count (audio); `nil` means 1.
    public var channels: UInt16?
    /// The `fmtp` parameter text, if any.
    public var parameters: String?
    /// Supported RTCP feedback, e.g. `nack`, `nack pli`, `transport-cc`.
    public var feedback: [String]

    public init(payloadType: UInt8, name: String, clockRate: UInt32, channels: UInt16? = nil,
                parameters: String? = nil, feedback: [String] = []) {
        self.payloadType = payloadType
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.parameters = parameters
        self.feedback = feedback
    }

    /// Whether this is an RTX retransmission format (RFC 4588), bound to a codec by `apt`.
    public var isRetransmission: Bool { name.lowercased() == "rtx" }

    /// The `apt` parameter of an RTX format: the payload type it retransmits.
    public var associatedPayloadType: UInt8? {
        formatParameters?.parameter("apt").flatMap { UInt8(digits: $0) }
    }

    var formatParameters: FormatParameters? {
        parameters.map { FormatParameters(format: String(payloadType), text: $0) }
    }

    /// Whether `other` is the same codec configuration: same name (any case), clock rate,
    /// channel count, and the `fmtp` parameters that make configurations incompatible.
    public func matches(_ other: Codec) -> Bool {
        name.lowercased() == other.name.lowercased() && clockRate == other.clockRate
            && (channels ?? 1) == (other.channels ?? 1) && identifyingParameters == other.identifyingParameters
    }

    /// H.264 packetization mode and profile (RFC 6184 8.1, defaults `0` and `42 00`),
    /// VP9 `profile-id` and AV1 `profile` (default 0); nothing for other codecs.
    var identifyingParameters: [String] {
        let fmtp = formatParameters
        switch name.lowercased() {
        case "h264":
            let profileLevel = fmtp?.parameter("profile-level-id") ?? "420010"
            return [fmtp?.parameter("packetization-mode") ?? "0", String(profileLevel.lowercased().prefix(4))]
        case "vp9": return [fmtp?.parameter("profile-id") ?? "0"]
        case "av1": return [fmtp?.parameter("profile") ?? "0"]
        default: return []
        }
    }
}

extension Codec {
    /// Opus as RFC 7587 §7 writes it in SDP — `opus/48000/2` whatever the channels sent —
    /// with payload type 111, as browsers number it; `parameters` (`fmtp`) and `feedback`
    /// are what the side offers or accepts.
    public static func opus(parameters: String? = nil, feedback: [String] = []) -> Codec {
        Codec(payloadType: 111, name: "opus", clockRate: 48_000, channels: 2, parameters: parameters, feedback: feedback)
    }
}
