/// What sender and receiver agree on out of band (in SDP: `a=extmap`, `a=rtpmap`): the
/// header extension ids and payload types of the synthetic streams.
public struct RTPStreamConfiguration: Sendable, Equatable {
    /// Id of the abs-send-time extension (one-byte form).
    public var absoluteSendTimeID: UInt8 = 2
    /// Id of the transport-wide sequence number extension (one-byte form).
    public var transportSequenceNumberID: UInt8 = 3
    /// Id of the frame marking extension (one-byte form, RFC 9626), sent when the call
    /// has loss recovery.
    public var frameMarkingID: UInt8 = 4
    /// Dynamic payload type of video retransmissions (RFC 4588 `rtx`, `apt` = video).
    public var rtxPayloadType: UInt8 = 97
    /// Dynamic payload type of the video's FlexFEC repair stream (RFC 8627 `flexfec`,
    /// 90 kHz; browsers announce it as `flexfec-03`).
    public var flexfecPayloadType: UInt8 = 98
    /// Dynamic payload type of video (90 kHz RTP clock).
    public var videoPayloadType: UInt8 = 96
    /// Dynamic payload type of audio (48 kHz RTP clock, as Opus).
    public var audioPayloadType: UInt8 = 111

    public init() {}

    /// RTP clock rate of a payload type (RFC 3551 video 90 kHz; RFC 7587 Opus 48 kHz).
    public func clockRate(of payloadType: UInt8) -> Int { payloadType == audioPayloadType ? 48_000 : 90_000 }
}
