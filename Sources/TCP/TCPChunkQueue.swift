/// Octets in order, held as slices of the arrays they came in: what the send and receive
/// buffers are made of, so that data passes through a connection with one copy.
///
/// A slice of at least `gatherLimit` octets is kept as it is (its array retained, not
/// copied); smaller ones are appended to the last chunk while that chunk is smaller
/// than the limit, which bounds both the number of chunks and the memory a small slice
/// can keep alive. Removing from the front drops chunks; nothing is moved.
struct TCPChunkQueue: Sendable {
    /// Slices this long or longer are kept without copying.
    let gatherLimit: Int
    /// The octets, in order; chunks before `first` are empty (removed).
    private var chunks: [ArraySlice<UInt8>] = []
    private var first = 0
    /// Octets held.
    private(set) var count = 0

    init(gatherLimit: Int) { self.gatherLimit = gatherLimit }

    var isEmpty: Bool { count == 0 }

    /// Appends `data` at the end (handed over: kept without taking another reference).
    mutating func append(_ data: consuming ArraySlice<UInt8>) {
        guard !data.isEmpty else { return }
        count += data.count
        if data.count < gatherLimit, chunks.count > first, chunks[chunks.count - 1].count < gatherLimit {
            data.withUnsafeBytes { chunks[chunks.count - 1].append(contentsOf: $0) }
        } else {
            chunks.append(data)
        }
    }

    /// Appends the octets of `other` at the end, chunk by chunk (its large chunks are
    /// kept without copying).
    mutating func append(contentsOf other: TCPChunkQueue) {
        for index in other.first..<other.chunks.count { append(other.chunks[index]) }
    }

    /// Removes the first `n` octets (at most `count`).
    mutating func removeFirst(_ n: Int) {
        var n = min(max(n, 0), count)
        count -= n
        while n > 0 {
            let size = chunks[first].count
            if n < size {
                chunks[first] = chunks[first].dropFirst(n)
                break
            }
            chunks[first] = []
            first += 1
            n -= size
        }
        if count == 0 {
            chunks.removeAll(keepingCapacity: true)
            first = 0
        } else if first > 16 && first * 2 > chunks.count {
            chunks.removeFirst(first)
            first = 0
        }
    }

    /// Up to `length` octets from `offset` (empty when `offset` is outside): a slice of
    /// the chunk that holds them, or a copy when they span chunks. The slice must not
    /// outlive the next `append` (which would then copy the last chunk).
    func slice(at offset: Int, length: Int) -> ArraySlice<UInt8> {
        guard offset >= 0, offset < count, length > 0 else { return [] }
        let wanted = min(length, count - offset)
        var skip = offset
        var index = first
        while skip >= chunks[index].count {
            skip -= chunks[index].count
            index += 1
        }
        let chunk = chunks[index]
        let from = chunk.startIndex + skip
        if skip + wanted <= chunk.count { return chunk[from..<from + wanted] }
        var joined: [UInt8] = []
        joined.reserveCapacity(wanted)
        joined.append(contentsOf: chunk[from...])
        while joined.count < wanted {
            index += 1
            joined.append(contentsOf: chunks[index].prefix(wanted - joined.count))
        }
        return joined[...]
    }

    /// Removes the first `n` octets (at most `count`) and returns them in one array.
    mutating func takeFirst(_ n: Int) -> [UInt8] {
        let n = min(max(n, 0), count)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(n)
        var index = first
        while bytes.count < n {
            let wanted = n - bytes.count
            chunks[index].withUnsafeBytes { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0.prefix(wanted))) }
            index += 1
        }
        removeFirst(n)
        return bytes
    }
}
