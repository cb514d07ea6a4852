import NetTypes

/// The FIFO of outputs a core has produced but the driver has not yet polled: the
/// building block of every core's `pollOutput()`.
public struct OutputQueue<Event> {
    private var items: [CoreOutput<Event>] = []
    private var head = 0

    public init() {}

    public mutating func append(_ output: CoreOutput<Event>) { items.append(output) }

    /// The oldest pending output, or nil.
    public mutating func next() -> CoreOutput<Event>? {
        guard head < items.count else { return nil }
        let output = items[head]
        head += 1
        if head == items.count { items.removeAll(keepingCapacity: true); head = 0 }
        return output
    }
}
