/// The Video Frame Marking RTP header extension, short form for non-scalable streams
/// (RFC 9626 §3.1): one byte `S E I D 0 0 0 0` — start of frame, end of frame,
/// independent (decodable without earlier frames: a key frame) and discardable.
public struct FrameMarking: Hashable, Sendable {
    public var startOfFrame: Bool
    public var endOfFrame: Bool
    public var independent: Bool
    public var discardable: Bool

    public init(startOfFrame: Bool, endOfFrame: Bool, independent: Bool, discardable: Bool = false) {
        self.startOfFrame = startOfFrame
        self.endOfFrame = endOfFrame
        self.independent = independent
        self.discardable = discardable
    }

    /// The extension element's data.
    public var data: [UInt8] {
        [(startOfFrame ? 0x80 : 0) | (endOfFrame ? 0x40 : 0) | (independent ? 0x20 : 0) | (discardable ? 0x10 : 0)]
    }

    /// The marking in extension data; nil unless it is the one-byte short form (the
    /// three-byte form of scalable streams, §3.2, carries layer fields icelab does not use).
    public init?(data: [UInt8]) {
        guard data.count == 1 else { return nil }
        let byte = data[0]
        self.init(startOfFrame: byte & 0x80 != 0, endOfFrame: byte & 0x40 != 0, independent: byte & 0x20 != 0,
                  discardable: byte & 0x10 != 0)
    }
}
