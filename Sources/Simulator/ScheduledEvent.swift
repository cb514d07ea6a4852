/// One entry of the event queue: a plain 24-byte value, so that scheduling allocates
/// nothing and the heap moves little memory.
///
/// `order` packs the sequence number (high 40 bits) with the handler index (low 24
/// bits): comparing `order` compares sequence numbers, since those are unique.
/// `payload` packs the handler's own `kind` (high 8 bits) and `arg` (low 56 bits).
@usableFromInline
struct ScheduledEvent {
    @usableFromInline var time: Int64
    @usableFromInline var order: UInt64
    @usableFromInline var payload: UInt64

    /// Handlers a simulation can register (24 bits of `order`).
    @usableFromInline static let maxHandlers = 1 << 24
    /// Events a simulation can schedule (40 bits of `order`: 1.1 × 10^12).
    @usableFromInline static let maxSequence: UInt64 = 1 << 40
    /// Range of `arg` (56 bits, signed).
    static let argBits: UInt64 = 56

    @inlinable init(time: Int64, seq: UInt64, target: Int32, kind: UInt32, arg: Int64) {
        self.time = time
        self.order = seq << 24 | UInt64(UInt32(bitPattern: target) & 0xFF_FFFF)
        self.payload = UInt64(kind & 0xFF) << 56 | (UInt64(bitPattern: arg) & 0xFF_FFFF_FFFF_FFFF)
    }

    @inlinable var seq: UInt64 { order >> 24 }
    @inlinable var target: Int { Int(order & 0xFF_FFFF) }
    @inlinable var kind: UInt32 { UInt32(payload >> 56) }
    /// The argument, sign-extended from 56 bits.
    @inlinable var arg: Int64 { Int64(bitPattern: payload << 8) >> 8 }

    /// Ordered by time, then by scheduling order (FIFO among equal times).
    @inlinable func precedes(_ other: ScheduledEvent) -> Bool {
        time < other.time || (time == other.time && order < other.order)
    }
}

/// Something that receives events from the simulation's queue: links, nodes, timers.
///
/// Components register once (`Simulation.register`) and then schedule events that carry
/// only integers (`kind` < 256, `arg` within ±2^55), which keeps the hot path free of
/// closures and boxing.
///
/// A base class rather than a protocol: the event loop holds its handlers unretained and
/// calls them through the class's method table, which costs no reference counting; an
/// existential had to be retained and released around every event.
open class EventHandler {
    public init() {}

    /// Handles an event this component scheduled with `kind` and `arg`.
    open func handleEvent(kind: UInt32, arg: Int64) {}

    /// Called instead of `handleEvent` when the event was cancelled, so that the handler
    /// can free what the event referred to.
    open func eventCancelled(kind: UInt32, arg: Int64) {}
}

/// Identifies a scheduled event so that it can be cancelled.
public struct EventID: Hashable, Sendable {
    @usableFromInline let seq: UInt64
    @inlinable init(seq: UInt64) { self.seq = seq }
}
