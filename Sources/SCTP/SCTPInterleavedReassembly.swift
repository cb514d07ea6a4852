/// The receive side of user message interleaving (RFC 8260 §2.1): I-DATA fragments carry
/// their message's stream, Message Identifier (MID) and Fragment Sequence Number (FSN),
/// so fragments of messages on different streams may alternate in TSN order. A message
/// is whole once FSN 0 (the B bit) through the E fragment's FSN are all present;
/// ordered messages are then delivered in MID order per stream, unordered ones at once.
/// Its byte count is what the association subtracts from its advertised window.
struct SCTPInterleavedReassembly {
    /// Identifies one user message: ordered and unordered MIDs are separate sequences
    /// per stream (RFC 8260 §2.1).
    struct MessageKey: Hashable {
        var stream: UInt16
        var unordered: Bool
        var mid: UInt32
    }

    /// The fragments of one message not yet whole, by FSN.
    struct Partial {
        var fragments: [UInt32: ArraySlice<UInt8>] = [:]
        /// The PPID, from the B fragment (FSN 0).
        var ppid: UInt32 = 0
        /// The FSN of the E fragment once it arrived.
        var lastFSN: UInt32?
        var bytes = 0
    }

    /// How far ahead of the next expected MID an ordered message may be: beyond this,
    /// a peer is not interleaving honestly (at most a receive window of one-byte
    /// messages can be in flight) and the association aborts rather than track it.
    static let midWindow: UInt32 = 1 << 20

    private var partial: [MessageKey: Partial] = [:]
    private var partialBytes = 0
    /// Whole ordered messages waiting for earlier MIDs.
    private var ordered = SCTPOrderedDelivery<UInt32>()
    /// Bytes held in partial messages and in whole ones waiting for their turn.
    var bufferedBytes: Int { partialBytes + ordered.bufferedBytes }
    let maxMessageSize: Int

    init(maxMessageSize: Int) { self.maxMessageSize = maxMessageSize }

    /// Takes a new (not duplicate) I-DATA fragment. Throws when the fragment contradicts
    /// what arrived before (the association aborts, RFC 9260 §3.3.10.13): a second
    /// fragment with the same FSN, a fragment after the E fragment's FSN, an E fragment
    /// below one already held, or an ordered MID beyond `midWindow`.
    mutating func add(_ chunk: SCTPDataChunk, into output: inout SCTPReassembly.Output) throws(SCTPInterleavingViolation) {
        if !chunk.unordered {
            let ahead = chunk.mid &- ordered.expected(on: chunk.stream)
            if ahead >= 1 << 31 { return }  // an MID already delivered or skipped: stale
            guard ahead < Self.midWindow else { throw .midBeyondWindow(stream: chunk.stream, mid: chunk.mid) }
        }
        let key = MessageKey(stream: chunk.stream, unordered: chunk.unordered, mid: chunk.mid)
        if !chunk.unordered, ordered.holds(chunk.mid, on: chunk.stream) { throw .fragmentAfterEnd(stream: chunk.stream, mid: chunk.mid) }
        if chunk.beginning && chunk.ending {
            guard partial[key] == nil else { throw .fragmentAfterEnd(stream: chunk.stream, mid: chunk.mid) }
            complete(SCTPMessage(stream: chunk.stream, ppid: chunk.ppid, unordered: chunk.unordered, bytes: Array(chunk.userData)),
                     key: key, into: &output)
            return
        }
        var message = partial.removeValue(forKey: key) ?? Partial()
        let fsn = chunk.fsn
        guard message.fragments[fsn] == nil else { throw .duplicateFragment(stream: chunk.stream, mid: chunk.mid, fsn: fsn) }
        if let last = message.lastFSN, fsn > last { throw .fragmentAfterEnd(stream: chunk.stream, mid: chunk.mid) }
        if chunk.ending {
            guard message.fragments.keys.allSatisfy({ $0 < fsn }) else { throw .fragmentAfterEnd(stream: chunk.stream, mid: chunk.mid) }
            message.lastFSN = fsn
        }
        if chunk.beginning { message.ppid = chunk.ppid }
        message.fragments[fsn] = chunk.userData
        message.bytes += chunk.userData.count
        partialBytes += chunk.userData.count
        guard let last = message.lastFSN, UInt64(message.fragments.count) == UInt64(last) + 1 else {
            partial[key] = message
            return
        }
        partialBytes -= message.bytes
        var bytes: [UInt8] = []
        if message.bytes <= maxMessageSize {
            bytes.reserveCapacity(message.bytes)
            for index in 0...last { bytes += message.fragments[index]! }
        }
        complete(SCTPMessage(stream: chunk.stream, ppid: message.ppid, unordered: chunk.unordered, bytes: bytes),
                 key: key, oversized: message.bytes > maxMessageSize, into: &output)
    }

    /// A whole message: delivered now (unordered, or its stream's next MID), or parked
    /// until the MIDs before it are delivered. An oversized one delivers nothing but
    /// keeps its place in order.
    private mutating func complete(_ message: SCTPMessage, key: MessageKey, oversized: Bool = false,
                                   into output: inout SCTPReassembly.Output) {
        let oversized = oversized || message.bytes.count > maxMessageSize
        if oversized { output.oversized += 1 }
        if message.unordered {
            if !oversized { output.messages.append(message) }
            return
        }
        ordered.complete(message, number: key.mid, oversized: oversized, into: &output)
    }

    /// An I-FORWARD-TSN (RFC 8260 §2.3): the partial messages it names (MIDs up to the
    /// entry's, on its stream, ordered or unordered as its U bit says) are dropped, and
    /// an ordered stream moves past the skipped MIDs, delivering what waited behind them.
    mutating func forward(skipping messages: [SCTPSkippedMessage], into output: inout SCTPReassembly.Output) {
        for skipped in messages {
            func covered(_ mid: UInt32) -> Bool { skipped.mid &- mid < 1 << 31 }
            for (key, message) in partial where key.stream == skipped.stream && key.unordered == skipped.unordered && covered(key.mid) {
                partial[key] = nil
                partialBytes -= message.bytes
            }
            if !skipped.unordered { ordered.skip(through: skipped.mid, on: skipped.stream, into: &output) }
        }
    }

    /// The peer reset these incoming streams (RFC 6525 §5.2.2 with RFC 8260 §2.1: MIDs
    /// start at 0 again; all streams when empty).
    mutating func reset(_ streams: [UInt16]) { ordered.reset(streams) }
}

/// I-DATA that contradicts earlier fragments of the same message (RFC 8260 §2.1); the
/// association aborts with a Protocol Violation cause naming it.
enum SCTPInterleavingViolation: Error, Equatable, CustomStringConvertible {
    case duplicateFragment(stream: UInt16, mid: UInt32, fsn: UInt32)
    case fragmentAfterEnd(stream: UInt16, mid: UInt32)
    case midBeyondWindow(stream: UInt16, mid: UInt32)

    var description: String {
        switch self {
        case .duplicateFragment(let stream, let mid, let fsn): "I-DATA FSN \(fsn) repeated for MID \(mid) on stream \(stream)"
        case .fragmentAfterEnd(let stream, let mid): "I-DATA fragment beyond the last one of MID \(mid) on stream \(stream)"
        case .midBeyondWindow(let stream, let mid): "I-DATA MID \(mid) on stream \(stream) beyond the reassembly window"
        }
    }
}
