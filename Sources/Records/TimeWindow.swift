import NetTypes

/// A span of simulated time `[from, to)`; `to` nil runs to the end.
public struct TimeWindow: Sendable, Equatable {
    public var from: Duration
    public var to: Duration?

    public init(from: Duration = .zero, to: Duration? = nil) {
        self.from = from
        self.to = to
    }

    /// Whether `time` lies in the window.
    public func contains(_ time: Duration) -> Bool { time >= from && (to.map { time < $0 } ?? true) }

    /// `20s-40s`, `from 20s`.
    public var description: String { to.map { "\(from)-\($0)" } ?? "from \(from)" }
}
