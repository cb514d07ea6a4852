import Foundation
import NetTypes
import Records
import STUN
import Simulator

/// Runs one scenario (one point of a sweep) as its own deterministic simulation and
/// collects everything the results store records.
public enum ScenarioRunner {
    /// Options that do not change results.
    public struct Options: Sendable {
        /// Write a pcap of every link here (one file per run and link).
        public var pcapDirectory: String?
        /// Write the RTP log of RFC 8868 §3.1 here: one file per run, media flow and
        /// direction (`RTPLogFiles`).
        public var rtpLogDirectory: String?

        public init(pcapDirectory: String? = nil, rtpLogDirectory: String? = nil) {
            self.pcapDirectory = pcapDirectory
            self.rtpLogDirectory = rtpLogDirectory
        }
    }

    public static func run(index: Int, point: SweepPoint, scenario: Scenario, options: Options = Options()) -> RunResult {
        let start = ContinuousClock.now
        let simulation = Simulation(seed: scenario.seed)
        var result = RunResult(runIndex: index, parameters: point, seed: scenario.seed, outcome: .passed, wallSeconds: 0,
                               simulatedTime: scenario.duration, simulatorEvents: 0)
        do {
            let network = try SimulatedNetwork(scenario.network, simulation: simulation)
            let captures = try startCaptures(network, index: index, options: options)
            let servers = try ServerSet(scenario.network.servers, network: network)
            let log = EventLog(simulation: simulation)
            let crossTraffic = try CrossTraffic(scenario.crossTraffic, network: network)
            let sessions = try scenario.sessions.map { spec throws(ScenarioError) in
                try SessionRunner(spec, network: network, servers: servers, log: log) { media, fromOfferer in
                    guard let link = media.bottleneck, let ends = scenario.linkEnds(link) else { return nil }
                    let (sender, receiver) = fromOfferer ? (spec.offerer, spec.answerer) : (spec.answerer, spec.offerer)
                    let asWritten = FlowPath.crossesAsWritten(ends, sender: sender, receiver: receiver, network: scenario.network)
                    return network.direction(link, reversed: !asWritten)
                }
            }
            Timeline.schedule(scenario.timeline, network: network, sessions: sessions, log: log)
            let flows = sessions.flatMap { $0.media?.flows ?? [] }
            if options.rtpLogDirectory != nil { for flow in flows { flow.recordsRTPLog = true } }
            simulation.run(until: .zero + scenario.duration)
            crossTraffic.endOfRun()
            for session in sessions { session.endOfRun() }
            for capture in captures { try? capture.writer.close() }
            if let directory = options.rtpLogDirectory { try RTPLogFiles.write(flows, run: index, to: directory) }
            crossTraffic.record(into: log)
            result.sessions = sessions.map { $0.result() }
            result.events = log.records
            let blocks = Self.portBlockEvents(network)
            if !blocks.isEmpty {
                // Stable by time: events of the same instant keep their order.
                result.events = (result.events + blocks).enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
            }
            result.series = sessions.flatMap(\.series) + crossTraffic.series
            result.tcpFlows = crossTraffic.connections
            result.dataChannels = sessions.flatMap(\.dataChannels)
            result.links = network.linkResults(scenario.network)
            result.expectations = Self.sessionExpectations(scenario, network: network, sessions: result.sessions, events: result.events)
            let flowSeries = Dictionary(uniqueKeysWithValues: sessions.map { ($0.name, $0.flowSeries) })
            let tcpGoodput = Dictionary(grouping: crossTraffic.series.filter { $0.name == TCPSeries.goodput }) { $0.session ?? "" }
                .mapValues { $0.map { (time: $0.time, value: $0.value) } }
            result.expectations += scenario.mediaExpectations.map { MediaExpectations.evaluate($0, flows: flowSeries, tcpGoodput: tcpGoodput) }
            result.expectations += scenario.dataChannelExpectations.map { $0.evaluate(result.dataChannels) }
            if result.expectations.contains(where: { !$0.passed }) { result.outcome = .failed }
        } catch {
            result.outcome = .error
            result.errorMessage = "\(error)"
        }
        result.simulatorEvents = simulation.eventsProcessed
        let elapsed = ContinuousClock.now - start
        result.wallSeconds = elapsed.inSeconds
        return result
    }

    /// Every port block the run's NATs assigned and released (RFC 7422 §2's log), as
    /// network events: `NAT assigned|released SUBSCRIBER EXTERNAL:LOW-HIGH`.
    static func portBlockEvents(_ network: SimulatedNetwork) -> [TimelineRecord] {
        network.nats.sorted { $0.key < $1.key }.flatMap { name, nat in
            nat.portBlockLog.map { event in
                TimelineRecord(time: event.time - .zero, session: nil, source: "network", kind: "port-block",
                               detail: "\(name) \(event.assigned ? "assigned" : "released") \(event.subscriber) "
                                   + "\(event.external):\(event.ports.lowerBound)-\(event.ports.upperBound)")
            }
        }
    }

    /// The session expectations (`expect:`) of `scenario` judged on `sessions` and
    /// `events`; `traversal: predicted` compares with the behavior of `network`'s NATs.
    /// Shared with backends that run the sessions elsewhere (network namespaces).
    public static func sessionExpectations(_ scenario: Scenario, network: SimulatedNetwork, sessions: [SessionResult],
                                           events: [TimelineRecord]) -> [ExpectationResult] {
        let predictions = Self.predictions(scenario, network: network)
        return scenario.expectations.map { Expectations.evaluate($0, sessions: sessions, events: events, predictions: predictions) }
    }

    /// The predicted traversal outcome of every session (see `TraversalPrediction`), from
    /// the behavior of the NATs as built.
    static func predictions(_ scenario: Scenario, network: SimulatedNetwork) -> [String: TraversalPrediction.Outcome] {
        func behavior(of host: String) -> [NATBehavior] {
            scenario.network.chain(of: host).compactMap { network.nats[$0]?.behavior }
        }
        var result: [String: TraversalPrediction.Outcome] = [:]
        for session in scenario.sessions {
            let hasTURN = session.iceServers.contains { entry in scenario.network.servers.contains { $0.name == entry.name && $0.kind == .turn } }
            result[session.name] = TraversalPrediction.outcome(offerer: behavior(of: session.offerer), answerer: behavior(of: session.answerer),
                                                               hasTURN: hasTURN, relayOnly: session.policy == .relay)
        }
        return result
    }

    static func startCaptures(_ network: SimulatedNetwork, index: Int, options: Options) throws -> [PcapCapture] {
        guard let directory = options.pcapDirectory else { return [] }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try network.simulation.links.map { link in
            try network.simulation.capture(link, to: "\(directory)/run\(index)-\(link.name).pcap")
        }
    }
}
