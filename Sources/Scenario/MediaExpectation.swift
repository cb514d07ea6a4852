import NetTypes
import Records

/// A condition on media flows (`expect:` entries with `flow`, `sessions` or a media check):
/// utilisation of the bottleneck, queuing delay, ramp-up time, loss, or fairness between
/// sessions. Metrics come from the flows' time series (`FlowSeries`).
public struct MediaExpectation: Sendable {
    public enum Check: Sendable {
        /// Mean received rate / mean capacity of the bottleneck over the window.
        case utilization(window: TimeWindow, atLeast: Double)
        /// 95th percentile of the queuing delay samples in the window.
        case queueDelayP95(window: TimeWindow, below: Duration)
        /// From the flow's start until the target rate first reaches `share` of the capacity.
        case timeToRate(share: Double, within: Duration)
        /// Packets lost over packets expected over the whole flow (`FlowSeries.loss(in:)`).
        case lossBelow(Double)
        /// Jain's index over the mean received rates of flow `flow` of each session in the window.
        case fairness(window: TimeWindow, atLeast: Double)
    }

    /// One session, or several for fairness.
    public var sessions: [String]
    /// The flow of each session (index in the order of `media:` entries, `both` counting
    /// twice): `flow: N` for all, or a list with one index per session.
    public var flows: [Int]
    public var check: Check
    public var location: SourceLocation
    public var sessionLocations: [SourceLocation]
    public var flowLocation: SourceLocation?

    /// Keys that make an `expect:` entry a media expectation.
    public static let markers = ["flow", "sessions", "utilization-after", "queue-delay-p95", "time-to-rate", "loss-below",
                                 "fairness-at-least"]
    public static let keys = ["session"] + markers + ["from", "to"]
    static let checks = ["utilization-after", "queue-delay-p95", "time-to-rate", "loss-below", "fairness-at-least"]

    /// Whether `node` is a media expectation (it names a flow, several sessions or a media check).
    static func applies(to node: YAMLNode) -> Bool {
        guard let entries = try? node.mapping() else { return false }
        return entries.contains { markers.contains($0.key) }
    }

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: MediaExpectation.keys)
        let present = MediaExpectation.checks.filter { f.has($0) }
        guard present.count == 1, let checkNode = f.optional(present[0]) else {
            throw node.error("a media expectation has exactly one of \(MediaExpectation.checks.joined(separator: ", "))")
        }
        if present[0] == "fairness-at-least" {
            let list = try f.required("sessions")
            let items = try list.sequence()
            guard items.count >= 2 else { throw list.error("fairness compares at least two sessions") }
            sessions = try items.map { item throws(ScenarioError) in try item.string() }
            sessionLocations = items.map(\.location)
            if f.has("session") { throw try f.required("session").error("fairness names 'sessions', not 'session'") }
        } else {
            if let list = f.optional("sessions") { throw list.error("'sessions' is for fairness-at-least; name one 'session'") }
            let s = try f.required("session")
            sessions = [try s.string()]
            sessionLocations = [s.location]
        }
        flowLocation = f.optional("flow")?.location
        if let list = f.optional("flow"), list.isSequence {
            let items = try list.sequence()
            guard items.count == sessions.count else { throw list.error("flow lists one index per session (\(sessions.count)), found \(items.count)") }
            flows = try items.map { item throws(ScenarioError) in try item.int(in: 0...1000) }
        } else {
            flows = Array(repeating: try f.optional("flow")?.int(in: 0...1000) ?? 0, count: sessions.count)
        }
        for key in ["from", "to"] where present[0] != "fairness-at-least" && f.has(key) {
            throw try f.required(key).error("'\(key)' belongs inside \(present[0]) (only fairness-at-least takes it beside)")
        }
        switch present[0] {
        case "utilization-after":
            let g = try checkNode.fields(allowed: ["from", "to", "at-least"])
            check = .utilization(window: try TimeWindow(g), atLeast: try MediaExpectation.share(g.required("at-least")))
        case "queue-delay-p95":
            let g = try checkNode.fields(allowed: ["from", "to", "below"])
            check = .queueDelayP95(window: try TimeWindow(g), below: try g.required("below").duration())
        case "time-to-rate":
            let g = try checkNode.fields(allowed: ["share", "within"])
            check = .timeToRate(share: try MediaExpectation.share(g.required("share")), within: try g.required("within").duration())
        case "loss-below":
            check = .lossBelow(try checkNode.percentage())
        default:
            check = .fairness(window: try TimeWindow(f), atLeast: try MediaExpectation.share(checkNode))
        }
    }

    /// A fraction written as `80%` or `0.8`.
    static func share(_ node: YAMLNode) throws(ScenarioError) -> Double {
        let text = try node.string()
        let value = text.hasSuffix("%") ? try node.percentage() : try node.double()
        guard (0...1).contains(value) else { throw node.error("expected a share between 0 and 1 (or 0% and 100%), found '\(text)'") }
        return value
    }

    /// Whether the check needs the flow's bottleneck capacity.
    var needsCapacity: Bool {
        switch check {
        case .utilization, .timeToRate: return true
        default: return false
        }
    }
}

extension TimeWindow {
    /// The window of an expectation's `from`/`to` keys.
    init(_ f: Fields) throws(ScenarioError) {
        self.init(from: try f.optional("from")?.duration() ?? .zero, to: try f.optional("to")?.duration())
        if let to, to <= from { throw try f.required("to").error("to (\(to)) must be after from (\(from))") }
    }
}
