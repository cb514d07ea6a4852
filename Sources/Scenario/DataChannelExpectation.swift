import NetTypes
import Records

/// A condition on a session's data channel (`expect:` entries with `channel`): how soon it
/// opened, how soon a file arrived whole, its message latency, or the share delivered.
public struct DataChannelExpectation: Sendable {
    public enum Check: Sendable, Equatable {
        /// `channel_open_ms` at most this.
        case openWithin(Duration)
        /// The file transfer completed (`completed_ms`) within this of the session's start.
        case transferWithin(Duration)
        /// The 95th percentile of the message latency below this.
        case latencyP95Below(Duration)
        /// Messages delivered over messages sent at least this share.
        case deliveredAtLeast(Double)
    }

    public var session: String
    public var channel: String
    public var check: Check
    public var location: SourceLocation
    public var sessionLocation: SourceLocation
    public var channelLocation: SourceLocation

    public static let checks = ["open-within", "transfer-within", "latency-p95-below", "delivered-at-least"]
    public static let keys = ["session", "channel"] + checks

    /// Whether `node` is a data channel expectation (it names a channel).
    static func applies(to node: YAMLNode) -> Bool {
        guard let entries = try? node.mapping() else { return false }
        return entries.contains { $0.key == "channel" }
    }

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: Self.keys)
        let s = try f.required("session"), c = try f.required("channel")
        session = try s.string()
        channel = try c.string()
        sessionLocation = s.location
        channelLocation = c.location
        let present = Self.checks.filter { f.has($0) }
        guard present.count == 1, let value = f.optional(present[0]) else {
            throw node.error("a data channel expectation has exactly one of \(Self.checks.joined(separator: ", "))")
        }
        switch present[0] {
        case "open-within": check = .openWithin(try value.duration())
        case "transfer-within": check = .transferWithin(try value.duration())
        case "latency-p95-below": check = .latencyP95Below(try value.duration())
        default: check = .deliveredAtLeast(try MediaExpectation.share(value))
        }
    }

    /// The expectation as written, for reports and messages.
    var description: String {
        let check: String
        switch self.check {
        case .openWithin(let d): check = "open-within: \(d)"
        case .transferWithin(let d): check = "transfer-within: \(d)"
        case .latencyP95Below(let d): check = "latency-p95-below: \(d)"
        case .deliveredAtLeast(let share): check = "delivered-at-least: \(MediaExpectations.percent(share))"
        }
        return "{ session: \(session), channel: \(channel), \(check) }"
    }

    /// Checks the expectation against the run's channels.
    func evaluate(_ channels: [DataChannelResult]) -> ExpectationResult {
        func verdict(_ passed: Bool, _ message: String) -> ExpectationResult {
            ExpectationResult(description: description, passed: passed, message: "channel '\(channel)' of '\(session)': " + message)
        }
        guard let c = channels.first(where: { $0.session == session && $0.label == channel }) else {
            return verdict(false, "not in the results")
        }
        switch check {
        case .openWithin(let limit):
            guard let open = c.openTime else { return verdict(false, "never opened (within \(Expectations.milliseconds(limit)))") }
            return verdict(open <= limit, "open after \(Expectations.milliseconds(open)) (within \(Expectations.milliseconds(limit)))")
        case .transferWithin(let limit):
            guard let done = c.completedTime else {
                return verdict(false, "transfer incomplete, \(c.bytesDelivered) of \(c.bytesSent) bytes sent delivered (within \(Expectations.milliseconds(limit)))")
            }
            return verdict(done <= limit, "transfer complete after \(Expectations.milliseconds(done)) (within \(Expectations.milliseconds(limit)))")
        case .latencyP95Below(let limit):
            guard let p95 = c.latencyP95 else { return verdict(false, "no message delivered") }
            return verdict(p95 < limit.milliseconds, "p95 latency \(Expectations.milliseconds(p95)) (below \(Expectations.milliseconds(limit)))")
        case .deliveredAtLeast(let share):
            guard c.messagesSent > 0 else { return verdict(false, "no message sent") }
            let delivered = Double(c.messagesDelivered) / Double(c.messagesSent)
            return verdict(delivered >= share, "delivered \(c.messagesDelivered) of \(c.messagesSent) messages, "
                           + "\(MediaExpectations.percent(delivered)) (at least \(MediaExpectations.percent(share)))")
        }
    }
}
