/// Whether one expectation held, with a message naming it.
public struct ExpectationResult: Sendable {
    public var description: String
    public var passed: Bool
    public var message: String

    public init(description: String, passed: Bool, message: String) {
        self.description = description
        self.passed = passed
        self.message = message
    }
}
