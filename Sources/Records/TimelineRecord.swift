import NetTypes

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
