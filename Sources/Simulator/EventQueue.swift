/// A 4-ary min-heap of `ScheduledEvent`s ordered by (time, sequence number).
///
/// Specialised for one element type (no generics, no closures), sifting with a "hole"
/// instead of swaps, and 4-ary: half the levels of a binary heap, and the four children
/// of a node share a cache line or two. The storage is a buffer the queue owns (no
/// copy-on-write checks per operation): this queue is the simulator's innermost loop.
/// It lives inside the simulation's engine, which frees it with `deallocate()`.
@usableFromInline
struct EventQueue {
    @usableFromInline var heap: UnsafeMutablePointer<ScheduledEvent>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    @inlinable init() {
        capacity = 256
        heap = .allocate(capacity: capacity)
    }

    /// Frees the storage; the queue must not be used afterwards.
    @inlinable func deallocate() { heap.deallocate() }

    @inlinable var isEmpty: Bool { count == 0 }
    @inlinable var first: ScheduledEvent? { count > 0 ? heap[0] : nil }

    @inlinable mutating func push(_ event: ScheduledEvent) {
        if count == capacity { grow() }
        var child = count
        count += 1
        while child > 0 {
            let parent = (child - 1) >> 2
            if !event.precedes(heap[parent]) { break }
            (heap + child).initialize(to: heap[parent])
            child = parent
        }
        (heap + child).initialize(to: event)
    }

    @usableFromInline mutating func grow() {
        let bigger = UnsafeMutablePointer<ScheduledEvent>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: heap, count: count)
        heap.deallocate()
        heap = bigger
        capacity *= 2
    }

    @inlinable mutating func pop() -> ScheduledEvent? {
        guard let top = first else { return nil }
        removeFirst()
        return top
    }

    /// Removes the minimum; the queue must not be empty.
    @inlinable mutating func removeFirst() {
        count -= 1
        if count > 0 { siftDown(heap[count]) }
    }

    /// Replaces the minimum with `event` (one sift instead of a pop and a push).
    @inlinable mutating func replaceFirst(with event: ScheduledEvent) {
        siftDown(event)
    }

    /// Fills the root's place with `last`, moving it down to where it belongs.
    @inlinable mutating func siftDown(_ last: ScheduledEvent) {
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
    }
}
