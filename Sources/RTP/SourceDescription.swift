/// An RTCP source description (RFC 3550 §6.5, PT 202): per source a list of items such
/// as the CNAME that ties a participant's SSRCs together.
public struct SourceDescription: Hashable, Sendable {
    static let packetType: UInt8 = 202
    /// Item type of the canonical name (RFC 3550 §6.5.1).
    public static let cname: UInt8 = 1

    /// One SDES item: a type (1-255) and up to 255 bytes of text.
    public struct Item: Hashable, Sendable {
        public var type: UInt8
        public var value: [UInt8]
        public init(type: UInt8, value: [UInt8]) { self.type = type; self.value = value }
    }

    /// The items of one source.
    public struct Chunk: Hashable, Sendable {
        public var ssrc: UInt32
        public var items: [Item]
        public init(ssrc: UInt32, items: [Item]) { self.ssrc = ssrc; self.items = items }
    }

    /// At most 31 chunks.
    public var chunks: [Chunk]

    public init(chunks: [Chunk]) { self.chunks = chunks }

    /// A description with one chunk carrying `cname`.
    public init(ssrc: UInt32, cname: String) {
        chunks = [Chunk(ssrc: ssrc, items: [Item(type: Self.cname, value: Array(cname.utf8.prefix(255)))])]
    }

    func encode(into out: inout [UInt8]) {
        RTCPHeader.append(into: &out, count: UInt8(chunks.count), packetType: Self.packetType) { out in
            for chunk in chunks {
                out.appendUInt32(chunk.ssrc)
                for item in chunk.items {
                    precondition(item.type != 0 && item.value.count <= 255, "SDES item out of range")
                    out.append(item.type)
                    out.append(UInt8(item.value.count))
                    out.append(contentsOf: item.value)
                }
                // The list ends with a null item, then zeros up to a word boundary.
                out.append(0)
                out.padToWord()
            }
        }
    }

    init(_ header: RTCPHeader) throws(RTPError) {
        var reader = ByteReader(header.body)
        var chunks: [Chunk] = []
        for _ in 0..<header.count {
            let chunkStart = reader.offset
            let ssrc = try reader.uint32()
            var items: [Item] = []
            while true {
                let type = try reader.uint8()
                if type == 0 { break }
                let length = Int(try reader.uint8())
                items.append(Item(type: type, value: Array(try reader.read(length))))
            }
            try reader.skip((4 - (reader.offset - chunkStart) % 4) % 4)
            chunks.append(Chunk(ssrc: ssrc, items: items))
        }
        self.chunks = chunks
    }
}

/// An RTCP goodbye (RFC 3550 §6.6, PT 203): sources leaving, with an optional reason.
public struct Goodbye: Hashable, Sendable {
    static let packetType: UInt8 = 203

    /// At most 31 sources.
    public var ssrcs: [UInt32]
    /// Up to 255 bytes of reason text.
    public var reason: [UInt8]?

    public init(ssrcs: [UInt32], reason: String? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason.map { Array($0.utf8.prefix(255)) }
    }

    func encode(into out: inout [UInt8]) {
        RTCPHeader.append(into: &out, count: UInt8(ssrcs.count), packetType: Self.packetType) { out in
            for ssrc in ssrcs { out.appendUInt32(ssrc) }
            if let reason {
                out.append(UInt8(reason.count))
                out.append(contentsOf: reason)
                out.padToWord()
            }
        }
    }

    init(_ header: RTCPHeader) throws(RTPError) {
        var reader = ByteReader(header.body)
        var ssrcs: [UInt32] = []
        for _ in 0..<header.count { ssrcs.append(try reader.uint32()) }
        self.ssrcs = ssrcs
        reason = reader.remaining > 0 ? Array(try reader.read(Int(try reader.uint8()))) : nil
    }
}
