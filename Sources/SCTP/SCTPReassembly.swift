/// The receive side between DATA chunks and user messages (RFC 9260 §6.5, §6.6, §6.9):
/// fragments wait here until their message is whole (B ... E with consecutive TSNs);
/// whole ordered messages wait until their stream's next SSN. Its byte count is what
/// the association subtracts from its advertised window, so the receive window bounds
/// it.
struct SCTPReassembly {
    /// Fragments of messages not yet whole, by TSN.
    private var fragments: [UInt32: SCTPDataChunk] = [:]
    private var fragmentBytes = 0
    /// Whole ordered messages waiting for earlier SSNs.
    private var ordered = SCTPOrderedDelivery<UInt16>()
    /// Bytes held in fragments and in messages waiting for their turn.
    var bufferedBytes: Int { fragmentBytes + ordered.bufferedBytes }
    let maxMessageSize: Int

    init(maxMessageSize: Int) { self.maxMessageSize = maxMessageSize }

    /// What one input produced: messages to deliver in order, and how many whole messages
    /// were discarded for exceeding the maximum message size.
    struct Output {
        var messages: [SCTPMessage] = []
        var oversized = 0
    }

    /// Takes a new (not duplicate) DATA chunk.
    mutating func add(_ chunk: SCTPDataChunk, into output: inout Output) {
        if chunk.beginning && chunk.ending {
            complete(SCTPMessage(stream: chunk.stream, ppid: chunk.ppid, unordered: chunk.unordered, bytes: Array(chunk.userData)),
                     ssn: chunk.ssn, into: &output)
            return
        }
        fragments[chunk.tsn] = chunk
        fragmentBytes += chunk.userData.count
        // Fragments of one message carry consecutive TSNs (§6.9): look for B below and E above.
        func sameMessage(_ other: SCTPDataChunk) -> Bool {
            other.stream == chunk.stream && other.unordered == chunk.unordered && (chunk.unordered || other.ssn == chunk.ssn)
        }
        // Forward first: a fragment arriving in order has no successor yet, so the common
        // case costs nothing and in-order arrival stays linear overall.
        var last = chunk.tsn
        while !(fragments[last]?.ending ?? true) {
            guard let next = fragments[last &+ 1], sameMessage(next), !next.beginning else { return }
            last &+= 1
        }
        var first = chunk.tsn
        while !(fragments[first]?.beginning ?? true) {
            guard let previous = fragments[first &- 1], sameMessage(previous), !previous.ending else { return }
            first &-= 1
        }
        var bytes: [UInt8] = []
        // Fragments but the last are alike in size: one allocation for the whole message.
        bytes.reserveCapacity(min(Int(last &- first &+ 1) * chunk.userData.count, maxMessageSize + chunk.userData.count))
        var tsn = first
        while true {
            let fragment = fragments.removeValue(forKey: tsn)!
            fragmentBytes -= fragment.userData.count
            if bytes.count <= maxMessageSize { bytes += fragment.userData }
            if tsn == last { break }
            tsn &+= 1
        }
        complete(SCTPMessage(stream: chunk.stream, ppid: chunk.ppid, unordered: chunk.unordered, bytes: bytes),
                 ssn: chunk.ssn, into: &output)
    }

    /// A whole message: delivered now (unordered, or the stream's next SSN), parked, or
    /// dropped (an SSN already passed, or oversized: it still takes its place in order).
    private mutating func complete(_ message: SCTPMessage, ssn: UInt16, into output: inout Output) {
        let oversized = message.bytes.count > maxMessageSize
        if oversized { output.oversized += 1 }
        if message.unordered {
            if !oversized { output.messages.append(message) }
            return
        }
        ordered.complete(message, number: ssn, oversized: oversized, into: &output)
    }

    /// A FORWARD-TSN moved the cumulative TSN to `cumulative` (RFC 3758 §3.6): fragments at
    /// or below it belong to abandoned messages; the skipped ordered messages are passed.
    mutating func forward(to cumulative: UInt32, skipping streams: [SCTPSkippedStream], into output: inout Output) {
        for (tsn, fragment) in fragments where tsn.precedesOrEquals(cumulative) {
            fragments[tsn] = nil
            fragmentBytes -= fragment.userData.count
        }
        for skipped in streams { ordered.skip(through: skipped.ssn, on: skipped.stream, into: &output) }
    }

    /// The peer reset these incoming streams (RFC 6525 §5.2.2; all of them when empty):
    /// SSNs start at 0 again.
    mutating func reset(_ streams: [UInt16]) { ordered.reset(streams) }
}
