/// The FIFO of outputs a core has produced but the driver has not yet polled: the
/// building block of every core's `pollOutput()`. Inlinable, so that the cores of other
/// modules get it specialised for their event type (no generic metadata look-ups per call).
public struct OutputQueue<Event> {
    @usableFromInline var items: [CoreOutput<Event>] = []
    @usableFromInline var head = 0

    @inlinable public init() {}

    @inlinable public mutating func append(_ output: CoreOutput<Event>) { items.append(output) }

    /// The oldest pending output, or nil.
    @inlinable public mutating func next() -> CoreOutput<Event>? {
        guard head < items.count else { return nil }
        if head == items.count - 1 {
            // The last one (most often the only one) comes off the end; the placeholders
            // of those taken before it go with it.
            let output = items.removeLast()
            if head > 0 {
                items.removeAll(keepingCapacity: true)
                head = 0
            }
            return output
        }
        // Moved out, a trivial placeholder left behind: no copy of the payload.
        var output = CoreOutput<Event>.timeout(.zero)
        swap(&output, &items[head])
        head += 1
        return output
    }
}
