/// Generic NACK (RFC 4585 §6.2.1; RTPFB PT 205, FMT 1): the receiver of media source
/// `mediaSSRC` asks for retransmission of lost packets. Each FCI item names one lost
/// packet (PID) and, in the bitmask of following lost packets (BLP), which of the next
/// 16 are lost too: bit i (least significant first) stands for PID + i + 1.
public struct GenericNACK: Hashable, Sendable {
    static let packetType: UInt8 = 205
    static let format: UInt8 = 1

    /// One FCI entry: a packet id and the bitmask of the 16 packets after it.
    public struct Item: Hashable, Sendable {
        public var packetID: UInt16
        public var bitmask: UInt16

        public init(packetID: UInt16, bitmask: UInt16) {
            self.packetID = packetID
            self.bitmask = bitmask
        }
    }

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    /// At least one item (RFC 4585 §6.2.1: the FCI holds one or more entries).
    public var items: [Item]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, items: [Item]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.items = items
    }

    /// A NACK for `lost` (in order of sending, across the 16-bit wrap): each item covers
    /// a packet and those lost among the 16 after it, as libwebrtc packs them.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, lost: [UInt16]) {
        var items: [Item] = []
        for sequence in lost {
            if var last = items.last {
                let distance = sequence &- last.packetID
                if (1...16).contains(distance) {
                    last.bitmask |= 1 << (distance - 1)
                    items[items.count - 1] = last
                    continue
                }
            }
            items.append(Item(packetID: sequence, bitmask: 0))
        }
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, items: items)
    }

    /// Every sequence number the items name, in item order.
    public var lostSequenceNumbers: [UInt16] {
        items.flatMap { item in
            [item.packetID] + (0..<16).filter { item.bitmask & (1 << $0) != 0 }.map { item.packetID &+ UInt16($0) &+ 1 }
        }
    }

    func encode(into out: inout [UInt8]) {
        FeedbackMessageHeader.append(into: &out, format: Self.format, packetType: Self.packetType, senderSSRC: senderSSRC,
                                     mediaSSRC: mediaSSRC) { out in
            for item in items {
                out.appendUInt16(item.packetID)
                out.appendUInt16(item.bitmask)
            }
        }
    }

    init(_ header: RTCPHeader) throws(RTPError) {
        let (sender, media, fci) = try FeedbackMessageHeader.read(header)
        var reader = fci
        senderSSRC = sender
        mediaSSRC = media
        guard reader.remaining >= 4, reader.remaining % 4 == 0 else {
            throw .invalidFeedbackMessage("generic NACK needs one or more 4-byte FCI entries, found \(reader.remaining) bytes")
        }
        var items: [Item] = []
        while reader.remaining > 0 { items.append(Item(packetID: try reader.uint16(), bitmask: try reader.uint16())) }
        self.items = items
    }
}
