/// A candidate extension attribute the parser does not know, kept as a name/value pair.
public struct CandidateExtension: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
