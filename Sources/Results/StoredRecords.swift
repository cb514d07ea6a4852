import Records

/// Read-side rows of the results database, typed for reports: what `ResultStore`'s
/// query methods return, so that readers need no SQL.

/// A sweep's row: one invocation of `icelab run`.
public struct StoredSweep: Sendable, Equatable {
    public var id: Int64
    public var scenarioName: String
    public var scenarioPath: String
    public var icelabVersion: String
    /// ISO 8601 timestamps.
    public var startedAt: String
    public var finishedAt: String?
    public var runCount: Int
    public var wallSeconds: Double?
    /// `simulator` or `netns` (docs/netns.md).
    public var backend: String = "simulator"
    /// The scenario's population weights, if it had any.
    public var population: PopulationWeights? = nil
}

/// A run with its swept parameters in sweep-axis order.
public struct StoredRunSummary: Sendable, Equatable {
    public var id: Int64
    public var runIndex: Int
    /// `(name, value)` of every swept parameter, `seed` included when it is swept.
    public var parameters: [StoredParameter]
    public var seed: UInt64
    /// `passed`, `failed` or `error`.
    public var outcome: String
    public var error: String?
    public var wallMilliseconds: Double
    public var simulatedMilliseconds: Double

    /// The value of parameter `name`, if the run has it.
    public func value(of name: String) -> String? { parameters.first { $0.name == name }?.value }
}

/// One swept parameter's value of a run.
public struct StoredParameter: Sendable, Equatable {
    public var name: String
    public var value: String
}

/// An ICE session's outcome as stored.
/// A session with the run and sweep it belongs to (`ResultStore.sessionCells`).
public struct StoredSessionCell: Sendable, Equatable {
    /// `simulator` or `netns`.
    public var backend: String
    public var scenarioName: String
    public var scenarioHash: String
    /// The run's swept parameters (its key form) and seed.
    public var parameters: String
    public var seed: UInt64
    public var session: StoredSession
}

public struct StoredSession: Sendable, Equatable {
    public var runID: Int64
    public var name: String
    public var connected: Bool
    /// Both agents connected (a usable pair: a browser's "connected"), from the session's
    /// start; nil when not connected or recorded before schema version 2.
    public var connectedMilliseconds: Double?
    /// Both agents' selected pairs nominated, from the session's start.
    public var nominatedMilliseconds: Double?
    public var localType: String?
    public var remoteType: String?
    public var transport: String?
    public var relayUsed: Bool
    /// How the selected pair's relays reached their TURN servers (`SessionResult.relayProtocol`);
    /// nil without relay or before schema version 4.
    public var relayProtocol: String? = nil
    /// The DTLS handshake's state (`SessionResult.dtlsState`); nil without DTLS or before
    /// schema version 5.
    public var dtlsState: String? = nil
    /// Both DTLS endpoints connected, from the session's start.
    public var dtlsMilliseconds: Double? = nil
    /// The first media frame received whole, from the session's start.
    public var firstMediaMilliseconds: Double? = nil
    /// Why the DTLS handshake failed.
    public var dtlsFailure: String? = nil
    /// The offerer's first offer until it applied an answer (`SessionResult.signalingTime`);
    /// nil when no answer arrived or before schema version 7.
    public var signalingMilliseconds: Double? = nil

    /// The path as reports group it (`SessionPath`): `direct`, `direct/tcp` over ICE-TCP,
    /// or `relayed` with the relay's transport to its server when that is not UDP
    /// (`relayed/tls`).
    public var path: String? {
        SessionPath.name(connected: connected, relayUsed: relayUsed, transport: transport, relayProtocol: relayProtocol)
    }
}

/// One expectation's result of a run.
public struct StoredExpectation: Sendable, Equatable {
    public var runID: Int64
    public var expectation: String
    public var passed: Bool
    public var message: String
}

/// A timestamped event of a run.
public struct StoredEvent: Sendable, Equatable {
    public var timeMilliseconds: Double
    public var session: String?
    public var source: String
    public var kind: String
    public var detail: String
}

/// A gathered candidate of a run's session.
public struct StoredCandidate: Sendable, Equatable {
    public var session: String
    public var agent: String
    public var type: String
    public var transport: String
    public var address: String
    public var timeMilliseconds: Double
}

/// A candidate pair's final state on one agent of a run's session.
public struct StoredPair: Sendable, Equatable {
    public var session: String
    public var agent: String
    public var localType: String
    public var remoteType: String
    public var local: String
    public var remote: String
    public var state: String
    public var nominated: Bool
}

/// One sample of a run's time series.
public struct StoredSample: Sendable, Equatable {
    public var session: String?
    public var name: String
    public var timeMilliseconds: Double
    public var value: Double
}

/// Mean, maximum and sum of one series of one run (aggregated in SQL, so that a summary
/// over thousands of runs does not read every sample; the sum totals count series such
/// as packets lost).
public struct StoredSeriesAggregate: Sendable, Equatable {
    public var runID: Int64
    public var name: String
    public var mean: Double
    public var maximum: Double
    public var count: Int
    public var sum: Double
}

/// A link direction as stored (`links`); queueing delays in ms.
public struct StoredLink: Sendable, Equatable {
    public var runID: Int64
    public var link: String
    public var direction: String
    public var aqm: String
    public var sentPackets: Int
    public var deliveredPackets: Int
    public var droppedLoss: Int
    public var droppedQueue: Int
    public var droppedAQM: Int
    public var droppedOther: Int
    public var ceMarked: Int
    public var queueDelayP50: Double?
    public var queueDelayP95: Double?
}

/// A connection of TCP cross traffic as stored (`tcp_flows`).
public struct StoredTCPFlow: Sendable, Equatable {
    public var runID: Int64
    public var flow: String
    public var kind: String
    public var congestionControl: String
    public var transfer: Int
    public var startMilliseconds: Double
    public var completedMilliseconds: Double?
    public var endMilliseconds: Double
    public var sizeBytes: Int64?
    public var deliveredBytes: Int64
    public var retransmissions: Int
}

/// A data channel as stored (`data_channels`); times in ms from the session's start,
/// goodput in bit/s, latencies in ms.
public struct StoredDataChannel: Sendable, Equatable {
    public var runID: Int64
    public var session: String
    public var label: String
    public var kind: String
    public var direction: String
    public var ordered: Bool
    public var reliability: String
    public var openMilliseconds: Double?
    public var bytesSent: Int64
    public var bytesDelivered: Int64
    public var completedMilliseconds: Double?
    public var goodput: Double?
    public var latencyP50: Double?
    public var latencyP95: Double?
    public var latencyP99: Double?
    public var messagesSent: Int
    public var messagesDelivered: Int
    public var messagesAbandoned: Int
    public var messagesOutOfOrder: Int
    public var retransmissions: Int
}
