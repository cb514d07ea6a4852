/// The receiver's out-of-order data: segments above RCV.NXT held until the hole before
/// them fills (RFC 9293 §3.10.7.4, seventh step), and the SACK blocks that describe them
/// (RFC 2018 §4).
struct TCPReassemblyQueue: Sendable {
    /// Disjoint runs of received octets in sequence order.
    private(set) var runs: [(start: TCPSequence, bytes: [UInt8])] = []
    /// A sequence number inside each recently received segment, most recent first: the
    /// order SACK blocks are reported in (RFC 2018 §4).
    private var recent: [TCPSequence] = []
    /// Octets held.
    private(set) var count = 0

    var isEmpty: Bool { runs.isEmpty }

    /// Stores `bytes` starting at `start` (already trimmed to the window and above
    /// RCV.NXT), merging with the runs it overlaps or touches.
    mutating func insert(_ bytes: ArraySlice<UInt8>, at start: TCPSequence) {
        guard !bytes.isEmpty else { return }
        if !extendRun(with: bytes, at: start) { merge(bytes, at: start) }
        recent.removeAll { $0 == start }
        recent.insert(start, at: 0)
        if recent.count > 8 { recent.removeLast() }
    }

    /// The common case, in place: `bytes` lie within a run or continue it past its end
    /// without reaching the next run. Copies only the new octets (a run that grows one
    /// segment at a time behind a hole is not copied whole for every segment).
    private mutating func extendRun(with bytes: ArraySlice<UInt8>, at start: TCPSequence) -> Bool {
        guard let index = runs.lastIndex(where: { $0.start <= start }) else { return false }
        let runEnd = runs[index].start + runs[index].bytes.count
        let newEnd = start + bytes.count
        guard start <= runEnd else { return false }
        if newEnd <= runEnd { return true }  // nothing new: existing bytes are kept
        if index + 1 < runs.count && runs[index + 1].start <= newEnd { return false }
        runs[index].bytes.append(contentsOf: bytes.dropFirst(runEnd - start))
        count += newEnd - runEnd
        return true
    }

    /// Any other case: the union with every run the bytes overlap or touch.
    private mutating func merge(_ bytes: ArraySlice<UInt8>, at start: TCPSequence) {
        var newStart = start
        var newBytes = Array(bytes)
        var kept: [(start: TCPSequence, bytes: [UInt8])] = []
        for run in runs {
            let runEnd = run.start + run.bytes.count
            let newEnd = newStart + newBytes.count
            if runEnd < newStart || newEnd < run.start {
                kept.append(run)
                continue
            }
            // Overlapping or adjacent: the union, existing bytes kept where both have them.
            let unionStart = min(run.start, newStart)
            let unionEnd = max(runEnd, newEnd)
            var union = [UInt8](repeating: 0, count: unionEnd - unionStart)
            union.replaceSubrange((newStart - unionStart)..<(newEnd - unionStart), with: newBytes)
            union.replaceSubrange((run.start - unionStart)..<(runEnd - unionStart), with: run.bytes)
            newStart = unionStart
            newBytes = union
        }
        let index = kept.firstIndex { newStart < $0.start } ?? kept.count
        kept.insert((newStart, newBytes), at: index)
        runs = kept
        count = runs.reduce(0) { $0 + $1.bytes.count }
    }

    /// Removes and returns the run that starts at or before `next` (the data that now
    /// continues the in-order stream, trimmed to start at `next`), and drops runs wholly
    /// below it.
    mutating func takeContiguous(at next: TCPSequence) -> ArraySlice<UInt8>? {
        runs.removeAll { $0.start + $0.bytes.count <= next }
        guard let first = runs.first, first.start <= next else {
            count = runs.reduce(0) { $0 + $1.bytes.count }
            return nil
        }
        runs.removeFirst()
        count = runs.reduce(0) { $0 + $1.bytes.count }
        let end = first.start + first.bytes.count
        recent.removeAll { $0 < end }
        return first.bytes[(next - first.start)...]
    }

    /// Up to `limit` SACK blocks: the run holding the most recent segment first, then the
    /// runs of earlier arrivals (RFC 2018 §4).
    func sackBlocks(limit: Int) -> [TCPSACKBlock] {
        var blocks: [TCPSACKBlock] = []
        for sequence in recent where blocks.count < limit {
            guard let run = runs.first(where: { $0.start <= sequence && sequence < $0.start + $0.bytes.count }) else { continue }
            let block = TCPSACKBlock(start: run.start, end: run.start + run.bytes.count)
            if !blocks.contains(block) { blocks.append(block) }
        }
        return blocks
    }
}
