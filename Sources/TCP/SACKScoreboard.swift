/// The sender's record of what the receiver has selectively acknowledged (RFC 2018 §5,
/// the scoreboard of RFC 6675 §3): disjoint, sorted blocks of sequence space above the
/// cumulative acknowledgment.
public struct SACKScoreboard: Sendable {
    /// The SACKed blocks in sequence order, merged where they touch.
    public private(set) var blocks: [TCPSACKBlock] = []

    public init() {}

    public var isEmpty: Bool { blocks.isEmpty }

    /// The end of the highest SACKed block (RFC 6675 HighSACK + 1), if any.
    public var highestSACKed: TCPSequence? { blocks.last?.end }

    /// Records `block` if it lies within (`cumulativeAck`, `highData`]; blocks outside it
    /// (stale, D-SACK or bogus) are ignored (RFC 2018 §4, RFC 6675 §4 update).
    public mutating func add(_ block: TCPSACKBlock, cumulativeAck: TCPSequence, highData: TCPSequence) {
        let start = max(block.start, cumulativeAck)
        let end = min(block.end, highData)
        guard start < end, block.start < block.end else { return }
        var merged = TCPSACKBlock(start: start, end: end)
        // In place: the blocks below it stay, those it overlaps or touches fold into it
        // (most often one block, grown at its end).
        var first = 0
        while first < blocks.count && blocks[first].end < merged.start { first += 1 }
        var last = first
        while last < blocks.count && !(merged.end < blocks[last].start) {
            merged = TCPSACKBlock(start: min(blocks[last].start, merged.start), end: max(blocks[last].end, merged.end))
            last += 1
        }
        blocks.replaceSubrange(first..<last, with: CollectionOfOne(merged))
    }

    /// Drops everything below the new cumulative acknowledgment `ack`.
    public mutating func acknowledge(upTo ack: TCPSequence) {
        var covered = 0
        while covered < blocks.count && blocks[covered].end <= ack { covered += 1 }
        if covered > 0 { blocks.removeFirst(covered) }
        // Blocks are sorted and disjoint: only the first can start below `ack`.
        if let first = blocks.first, first.start < ack { blocks[0].start = ack }
    }

    /// Forgets every block (after a retransmission timeout: the receiver may renege,
    /// RFC 2018 §8).
    public mutating func clear() { blocks.removeAll() }

    /// Whether `sequence` has been SACKed.
    public func isSACKed(_ sequence: TCPSequence) -> Bool {
        blocks.contains { $0.start <= sequence && sequence < $0.end }
    }

    /// The end of the SACKed block that contains `sequence`, if one does.
    public func sackedEnd(containing sequence: TCPSequence) -> TCPSequence? {
        blocks.first { $0.start <= sequence && sequence < $0.end }?.end
    }

    /// The start of the first SACKed block after `sequence`, if any.
    public func nextSACKedStart(after sequence: TCPSequence) -> TCPSequence? {
        blocks.first { sequence < $0.start }?.start
    }

    /// Octets SACKed above `sequence`.
    public func sackedBytes(above sequence: TCPSequence) -> Int {
        blocks.reduce(0) { total, block in
            block.end <= sequence ? total : total + (block.end - max(block.start, sequence + 1))
        }
    }

    /// RFC 6675 §4 IsLost: `dupThreshold` discontiguous SACKed sequences above
    /// `sequence`, or more than (`dupThreshold` − 1)·SMSS octets SACKed above it.
    public func isLost(_ sequence: TCPSequence, mss: Int, dupThreshold: Int) -> Bool {
        var discontiguous = 0
        for block in blocks where sequence < block.start { discontiguous += 1 }
        return discontiguous >= dupThreshold || sackedBytes(above: sequence) > (dupThreshold - 1) * mss
    }
}
