import NetTypes

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
