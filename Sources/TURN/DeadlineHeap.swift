import NetTypes

/// A binary min-heap of (deadline, key): the timer table of a core with many timers.
///
/// Entries are never removed early: a superseded timer stays until it fires and the core
/// ignores it (lazy deletion), which keeps rescheduling at O(log n).
struct DeadlineHeap<Key> {
    private var items: [(deadline: Instant, key: Key)] = []

    /// The earliest deadline, `Instant.distantFuture` when empty.
    var earliest: Instant { items.first?.deadline ?? .distantFuture }

    var count: Int { items.count }

    mutating func insert(_ deadline: Instant, _ key: Key) {
        items.append((deadline, key))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].deadline < items[parent].deadline else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(_ now: Instant) -> Key? {
        guard let first = items.first, first.deadline <= now else { return nil }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left].deadline < items[smallest].deadline { smallest = left }
            if right < items.count && items[right].deadline < items[smallest].deadline { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first.key
    }
}
