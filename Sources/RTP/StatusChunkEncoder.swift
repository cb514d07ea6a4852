/// Packs 2-bit status symbols into the packet status chunks of transport-wide feedback
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.3-§3.1.4), with the same
/// choices as libwebrtc's `TransportFeedback::LastChunk` so that byte layouts match:
/// a run-length chunk while all symbols are equal, a 1-bit vector of 14 symbols when no
/// large delta occurs, otherwise 2-bit vectors of 7.
struct StatusChunkEncoder {
    /// Symbols per 2-bit status vector chunk.
    static let twoBitCapacity = 7
    /// Symbols per 1-bit status vector chunk.
    static let oneBitCapacity = 14
    /// Longest run of a run-length chunk (13 bits).
    static let runLengthCapacity = 0x1FFF

    private var symbols: [UInt8] = []
    private var allSame = true
    private var hasLarge = false

    private func canAdd(_ symbol: UInt8) -> Bool {
        if symbols.count < Self.twoBitCapacity { return true }
        if symbols.count < Self.oneBitCapacity && !hasLarge && symbol != 2 { return true }
        return symbols.count < Self.runLengthCapacity && allSame && symbols[0] == symbol
    }

    mutating func add(_ symbol: UInt8, into out: inout [UInt8]) {
        if !canAdd(symbol) { emit(into: &out) }
        allSame = allSame && (symbols.isEmpty || symbols[0] == symbol)
        hasLarge = hasLarge || symbol == 2
        symbols.append(symbol)
    }

    /// Writes whatever is buffered as the final chunk.
    mutating func finish(into out: inout [UInt8]) {
        guard !symbols.isEmpty else { return }
        if allSame { out.appendUInt16(runLength()) }
        else if symbols.count <= Self.twoBitCapacity { out.appendUInt16(twoBitVector(symbols.count)) }
        else { out.appendUInt16(oneBitVector()) }
        symbols.removeAll()
    }

    private mutating func emit(into out: inout [UInt8]) {
        if allSame {
            out.appendUInt16(runLength())
            symbols.removeAll()
        } else if symbols.count == Self.oneBitCapacity {
            out.appendUInt16(oneBitVector())
            symbols.removeAll()
        } else {
            out.appendUInt16(twoBitVector(Self.twoBitCapacity))
            symbols.removeFirst(Self.twoBitCapacity)
        }
        allSame = symbols.allSatisfy { $0 == symbols[0] }
        hasLarge = symbols.contains(2)
    }

    private func runLength() -> UInt16 { UInt16(symbols[0]) << 13 | UInt16(symbols.count) }

    private func oneBitVector() -> UInt16 {
        var chunk: UInt16 = 0x8000
        for (i, s) in symbols.enumerated() where s != 0 { chunk |= 1 << (13 - i) }
        return chunk
    }

    private func twoBitVector(_ count: Int) -> UInt16 {
        var chunk: UInt16 = 0xC000
        for i in 0..<count { chunk |= UInt16(symbols[i]) << (12 - 2 * i) }
        return chunk
    }

    /// Appends the symbols of `chunk`, at most `wanting` of them (the last chunk of a
    /// packet may describe more than the status count).
    static func decode(_ chunk: UInt16, wanting: Int, into symbols: inout [UInt8]) {
        if chunk & 0x8000 == 0 {
            let symbol = UInt8(chunk >> 13 & 0x3)
            symbols.append(contentsOf: repeatElement(symbol, count: min(Int(chunk & 0x1FFF), wanting)))
        } else if chunk & 0x4000 == 0 {
            for i in 0..<min(oneBitCapacity, wanting) { symbols.append(UInt8(chunk >> (13 - i) & 1)) }
        } else {
            for i in 0..<min(twoBitCapacity, wanting) { symbols.append(UInt8(chunk >> (12 - 2 * i) & 3)) }
        }
    }
}
