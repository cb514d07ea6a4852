/// One combination of a sweep: a value per swept parameter. The scenario layer applies it
/// to the document before decoding (so every run is validated like a hand-written
/// scenario); the results store records it as the run's `parameters`.
public struct SweepPoint: Sendable {
    /// `(axis name, value text)` in axis order.
    public let assignments: [(name: String, value: String)]

    public init(assignments: [(name: String, value: String)]) {
        self.assignments = assignments
    }

    /// `home.mapping=endpoint-independent seed=3`: stable identity of the point.
    public var key: String { assignments.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
}
