import NetTypes

/// Everything one run of a scenario produced: the unit the results store writes in one
/// transaction.
public struct RunResult: Sendable {
    public enum Outcome: String, Sendable {
        /// Every expectation held.
        case passed
        /// An expectation failed.
        case failed
        /// The run could not be carried out (e.g. a server address could not be planned).
        case error
    }

    public var runIndex: Int
    public var parameters: SweepPoint
    public var seed: UInt64
    public var outcome: Outcome
    /// Why the run is an error, if it is.
    public var errorMessage: String?
    public var wallSeconds: Double
    public var simulatedTime: Duration
    public var simulatorEvents: UInt64
    public var sessions: [SessionResult]
    public var events: [TimelineRecord]
    public var expectations: [ExpectationResult]
    public var series: [SeriesSample]
    /// The connections of TCP cross traffic.
    public var tcpFlows: [TCPFlowResult]
    /// The data channels of the sessions.
    public var dataChannels: [DataChannelResult]
    /// The directions of the scenario's links that carried packets.
    public var links: [LinkResult]

    public init(runIndex: Int, parameters: SweepPoint, seed: UInt64, outcome: Outcome, errorMessage: String? = nil,
                wallSeconds: Double, simulatedTime: Duration, simulatorEvents: UInt64, sessions: [SessionResult] = [],
                events: [TimelineRecord] = [], expectations: [ExpectationResult] = [], series: [SeriesSample] = [], tcpFlows: [TCPFlowResult] = [],
                dataChannels: [DataChannelResult] = [], links: [LinkResult] = []) {
        self.runIndex = runIndex
        self.parameters = parameters
        self.seed = seed
        self.outcome = outcome
        self.errorMessage = errorMessage
        self.wallSeconds = wallSeconds
        self.simulatedTime = simulatedTime
        self.simulatorEvents = simulatorEvents
        self.sessions = sessions
        self.events = events
        self.expectations = expectations
        self.series = series
        self.tcpFlows = tcpFlows
        self.dataChannels = dataChannels
        self.links = links
    }

    /// Identity of a run across resumptions: its sweep parameters and seed.
    public var key: RunKey { RunKey(parameters: parameters.key, seed: seed) }
}

/// A run's identity within a scenario version.
public struct RunKey: Hashable, Sendable {
    public var parameters: String
    public var seed: UInt64

    public init(parameters: String, seed: UInt64) {
        self.parameters = parameters
        self.seed = seed
    }
}
