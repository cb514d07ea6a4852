import NetTypes

/// Controller-specific parameters as a scenario wrote them (`controller-parameters:`):
/// keys and their texts in order, checked by the controller's own parser
/// (`ControllerFactory`), so that the scenario layer needs no knowledge of any controller.
public struct ControllerParameters: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry] = []) { self.entries = entries }

    public var isEmpty: Bool { entries.isEmpty }
}

/// A parameter a controller's parser refused: which key (nil: the parameters as a whole)
/// and why.
public struct ControllerParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String?
    public var message: String

    public init(key: String?, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { message }
}

/// The rates every controller is built with: the flow's start, minimum and maximum.
public struct ControllerRates: Sendable, Equatable {
    public var start: Bitrate
    public var min: Bitrate
    public var max: Bitrate

    /// libwebrtc's defaults as `GoogCCController.Configuration` has them.
    public init(start: Bitrate = .kbps(300), min: Bitrate = .kbps(30), max: Bitrate = .mbps(10)) {
        self.start = start
        self.min = min
        self.max = max
    }
}

/// The texts of `controller-parameters` values, checked as each controller's parser
/// needs them; errors name the key.
extension ControllerParameters {
    /// A plain number within `range` (an integer when `integer`).
    static func number(_ key: String, _ text: String, in range: ClosedRange<Double>, integer: Bool = false) throws(ControllerParameterError) -> Double {
        guard let value = Double(text), value.isFinite, !integer || value == value.rounded() else {
            throw ControllerParameterError(key: key, "\(key): '\(text)' is not \(integer ? "an integer" : "a number")")
        }
        guard range.contains(value) else {
            throw ControllerParameterError(key: key, "\(key): \(text) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A duration (`10ms`, `0.5s`, `500us`) within `range`, in seconds.
    static func seconds(_ key: String, _ text: String, in range: ClosedRange<Double>) throws(ControllerParameterError) -> Double {
        try quantity(key, text, units: [("us", 1e-6), ("ms", 1e-3), ("s", 1)], in: range, kind: "a duration (e.g. 10ms, 0.5s)", unit: " s")
    }

    /// `true` or `false`.
    static func flag(_ key: String, _ text: String) throws(ControllerParameterError) -> Bool {
        switch text {
        case "true": return true
        case "false": return false
        default: throw ControllerParameterError(key: key, "\(key): '\(text)' is not true or false")
        }
    }

    /// A rate (`75kbps`, `1.5mbps`, `300000bps`) within `range`, in bps.
    static func rate(_ key: String, _ text: String, in range: ClosedRange<Double>) throws(ControllerParameterError) -> Double {
        try quantity(key, text.lowercased(), units: [("kbps", 1e3), ("mbps", 1e6), ("bps", 1)], in: range,
                     kind: "a rate (e.g. 75kbps, 1.5mbps)", unit: " bps")
    }

    /// A number followed by one of `units` (suffix, scale; longer suffixes first), scaled
    /// and checked against `range`.
    private static func quantity(_ key: String, _ text: String, units: [(suffix: String, scale: Double)], in range: ClosedRange<Double>,
                                 kind: String, unit: String) throws(ControllerParameterError) -> Double {
        guard let match = units.first(where: { text.hasSuffix($0.suffix) }),
              let value = Double(text.dropLast(match.suffix.count)), value.isFinite else {
            throw ControllerParameterError(key: key, "\(key): '\(text)' is not \(kind)")
        }
        let scaled = value * match.scale
        guard range.contains(scaled) else {
            throw ControllerParameterError(key: key, "\(key): \(text) is outside \(range.lowerBound)...\(range.upperBound)\(unit)")
        }
        return scaled
    }
}
