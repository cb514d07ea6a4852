/// The receiver's out-of-order data: segments above RCV.NXT held until the hole before
/// them fills (RFC 9293 §3.10.7.4, seventh step), and the SACK blocks that describe them
/// (RFC 2018 §4).
///
/// A run keeps its octets as the slices of the segments they arrived in
/// (`TCPChunkQueue`, small slices gathered as in the receive buffer): a run that grows
/// behind a hole for a whole recovery is never copied or reallocated, and it moves into
/// the receive buffer by reference when the hole fills.
struct TCPReassemblyQueue: Sendable {
    /// Disjoint received octets starting at `start`.
    struct Run: Sendable {
        var start: TCPSequence
        var data: TCPChunkQueue
        /// The sequence number after the run's last octet.
        var end: TCPSequence { start + data.count }
        /// The octets as one array (a copy).
        var bytes: [UInt8] { Array(data.slice(at: 0, length: data.count)) }
    }

    /// Slices shorter than this are copied into the run's last chunk rather than kept
    /// (the receive buffer's bound on what a tiny segment can keep alive).
    static let gatherLimit = 512

    /// Disjoint runs of received octets in sequence order, never touching.
    private(set) var runs: [Run] = []
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
    /// without reaching the next run.
    private mutating func extendRun(with bytes: ArraySlice<UInt8>, at start: TCPSequence) -> Bool {
        guard let index = runs.lastIndex(where: { $0.start <= start }) else { return false }
        let runEnd = runs[index].end
        let newEnd = start + bytes.count
        guard start <= runEnd else { return false }
        if newEnd <= runEnd { return true }  // nothing new: existing bytes are kept
        if index + 1 < runs.count && runs[index + 1].start <= newEnd { return false }
        runs[index].data.append(bytes.dropFirst(runEnd - start))
        count += newEnd - runEnd
        return true
    }

    /// Any other case: the union with every run the bytes overlap or touch, existing
    /// octets kept where both have them.
    private mutating func merge(_ bytes: ArraySlice<UInt8>, at start: TCPSequence) {
        let end = start + bytes.count
        let first = runs.firstIndex { start <= $0.end } ?? runs.count
        var last = first
        while last < runs.count && runs[last].start <= end { last += 1 }
        // runs[first..<last] overlap or touch [start, end); the gaps between them lie
        // inside it.
        var union = Run(start: first < last ? min(start, runs[first].start) : start,
                        data: TCPChunkQueue(gatherLimit: Self.gatherLimit))
        var cursor = union.start
        for run in runs[first..<last] {
            if cursor < run.start { union.data.append(bytes[bytes.startIndex + (cursor - start)..<bytes.startIndex + (run.start - start)]) }
            union.data.append(contentsOf: run.data)
            cursor = run.end
        }
        if cursor < end { union.data.append(bytes[(bytes.startIndex + (cursor - start))...]) }
        count += union.data.count - runs[first..<last].reduce(0) { $0 + $1.data.count }
        runs.replaceSubrange(first..<last, with: CollectionOfOne(union))
    }

    /// Removes and returns the run that starts at or before `next` (the data that now
    /// continues the in-order stream, trimmed to start at `next`), and drops runs wholly
    /// below it.
    mutating func takeContiguous(at next: TCPSequence) -> TCPChunkQueue? {
        while let first = runs.first, first.end <= next {
            count -= first.data.count
            runs.removeFirst()
        }
        guard var first = runs.first, first.start <= next else { return nil }
        runs.removeFirst()
        count -= first.data.count
        recent.removeAll { $0 < first.end }
        first.data.removeFirst(next - first.start)
        return first.data
    }

    /// Up to `limit` SACK blocks: the run holding the most recent segment first, then the
    /// runs of earlier arrivals (RFC 2018 §4).
    func sackBlocks(limit: Int) -> [TCPSACKBlock] {
        var blocks: [TCPSACKBlock] = []
        for sequence in recent where blocks.count < limit {
            guard let run = runs.first(where: { $0.start <= sequence && sequence < $0.end }) else { continue }
            let block = TCPSACKBlock(start: run.start, end: run.end)
            if !blocks.contains(block) { blocks.append(block) }
        }
        return blocks
    }
}
