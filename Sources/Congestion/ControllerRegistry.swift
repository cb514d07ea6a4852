/// A controller that can be chosen by name at run time: its parameter parser and its
/// constructor. A scenario's `controller:` and `icelab bench cc --controller` look names
/// up in `ControllerRegistry`; the scenario layer never names a controller type.
public struct ControllerFactory: Sendable {
    /// The name scenarios and the command line use (`gcc`, `nada`).
    public let name: String
    /// One line saying what the controller is.
    public let summary: String
    /// The keys `controller-parameters` accepts (documented with the controller).
    public let parameterKeys: [String]
    private let parse: @Sendable (ControllerParameters) throws(ControllerParameterError) -> ControllerRecipe

    /// `parse` checks the controller-specific parameters and returns a recipe that builds
    /// controllers with them.
    public init(name: String, summary: String, parameterKeys: [String],
                parse: @escaping @Sendable (ControllerParameters) throws(ControllerParameterError) -> ControllerRecipe) {
        self.name = name
        self.summary = summary
        self.parameterKeys = parameterKeys
        self.parse = parse
    }

    /// A recipe with these parameters, or the first parameter the controller refuses.
    public func recipe(_ parameters: ControllerParameters = ControllerParameters()) throws(ControllerParameterError) -> ControllerRecipe {
        for entry in parameters.entries where !parameterKeys.contains(entry.key) {
            let known = parameterKeys.isEmpty ? "\(name) takes no parameters" : "known: \(parameterKeys.joined(separator: ", "))"
            throw ControllerParameterError(key: entry.key, "unknown \(name) parameter '\(entry.key)' (\(known))")
        }
        return try parse(parameters)
    }
}

/// A controller with checked parameters: builds one controller per flow from its rates.
public struct ControllerRecipe: Sendable {
    public let name: String
    /// Whether the controller needs per-packet feedback (transport-wide or RFC 8888) —
    /// NADA does; GCC also runs on receiver reports alone (its loss-based part).
    public let needsPerPacketFeedback: Bool
    private let build: @Sendable (ControllerRates) -> AnyCongestionController

    public init(name: String, needsPerPacketFeedback: Bool = false, build: @escaping @Sendable (ControllerRates) -> AnyCongestionController) {
        self.name = name
        self.needsPerPacketFeedback = needsPerPacketFeedback
        self.build = build
    }

    public func make(_ rates: ControllerRates) -> AnyCongestionController { build(rates) }
}

/// The controllers chosen by name. A new controller is a folder under `Sources/Congestion`
/// with a `ControllerFactory` and one line here.
public enum ControllerRegistry {
    public static let factories: [ControllerFactory] = [
        .gcc,
        .nada,
    ]

    /// The names, in registration order (for error messages and help).
    public static var names: [String] { factories.map(\.name) }

    /// The factory registered under `name`.
    public static func factory(named name: String) -> ControllerFactory? { factories.first { $0.name == name } }

    /// The default controller of a flow that names none.
    public static var defaultName: String { "gcc" }
}
