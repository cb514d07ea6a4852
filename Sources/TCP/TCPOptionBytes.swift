/// The options of a TCP header as their wire bytes, at most 40, held inline.
///
/// A segment keeps its options in this form, so that decoding a header and building one
/// allocate nothing: the fields the core reads per segment (timestamps, SACK blocks)
/// are found by walking the bytes, and encoding copies them as they are. `options`
/// gives the list as `TCPOption` values. Bytes after an end-of-option-list are not
/// kept (RFC 9293 §3.1: the padding after it is zero on the wire).
public struct TCPOptionBytes: Hashable, Sendable {
    /// The most option bytes a header can carry (data offset of 15 words).
    public static let capacity = 40

    /// The bytes, eight to a word, the first in the low byte; zero beyond `count`.
    private var words = Words()
    /// Bytes held.
    public private(set) var count = 0

    private struct Words: Hashable, Sendable {
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0, w4: UInt64 = 0

        subscript(index: Int) -> UInt64 {
            get {
                switch index {
                case 0: return w0
                case 1: return w1
                case 2: return w2
                case 3: return w3
                default: return w4
                }
            }
            set {
                switch index {
                case 0: w0 = newValue
                case 1: w1 = newValue
                case 2: w2 = newValue
                case 3: w3 = newValue
                default: w4 = newValue
                }
            }
        }
    }

    /// No options.
    public init() {}

    /// The bytes of `options`, in order. They must fit in 40 bytes (the core never
    /// builds more).
    public init(_ options: [TCPOption]) {
        for option in options { append(option) }
    }

    /// Takes the option list of a header (the bytes between the fixed header and the
    /// data offset), checking every option's length (RFC 9293 §3.1-3.2); stops after an
    /// end-of-option-list.
    public init(validating bytes: ArraySlice<UInt8>) throws(TCPDecodeError) {
        self = try bytes.withUnsafeBytes { raw in Result { () throws(TCPDecodeError) in try TCPOptionBytes(validating: raw) } }.get()
    }

