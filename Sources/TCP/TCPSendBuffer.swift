/// Octets the application has written and the peer has not yet acknowledged: the
/// unacknowledged and the unsent parts of the send sequence space (RFC 9293 §3.3.1,
/// Figure 3), keyed by sequence number.
struct TCPSendBuffer: Sendable {
    private var bytes: [UInt8] = []
    private var head = 0
    /// The sequence number of the first octet held.
    private(set) var start: TCPSequence

    init(start: TCPSequence) { self.start = start }

    /// Octets held.
    var count: Int { bytes.count - head }
    /// The sequence number after the last octet held.
    var end: TCPSequence { start + count }

    mutating func append(_ data: some Collection<UInt8>) { bytes.append(contentsOf: data) }

    /// Drops the octets before `sequence` (acknowledged).
    mutating func release(upTo sequence: TCPSequence) {
        let n = min(max(sequence - start, 0), count)
        head += n
        start += n
        // Compact once the released prefix outweighs what is held: amortised O(1) per octet.
        if head > 4096 && head > count {
            bytes.removeFirst(head)
            head = 0
        }
    }

    /// Up to `length` octets from `sequence` (empty when outside the buffer).
    func octets(from sequence: TCPSequence, length: Int) -> [UInt8] {
        let offset = sequence - start
        guard offset >= 0, offset < count, length > 0 else { return [] }
        let from = head + offset
        return Array(bytes[from..<min(from + length, bytes.count)])
    }
}
