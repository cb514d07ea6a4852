/// A core's timers, one named slot each, whose minimum is the core's next deadline.
///
/// Every core reports one deadline (`CoreOutput.timeout`) but keeps several timers:
/// retransmissions, pacing, keepalives, refreshes. Keeping them in a fixed table indexed
/// by a small enum (as quinn-proto's `TimerTable` does) means a timer is armed where its
/// reason arises, the next deadline is the table's minimum by construction (a new timer
/// cannot be forgotten in a hand-written `min`), and the timer that fires next has a
/// name, which traces of a simulated run can print.
///
/// `Timer` is an enum with `Int` raw values `0..<allCases.count`, e.g.
/// `enum MyTimer: Int, CaseIterable { case retransmit, keepalive }`.
public struct TimerTable<Timer: RawRepresentable & CaseIterable>: Sendable where Timer.RawValue == Int {
    @usableFromInline var deadlines: [Instant]

    /// A table with every timer stopped.
    @inlinable
    public init() {
        deadlines = Array(repeating: .distantFuture, count: Timer.allCases.count)
    }

    /// The deadline of `timer`; `Instant.distantFuture` when it is stopped. Setting
    /// `distantFuture` stops it.
    @inlinable
    public subscript(timer: Timer) -> Instant {
        get { deadlines[timer.rawValue] }
        set { deadlines[timer.rawValue] = newValue }
    }

    /// Stops `timer`.
    @inlinable
    public mutating func stop(_ timer: Timer) { deadlines[timer.rawValue] = .distantFuture }

    /// Stops every timer.
    @inlinable
    public mutating func stopAll() {
        for i in deadlines.indices { deadlines[i] = .distantFuture }
    }

    /// Whether `timer` is armed and its deadline is at or before `now`.
    @inlinable
    public func isDue(_ timer: Timer, at now: Instant) -> Bool {
        let deadline = deadlines[timer.rawValue]
        return deadline != .distantFuture && deadline <= now
    }

    /// The earliest deadline of all timers (`distantFuture` when all are stopped): the
    /// deadline a core reports in `CoreOutput.timeout`.
    @inlinable
    public var next: Instant {
        var earliest = Instant.distantFuture
        for deadline in deadlines where deadline < earliest { earliest = deadline }
        return earliest
    }

    /// The earliest deadline after `bound`: for cores that leave a handled timer's
    /// deadline in place (a mark that stays in the past) rather than stopping it.
    @inlinable
    public func next(after bound: Instant) -> Instant {
        var earliest = Instant.distantFuture
        for deadline in deadlines where deadline > bound && deadline < earliest { earliest = deadline }
        return earliest
    }

    /// The timer with the earliest deadline after `bound` and that deadline (the first in
    /// declaration order on a tie), or nil when none is armed after it.
    public func nextTimer(after bound: Instant = Instant(nanoseconds: .min)) -> (timer: Timer, deadline: Instant)? {
        var best: (timer: Timer, deadline: Instant)?
        for timer in Timer.allCases {
            let deadline = deadlines[timer.rawValue]
            guard deadline != .distantFuture, deadline > bound else { continue }
            if best.map({ deadline < $0.deadline }) ?? true { best = (timer, deadline) }
        }
        return best
    }
}
