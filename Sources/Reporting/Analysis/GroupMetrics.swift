import Results

/// ICE outcome figures of a group of sessions: what the matrix, the connect-time table
/// and the comparison report per group.
public struct GroupMetrics: Sendable, Equatable {
    public var sessions: Int
    public var connected: Int
    /// Connected sessions that used a TURN relay.
    public var relayed: Int
    /// Connect times of connected sessions, ascending, in milliseconds: `connected_ms`,
    /// until both agents had a usable pair (a browser's "connected").
    public var connectTimes: [Double]
    /// Nomination times of connected sessions, ascending, in milliseconds (`nominated_ms`).
    public var nominationTimes: [Double]

    public init(_ sessions: [StoredSession]) {
        self.sessions = sessions.count
        connected = sessions.count { $0.connected }
        relayed = sessions.count { $0.connected && $0.relayUsed }
        connectTimes = sessions.compactMap { $0.connected ? $0.connectedMilliseconds : nil }.sorted()
        nominationTimes = sessions.compactMap { $0.connected ? $0.nominatedMilliseconds : nil }.sorted()
    }

    /// Connected share of the sessions, 0...1 (nil without sessions).
    public var successRate: Double? { sessions == 0 ? nil : Double(connected) / Double(sessions) }
    /// Relayed share of the connected sessions, 0...1 (nil without connected sessions).
    public var relayShare: Double? { connected == 0 ? nil : Double(relayed) / Double(connected) }
    public var medianConnect: Double? { Percentiles.quantile(connectTimes, 0.5) }
    public var p95Connect: Double? { Percentiles.quantile(connectTimes, 0.95) }
    public var medianNominated: Double? { Percentiles.quantile(nominationTimes, 0.5) }
}
