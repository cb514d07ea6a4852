/// Full Intra Request (RFC 5104 §4.3.1; PSFB PT 206, FMT 4): a request for a decoder
/// refresh point (a key frame) from each media sender named in the FCI entries. Each
/// entry carries a command sequence number that the requester increments per new
/// request, so that a sender can tell repetitions from new requests (§4.3.1.1).
public struct FullIntraRequest: Hashable, Sendable {
    static let packetType: UInt8 = 206
    static let format: UInt8 = 4

    /// One FCI entry: the media sender asked for a key frame and the request's number.
    public struct Entry: Hashable, Sendable {
        public var ssrc: UInt32
        public var sequenceNumber: UInt8

        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    public var senderSSRC: UInt32
    /// RFC 5104 §4.3.1.2: the media source field is unused and SHALL be 0 (the
    /// entries name the senders); kept as read so that a packet re-encodes exactly.
    public var mediaSSRC: UInt32
    public var entries: [Entry]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    func encode(into out: inout [UInt8]) {
        FeedbackMessageHeader.append(into: &out, format: Self.format, packetType: Self.packetType, senderSSRC: senderSSRC,
                                     mediaSSRC: mediaSSRC) { out in
            for entry in entries {
                out.appendUInt32(entry.ssrc)
                out.append(entry.sequenceNumber)
                out.append(contentsOf: [0, 0, 0])
            }
        }
    }

    init(_ header: RTCPHeader) throws(RTPError) {
        let (sender, media, fci) = try FeedbackMessageHeader.read(header)
        var reader = fci
        senderSSRC = sender
        mediaSSRC = media
        guard reader.remaining >= 8, reader.remaining % 8 == 0 else {
            throw .invalidFeedbackMessage("FIR needs one or more 8-byte FCI entries, found \(reader.remaining) bytes")
        }
        var entries: [Entry] = []
        while reader.remaining > 0 {
            let ssrc = try reader.uint32()
            let sequence = try reader.uint8()
            // The reserved bits are sent as 0 and ignored on receipt (§4.3.1.1).
            try reader.skip(3)
            entries.append(Entry(ssrc: ssrc, sequenceNumber: sequence))
        }
        self.entries = entries
    }
}