    /// `init(validating:)` on the bytes in place (the segment decoder's path: no slice of
    /// the received array is made, so no reference to it is taken).
    init(validating bytes: UnsafeRawBufferPointer) throws(TCPDecodeError) {
        var i = 0
        while i < bytes.count {
            let kind = bytes[i]
            if kind == 0 { i += 1; break }
            if kind == 1 { i += 1; continue }
            guard i + 1 < bytes.count else { throw .badOptionLength(kind: kind, length: 0) }
            let length = Int(bytes[i + 1])
            guard length >= 2, i + length <= bytes.count else { throw .badOptionLength(kind: kind, length: length) }
            try TCPOption.validate(kind: kind, bodyLength: length - 2)
            i += length
        }
        // At most 40 bytes (the data offset's limit): loaded into the words at once.
        precondition(i <= Self.capacity, "TCP options exceed 40 bytes")
        withUnsafeMutableBytes(of: &words) { raw in raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[..<i])) }
        count = i
        #if _endian(big)
        (words.w0, words.w1, words.w2, words.w3, words.w4) = (words.w0.byteSwapped, words.w1.byteSwapped, words.w2.byteSwapped,
                                                              words.w3.byteSwapped, words.w4.byteSwapped)
        #endif
    }

    /// The options of a segment that carries only timestamps, laid out as RFC 7323
    /// Appendix A recommends (two no-operations, then the option, so that the values are
    /// 4-byte aligned): the layout of nearly every segment of a connection, built in
    /// two word stores and read back by `timestamps` without walking the list.
    public static func alignedTimestamps(value: UInt32, echoReply: UInt32) -> TCPOptionBytes {
        var options = TCPOptionBytes()
        options.words.w0 = Self.alignedTimestampsPrefix | UInt64(value.byteSwapped) << 32
        options.words.w1 = UInt64(echoReply.byteSwapped)
        options.count = 12
        return options
    }

    /// NOP, NOP, kind 8, length 10: the first four bytes of `alignedTimestamps`, as the
    /// low half of the first word.
    private static let alignedTimestampsPrefix: UInt64 = 0x0A08_0101

    /// The options as values.
    public var options: [TCPOption] {
        var options: [TCPOption] = []
        forEachOption { kind, body in
            switch kind {
            case 0: options.append(.endOfOptionList)
            case 1: options.append(.noOperation)
            // Validated when stored, so decoding cannot fail.
            default: if let option = try? TCPOption.decode(kind: kind, body: body) { options.append(option) }
            }
            return true
        }
        return options
    }

    /// The byte at `index` (below `count`).
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "option byte index out of range")
        return byte(index)
    }

    private func byte(_ index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: words[index >> 3] >> UInt64((index & 7) * 8))
    }

    /// The bytes held, as an array.
    public var bytes: [UInt8] { (0..<count).map(byte) }

    /// Fills `buffer` with the bytes held followed by zeros: the options field of a
    /// header with its padding (RFC 9293 §3.1). `buffer` holds `count` bytes rounded up
    /// to a multiple of four; written a word at a time (the words are zero past `count`).
    func copyPadded(to buffer: UnsafeMutableRawBufferPointer) {
        var i = 0
        while i + 8 <= buffer.count {
            buffer.storeBytes(of: words[i >> 3].littleEndian, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        if i < buffer.count {
            buffer.storeBytes(of: UInt32(truncatingIfNeeded: words[i >> 3]).littleEndian, toByteOffset: i, as: UInt32.self)
        }
    }

    // MARK: Building

    /// Appends one byte.
    mutating func append(_ byte: UInt8) {
        precondition(count < Self.capacity, "TCP options exceed 40 bytes")
        words[count >> 3] |= UInt64(byte) << UInt64((count & 7) * 8)
        count += 1
    }

    /// Appends the bytes of `option`.
    public mutating func append(_ option: TCPOption) {
        option.write(into: &self)
    }

    // MARK: Reading

    /// Walks the options: `body` gets each option's kind and its data (empty for
    /// end-of-option-list and no-operation) and returns false to stop.
    func forEachOption(_ body: (UInt8, ArraySlice<UInt8>) -> Bool) {
        var i = 0
        while i < count {
            let kind = byte(i)
            guard kind > 1 else {
                guard body(kind, []) else { return }
                i += 1
                continue
            }
            guard let length = length(at: i), body(kind, ArraySlice((i + 2..<i + length).map(byte))) else { return }
            i += length
        }
    }

    /// The offset of the data of the first option of `kind` and its length, if present.
    func find(_ kind: UInt8) -> (offset: Int, length: Int)? {
        var i = 0
        while i < count {
            let found = byte(i)
            if found <= 1 { i += 1; continue }
            guard let length = length(at: i) else { return nil }
            if found == kind { return (i + 2, length - 2) }
            i += length
        }
        return nil
    }

    /// The length of the option at `i` (a kind above 1), nil when it does not fit (only
    /// options built from values can be so, e.g. an oversized unknown one).
    private func length(at i: Int) -> Int? {
        guard i + 1 < count else { return nil }
        let length = Int(byte(i + 1))
        return length >= 2 && i + length <= count ? length : nil
    }

    /// The big-endian 32-bit word at `offset`.
    func read32(at offset: Int) -> UInt32 {
        UInt32(byte(offset)) << 24 | UInt32(byte(offset + 1)) << 16 | UInt32(byte(offset + 2)) << 8 | UInt32(byte(offset + 3))
    }

    /// The MSS option's value, if present.
    public var maximumSegmentSize: UInt16? {
        guard let (offset, length) = find(2), length == 2 else { return nil }
        return UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// The window-scale option's shift, if present.
    public var windowScale: UInt8? {
        guard let (offset, length) = find(3), length == 1 else { return nil }
        return self[offset]
    }

    /// Whether the SACK-permitted option is present.
    public var isSACKPermitted: Bool { find(4) != nil }

    /// The timestamps option's value and echo reply, if present.
    public var timestamps: (value: UInt32, echoReply: UInt32)? {
        if count >= 12 && words.w0 & 0xFFFF_FFFF == Self.alignedTimestampsPrefix {
            return (UInt32(truncatingIfNeeded: words.w0 >> 32).byteSwapped, UInt32(truncatingIfNeeded: words.w1).byteSwapped)
        }
        guard let (offset, length) = find(8), length == 8 else { return nil }
        return (read32(at: offset), read32(at: offset + 4))
    }

    /// The blocks of the SACK option; empty when absent.
    public var sackBlocks: [TCPSACKBlock] {
        var blocks: [TCPSACKBlock] = []
        forEachSACKBlock { blocks.append($0) }
        return blocks
    }

    /// Calls `body` with each block of the SACK option, in order (none when absent),
    /// without building an array: what the sender does with every ACK in recovery.
    public func forEachSACKBlock(_ body: (TCPSACKBlock) -> Void) {
        guard let (offset, length) = find(5), length % 8 == 0 else { return }
        for block in stride(from: offset, to: offset + length, by: 8) {
            body(TCPSACKBlock(start: TCPSequence(read32(at: block)), end: TCPSequence(read32(at: block + 4))))
        }
    }

    // MARK: Hashable

    public static func == (a: TCPOptionBytes, b: TCPOptionBytes) -> Bool {
        a.count == b.count && a.words == b.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(words)
    }
}
