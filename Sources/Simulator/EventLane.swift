/// Events one handler schedules in nondecreasing time order, of which only the earliest
/// waits in the event queue: a link direction's in-order deliveries, which are most of
/// a simulation's pending events (a bottleneck's queue and the packets on its wire).
///
/// Each lane holds its events sorted by (time, sequence number) and its head is also in
/// the heap, so the heap's minimum is still the minimum of every pending event and events
/// run in exactly the order they would if all were in the heap; the heap just stays small
/// (one entry per busy link instead of one per packet in flight). Events that would break
/// a lane's order (a reordered or re-timed packet) go to the heap directly.
///
/// A ring buffer of power-of-two capacity in memory the engine owns and frees with
/// `deallocate()`.
@usableFromInline
struct EventLane {
    @usableFromInline var buffer: UnsafeMutablePointer<ScheduledEvent>
    @usableFromInline var head = 0
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    @inlinable init() {
        capacity = 16
        buffer = .allocate(capacity: capacity)
    }

    /// Frees the storage; the lane must not be used afterwards.
    @inlinable func deallocate() { buffer.deallocate() }

    @inlinable var first: ScheduledEvent { buffer[head] }
    @inlinable var last: ScheduledEvent { buffer[(head + count - 1) & (capacity - 1)] }

    @inlinable mutating func append(_ event: ScheduledEvent) {
        if count == capacity { grow() }
        (buffer + ((head + count) & (capacity - 1))).initialize(to: event)
        count += 1
    }

    @inlinable mutating func removeFirst() {
        head = (head + 1) & (capacity - 1)
        count -= 1
    }

    @usableFromInline mutating func grow() {
        let bigger = UnsafeMutablePointer<ScheduledEvent>.allocate(capacity: capacity * 2)
        for i in 0..<count { (bigger + i).initialize(to: buffer[(head + i) & (capacity - 1)]) }
        buffer.deallocate()
        buffer = bigger
        head = 0
        capacity *= 2
    }
}
