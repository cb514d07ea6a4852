import NetTypes
import RTP

/// Splits encoded frames into RTP packets of at most `maxPacketSize` bytes (header and
/// extensions included) of nearly equal size, marker bit on the last packet of a frame.
/// Every packet carries abs-send-time and transport-wide sequence number extensions,
/// zero until the sender stamps them as the packet leaves the pacer. Sequence numbers
/// are assigned at that point too. With `frameMarkingID`, video packets also carry frame
/// marking (RFC 9626 §3.1): start and end of frame, and whether it is a key frame.
struct Packetizer: Sendable {
    let ssrc: UInt32
    let payloadType: UInt8
    let clockRate: Int
    let maxPayload: Int
    let extensions: RTPHeaderExtensions
    let frameMarkingID: UInt8?
    private let timestampOffset: UInt32

    init(ssrc: UInt32, payloadType: UInt8, clockRate: Int, maxPacketSize: Int, stream: RTPStreamConfiguration, timestampOffset: UInt32,
         frameMarking: Bool = false) {
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.timestampOffset = timestampOffset
        frameMarkingID = frameMarking ? stream.frameMarkingID : nil
        var extensions = RTPHeaderExtensions(form: .oneByte, elements: [
            .init(id: stream.absoluteSendTimeID, data: [0, 0, 0]),
            .init(id: stream.transportSequenceNumberID, data: [0, 0]),
        ])
        if let frameMarkingID { extensions[frameMarkingID] = [0] }
        self.extensions = extensions
        maxPayload = maxPacketSize - 12 - extensions.encodedSize
        precondition(maxPayload > 0, "maximum packet size leaves no room for payload")
    }

    /// The RTP timestamp of media captured at `time` (random initial offset, RFC 3550 §5.1).
    func timestamp(at time: Instant) -> UInt32 {
        RTPClock.ticks(time, clockRate: clockRate) &+ timestampOffset
    }

    /// The packets of a frame of `bytes` captured at `time`.
    func packetize(bytes: Int, capturedAt time: Instant, isKeyFrame: Bool = false) -> [RTPPacket] {
        let count = (bytes + maxPayload - 1) / maxPayload
        let timestamp = timestamp(at: time)
        return (0..<count).map { i in
            let size = bytes / count + (i < bytes % count ? 1 : 0)
            var extensions = extensions
            if let frameMarkingID {
                extensions[frameMarkingID] = FrameMarking(startOfFrame: i == 0, endOfFrame: i == count - 1, independent: isKeyFrame).data
            }
            return RTPPacket(marker: i == count - 1, payloadType: payloadType, sequenceNumber: 0, timestamp: timestamp, ssrc: ssrc,
                             extensions: extensions, payload: [UInt8](repeating: 0, count: size))
        }
    }

    /// A padding-only packet of about `bytes` (at most 255 bytes of padding).
    func padding(bytes: Int, at time: Instant) -> RTPPacket {
        let header = 12 + extensions.encodedSize
        let paddingLength = UInt8(min(max(bytes - header, 1), 255))
        return RTPPacket(payloadType: payloadType, sequenceNumber: 0, timestamp: timestamp(at: time), ssrc: ssrc,
                         extensions: extensions, paddingLength: paddingLength)
    }

    /// The largest padding-only packet.
    var maxPaddingPacketSize: Int { 12 + extensions.encodedSize + 255 }
}
