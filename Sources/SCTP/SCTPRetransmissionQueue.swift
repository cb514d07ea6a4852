/// The retransmission queue: DATA chunks sent and not yet cumulatively acknowledged, in
/// TSN order (RFC 9260 §6.2.1, §6.3). Every SACK that moves the cumulative TSN removes
/// chunks from the front: the front moves an index instead of shifting the array, which
/// is compacted once the removed part outgrows the rest (amortised constant time per
/// chunk, and removed chunks keep at most as much message storage alive as live ones).
/// Not swift-collections' `Deque`: the protocol cores depend on no package (the fuzz
/// targets compile them with swiftc alone), as `OutputQueue` and `TCPChunkQueue` do.
struct SCTPRetransmissionQueue: RandomAccessCollection, MutableCollection {
    private var storage: [SCTPOutstandingChunk] = []
    /// Entries before it were removed and await compaction.
    private var head = 0

    typealias Indices = Range<Int>

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { storage.count - head }

    subscript(position: Int) -> SCTPOutstandingChunk {
        get { storage[head + position] }
        _modify { yield &storage[head + position] }
    }

    mutating func append(_ chunk: SCTPOutstandingChunk) { storage.append(chunk) }

    /// Removes the first `n` chunks (the cumulatively acknowledged ones).
    mutating func removeFirst(_ n: Int) {
        precondition(n >= 0 && n <= count, "removing more chunks than the queue holds")
        head += n
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }
}
