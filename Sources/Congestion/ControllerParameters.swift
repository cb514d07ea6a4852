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
