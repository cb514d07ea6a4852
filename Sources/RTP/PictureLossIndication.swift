/// Picture Loss Indication (RFC 4585 §6.3.1; PSFB PT 206, FMT 1): the receiver of
/// `mediaSSRC` lost picture data and asks the sender for a key frame. No FCI.
public struct PictureLossIndication: Hashable, Sendable {
    static let packetType: UInt8 = 206
    static let format: UInt8 = 1

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32

    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    func encode(into out: inout [UInt8]) {
        FeedbackMessageHeader.append(into: &out, format: Self.format, packetType: Self.packetType, senderSSRC: senderSSRC,
                                     mediaSSRC: mediaSSRC) { _ in }
    }

    init(_ header: RTCPHeader) throws(RTPError) {
        let (sender, media, reader) = try FeedbackMessageHeader.read(header)
        senderSSRC = sender
        mediaSSRC = media
        // RFC 4585 §6.3.1.2: "PLI does not require parameters"; anything more is an error.
        guard reader.remaining == 0 else { throw .invalidFeedbackMessage("PLI carries no FCI, found \(reader.remaining) bytes") }
    }
}
