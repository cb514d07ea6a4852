import NetTypes

/// A validated scenario: one point of a sweep, ready to be built into a simulation.
public struct Scenario: Sendable {
    public var name: String
    public var description: String?
    public var seed: UInt64
    /// How long each run simulates.
    public var duration: Duration
    public var network: NetworkSpec
    public var sessions: [SessionSpec]
    public var timeline: [TimelineEvent]
    public var crossTraffic: [CrossTrafficSpec]
    public var expectations: [Expectation]
    public var mediaExpectations: [MediaExpectation]
    public var dataChannelExpectations: [DataChannelExpectation]

    /// The seed of a scenario that does not give one.
    public static let defaultSeed: UInt64 = 1

    /// Keys allowed at the top level of a scenario file.
    public static let topLevelKeys = ["name", "description", "seed", "duration", "network", "sessions", "timeline",
                                      "cross-traffic", "expect", "sweep", "population"]

    /// Decodes and validates a document (with sweep values already applied).
    public init(document: YAMLNode) throws(ScenarioError) {
        let fields = try document.fields(allowed: Scenario.topLevelKeys)
        name = try fields.required("name").string()
        guard !name.isEmpty else { throw try fields.required("name").error("the scenario name must not be empty") }
        description = try fields.optional("description")?.string()
        seed = try fields.optional("seed")?.uint64() ?? Scenario.defaultSeed
        duration = try fields.optional("duration")?.duration() ?? .seconds(30)
        if duration <= .zero { throw try fields.required("duration").error("duration must be positive") }
        network = try NetworkSpec(try fields.required("network"))
        sessions = try fields.optional("sessions")?.sequence().map { node throws(ScenarioError) in try SessionSpec(node) } ?? []
        timeline = try fields.optional("timeline")?.sequence().map { node throws(ScenarioError) in try TimelineEvent(node) } ?? []
        timeline += network.links.flatMap(\.capacitySchedule)
        crossTraffic = try fields.optional("cross-traffic")?.sequence().enumerated().map { entry throws(ScenarioError) in
            try CrossTrafficSpec(entry.element, index: entry.offset)
        } ?? []
        let expect = try fields.optional("expect")?.sequence() ?? []
        let channelChecks = expect.filter { DataChannelExpectation.applies(to: $0) }
        let others = expect.filter { !DataChannelExpectation.applies(to: $0) }
        expectations = try others.filter { !MediaExpectation.applies(to: $0) }.map { node throws(ScenarioError) in try Expectation(node) }
        mediaExpectations = try others.filter { MediaExpectation.applies(to: $0) }.map { node throws(ScenarioError) in try MediaExpectation(node) }
        dataChannelExpectations = try channelChecks.map { node throws(ScenarioError) in try DataChannelExpectation(node) }
        try validateReferences()
    }
}
