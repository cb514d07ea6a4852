import DequeModule
import NetTypes

/// Unsolicited inbound SYNs a NAT holds before answering them (RFC 5382 REQ-4): an
/// outbound SYN of the same connection cancels them (a simultaneous open), the others are
/// answered when due. Every SYN waits equally long, so the queue is in due order and the
/// oldest entry is always the next due; a cancelled entry stays queued and is skipped.
struct UnsolicitedSYNQueue {
    /// A connection as the NAT's outside sees it.
    struct Connection: Hashable {
        var external: Endpoint
        var remote: Endpoint
    }

    private struct Held {
        var due: Instant
        var connection: Connection
        var generation: UInt32
        var syn: Packet
    }

    /// Per connection with entries in the queue: how many, how many are not cancelled,
    /// and the generation a cancellation ends (entries of older generations are dead).
    private struct Waiting {
        var queued = 0
        var live = 0
        var generation: UInt32 = 0
    }

    private var queue: Deque<Held> = []
    private var waiting: [Connection: Waiting] = [:]

    /// When the oldest held SYN is due; nil when none is held.
    var nextDue: Instant? { queue.first?.due }

    /// Holds `syn`, which arrived from `syn.source` for the external endpoint
    /// `syn.destination`, until `due`.
    mutating func hold(_ syn: Packet, until due: Instant) {
        let connection = Connection(external: syn.destination, remote: syn.source)
        var state = waiting[connection, default: Waiting()]
        state.queued += 1
        state.live += 1
        waiting[connection] = state
        queue.append(Held(due: due, connection: connection, generation: state.generation, syn: syn))
    }

    /// Cancels the SYNs held for `connection`; returns how many were live.
    mutating func cancel(_ connection: Connection) -> Int {
        guard let state = waiting[connection], state.live > 0 else { return 0 }
        waiting[connection]?.live = 0
        waiting[connection]?.generation &+= 1
        return state.live
    }

    /// Removes and returns the next SYN due by `now` that was not cancelled.
    mutating func popDue(at now: Instant) -> Packet? {
        while let first = queue.first, first.due <= now {
            queue.removeFirst()
            var state = waiting[first.connection, default: Waiting()]
            state.queued -= 1
            let live = first.generation == state.generation
            if live { state.live -= 1 }
            waiting[first.connection] = state.queued == 0 ? nil : state
            if live { return first.syn }
        }
        return nil
    }
}
