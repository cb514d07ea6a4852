/// A 4-ary min-heap of `ScheduledEvent`s ordered by (time, sequence number).
///
/// Specialised for one element type (no generics, no closures), sifting with a "hole"
/// instead of swaps, and 4-ary: half the levels of a binary heap, and the four children
/// of a node share a cache line or two. This queue is the simulator's innermost loop.
@usableFromInline
struct EventQueue {
    @usableFromInline var storage: [ScheduledEvent] = []

    @inlinable init() { storage.reserveCapacity(1024) }

    @inlinable var count: Int { storage.count }
    @inlinable var isEmpty: Bool { storage.isEmpty }
    @inlinable var first: ScheduledEvent? { storage.first }

    @inlinable mutating func push(_ event: ScheduledEvent) {
        storage.append(event)
        storage.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) >> 2
                if !event.precedes(heap[parent]) { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = event
        }
    }

    @inlinable mutating func pop() -> ScheduledEvent? {
        guard let last = storage.popLast() else { return nil }
        if storage.isEmpty { return last }
        return storage.withUnsafeMutableBufferPointer { heap in
            let top = heap[0]
            let count = heap.count
            var hole = 0
            while true {
                let firstChild = 4 * hole + 1
                if firstChild >= count { break }
                var best = firstChild
                let end = min(firstChild + 4, count)
                var c = firstChild + 1
                while c < end {
                    if heap[c].precedes(heap[best]) { best = c }
                    c += 1
                }
                if !heap[best].precedes(last) { break }
                heap[hole] = heap[best]
                hole = best
            }
            heap[hole] = last
            return top
        }
    }
}
