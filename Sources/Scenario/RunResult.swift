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

    public init(runIndex: Int, parameters: SweepPoint, seed: UInt64, outcome: Outcome, errorMessage: String? = nil,
                wallSeconds: Double, simulatedTime: Duration, simulatorEvents: UInt64, sessions: [SessionResult] = [],
                events: [TimelineRecord] = [], expectations: [ExpectationResult] = [], series: [SeriesSample] = []) {
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

/// The outcome and metrics of one ICE session.
public struct SessionResult: Sendable {
    public var name: String
    public var offerer: String
    public var answerer: String
    public var connected: Bool
    /// From the session's start until both agents were first connected: a usable (valid)
    /// selected pair for every component, a browser's `iceConnectionState` "connected",
    /// when media starts (`connected_ms`).
    public var connectedTime: Duration?
    /// From the session's start until both agents' selected pairs were nominated (RFC 8445
    /// §8.1.1; `nominated_ms`).
    public var nominatedTime: Duration?
    public var selectedLocalType: String?
    public var selectedRemoteType: String?
    public var selectedProtocol: String?
    public var finalState: String
    public var checksSent: Int
    public var checksReceived: Int
    public var checksRetransmitted: Int
    public var stunBytes: Int
    public var pairsFormed: Int
    public var relayUsed: Bool
    public var candidates: [CandidateRecord]
    public var pairs: [PairRecord]

    public init(name: String, offerer: String, answerer: String, connected: Bool, connectedTime: Duration? = nil,
                nominatedTime: Duration? = nil, selectedLocalType: String? = nil, selectedRemoteType: String? = nil,
                selectedProtocol: String? = nil, finalState: String, checksSent: Int = 0, checksReceived: Int = 0,
                checksRetransmitted: Int = 0, stunBytes: Int = 0, pairsFormed: Int = 0, relayUsed: Bool = false,
                candidates: [CandidateRecord] = [], pairs: [PairRecord] = []) {
        self.name = name
        self.offerer = offerer
        self.answerer = answerer
        self.connected = connected
        self.connectedTime = connectedTime
        self.nominatedTime = nominatedTime
        self.selectedLocalType = selectedLocalType
        self.selectedRemoteType = selectedRemoteType
        self.selectedProtocol = selectedProtocol
        self.finalState = finalState
        self.checksSent = checksSent
        self.checksReceived = checksReceived
        self.checksRetransmitted = checksRetransmitted
        self.stunBytes = stunBytes
        self.pairsFormed = pairsFormed
        self.relayUsed = relayUsed
        self.candidates = candidates
        self.pairs = pairs
    }
}

/// A candidate an agent gathered.
public struct CandidateRecord: Sendable {
    /// `offerer` or `answerer`.
    public var agent: String
    public var type: String
    public var transport: String
    /// Kept as a value: formatted only where it is written (a run's records are made for
    /// every run, written for some).
    public var address: Endpoint
    public var priority: UInt32
    public var time: Duration

    public init(agent: String, type: String, transport: String, address: Endpoint, priority: UInt32, time: Duration) {
        self.agent = agent
        self.type = type
        self.transport = transport
        self.address = address
        self.priority = priority
        self.time = time
    }
}

/// A candidate pair's final state on one agent.
public struct PairRecord: Sendable {
    public var agent: String
    public var localType: String
    public var remoteType: String
    public var local: Endpoint
    public var remote: Endpoint
    public var state: String
    public var nominated: Bool

    public init(agent: String, localType: String, remoteType: String, local: Endpoint, remote: Endpoint, state: String, nominated: Bool) {
        self.agent = agent
        self.localType = localType
        self.remoteType = remoteType
        self.local = local
        self.remote = remote
        self.state = state
        self.nominated = nominated
    }
}

/// A timestamped event of a run (state changes, candidates, timeline actions).
public struct TimelineRecord: Sendable {
    public var time: Duration
    /// The session, or nil for network events.
    public var session: String?
    /// Who reported it (`offerer`, `answerer`, `network`, `timeline`).
    public var source: String
    public var kind: String
    public var detail: String

    public init(time: Duration, session: String?, source: String, kind: String, detail: String) {
        self.time = time
        self.session = session
        self.source = source
        self.kind = kind
        self.detail = detail
    }
}

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

/// One sample of a time series (media metrics, queue sizes).
public struct SeriesSample: Sendable {
    public var session: String?
    public var name: String
    public var time: Duration
    public var value: Double

    public init(session: String?, name: String, time: Duration, value: Double) {
        self.session = session
        self.name = name
        self.time = time
        self.value = value
    }
}
