import NetTypes

/// Datagrams a core produced and its driver has not polled yet, in order.
struct DatagramQueue: Sendable {
    private var items: [Datagram] = []
    private var head = 0

    mutating func append(_ datagram: Datagram) { items.append(datagram) }

    mutating func next() -> Datagram? {
        guard head < items.count else { return nil }
        defer {
            head += 1
            if head == items.count { items.removeAll(keepingCapacity: true); head = 0 }
        }
        return items[head]
    }
}
