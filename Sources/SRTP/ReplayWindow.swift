/// Replay protection for one SSRC (RFC 3711 §3.3.2): the highest index received and a
/// bitmap of which of the `size` indices up to it were received. The bitmap is a ring
/// (index i at bit i mod size), so advancing clears only the bits it passes.
struct ReplayWindow {
    /// What a received index is to the window.
    enum Verdict: Equatable {
        /// Ahead of the window, or inside it and not yet received.
        case fresh
        /// Inside the window and already received.
        case replayed
        /// Behind the window: too old to tell.
        case tooOld
    }

    private(set) var highest: UInt64
    private var bits: [UInt64]
    private let size: UInt64

    /// A window whose first accepted index is `first`; `size` is a multiple of 64.
    init(size: Int, first: UInt64) {
        self.size = UInt64(size)
        bits = [UInt64](repeating: 0, count: size / 64)
        highest = first
        set(first)
    }

    func check(_ index: UInt64) -> Verdict {
        if index > highest { return .fresh }
        if highest - index >= size { return .tooOld }
        let bit = index % size
        return bits[Int(bit / 64)] & (1 << (bit % 64)) != 0 ? .replayed : .fresh
    }

    /// Records `index` as received (after it authenticated), moving the window up when it
    /// is ahead.
    mutating func accept(_ index: UInt64) {
        if index > highest {
            let advance = index - highest
            if advance >= size {
                for word in bits.indices { bits[word] = 0 }
            } else {
                var cleared = highest + 1
                while cleared <= index {
                    let bit = cleared % size
                    bits[Int(bit / 64)] &= ~(1 << (bit % 64))
                    cleared += 1
                }
            }
            highest = index
        }
        set(index)
    }

    private mutating func set(_ index: UInt64) {
        let bit = index % size
        bits[Int(bit / 64)] |= 1 << (bit % 64)
    }
}
