/// Packets discarded, counted per reason: the drop counters of nodes, links, NATs and
/// firewalls. `Reason` is an enum whose raw values number its cases from 0, so a count
/// is an array access.
public struct DropCounters<Reason: CaseIterable & RawRepresentable>: Sendable where Reason.RawValue == Int {
    /// Counts by raw value; allocated at the first drop (most of a run's many counters
    /// never count one).
    private var counts: [Int] = []

    public init() {}

    /// Packets dropped for `reason`.
    public internal(set) subscript(reason: Reason) -> Int {
        get { counts.isEmpty ? 0 : counts[reason.rawValue] }
        set {
            if counts.isEmpty { counts = [Int](repeating: 0, count: Reason.allCases.count) }
            counts[reason.rawValue] = newValue
        }
    }

    /// Packets dropped for any reason.
    public var total: Int { counts.reduce(0, +) }
}
