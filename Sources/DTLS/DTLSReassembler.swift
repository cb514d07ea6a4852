/// Puts received handshake fragments back together and hands out whole messages in
/// message_seq order (RFC 6347 §4.2.2-4.2.3): fragments may arrive in any order, be
/// duplicated or overlap; messages ahead of the next expected one wait in a small window.
struct DTLSReassembler {
    /// Messages further ahead than this are dropped (the peer retransmits them).
    static let window: UInt16 = 8

    /// The message_seq of the next message to hand out.
    private(set) var nextSequence: UInt16 = 0
    private var pending: [UInt16: Partial] = [:]

    private struct Partial {
        var type: UInt8
        var epoch: UInt16
        var body: [UInt8]
        var filled: [Bool]
        var missing: Int
    }

    /// What became of a fragment.
    enum Outcome: Equatable {
        /// Part of a message still to come (or a duplicate of part of one).
        case accepted
        /// Part of a message already handed out: the peer retransmits an old flight.
        case old
        /// Too far ahead, or inconsistent with what arrived before: dropped.
        case dropped
    }

    /// Adds a fragment received in `epoch`.
    mutating func add(_ fragment: DTLSHandshakeFragment, epoch: UInt16) -> Outcome {
        if fragment.sequence < nextSequence { return .old }
        guard fragment.sequence - nextSequence < Self.window else { return .dropped }
        var partial = pending[fragment.sequence]
            ?? Partial(type: fragment.type, epoch: epoch, body: [UInt8](repeating: 0, count: fragment.length),
                       filled: [Bool](repeating: false, count: fragment.length), missing: fragment.length)
        guard partial.type == fragment.type, partial.body.count == fragment.length, partial.epoch == epoch else { return .dropped }
        var index = fragment.offset
        for byte in fragment.data {
            if !partial.filled[index] {
                partial.filled[index] = true
                partial.body[index] = byte
                partial.missing -= 1
            }
            index += 1
        }
        pending[fragment.sequence] = partial
        return .accepted
    }

    /// The next whole message in order with the epoch it arrived in, or nil.
    mutating func next() -> (type: UInt8, sequence: UInt16, epoch: UInt16, body: [UInt8])? {
        guard let partial = pending[nextSequence], partial.missing == 0 else { return nil }
        pending[nextSequence] = nil
        defer { nextSequence &+= 1 }
        return (partial.type, nextSequence, partial.epoch, partial.body)
    }

    /// Forgets everything and expects `sequence` next: a server that answers a ClientHello
    /// statelessly follows the client's numbering (RFC 6347 §4.2.2).
    mutating func restart(at sequence: UInt16) {
        pending = [:]
        nextSequence = sequence
    }
}
