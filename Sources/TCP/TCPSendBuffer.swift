/// Octets the application has written and the peer has not yet acknowledged: the
/// unacknowledged and the unsent parts of the send sequence space (RFC 9293 §3.3.1,
/// Figure 3), keyed by sequence number.
///
/// A large write is kept as the array it came in (`TCPChunkQueue`), and segments are
/// handed out as slices of it: an octet is copied once on its way to the wire, into the
/// segment's bytes.
struct TCPSendBuffer: Sendable {
    /// Writes of 64 KiB or more are kept without copying; smaller ones are gathered
    /// (which also bounds the chunks `octets` walks past to 64 per 4 MiB).
    private var queue = TCPChunkQueue(gatherLimit: 64 << 10)
    /// The sequence number of the first octet held.
    private(set) var start: TCPSequence

    init(start: TCPSequence) { self.start = start }

    /// Octets held.
    var count: Int { queue.count }
    /// The sequence number after the last octet held.
    var end: TCPSequence { start + count }

    mutating func append(_ data: ArraySlice<UInt8>) { queue.append(data) }

    /// Drops the octets before `sequence` (acknowledged).
    mutating func release(upTo sequence: TCPSequence) {
        let n = min(max(sequence - start, 0), count)
        queue.removeFirst(n)
        start += n
    }

    /// Up to `length` octets from `sequence` (empty when outside the buffer), a slice
    /// that encoding copies into the segment's bytes; it must not outlive the next
    /// `append`.
    func octets(from sequence: TCPSequence, length: Int) -> ArraySlice<UInt8> {
        queue.slice(at: sequence - start, length: length)
    }
}
