import Foundation
import NetTypes
import Records
import Scenario
import Simulator

/// `icelab run --backend netns`: one run of a scenario on real Linux networking. The
/// network becomes namespaces, veths and nftables rules (`NetnsTopology`), the servers
/// icelab's own `stun-server`/`turn-server` processes, each session two `ice-peer`
/// processes (`NetnsSessionRun`); the result is a `RunResult` like the simulator's, so the
/// same database, report and `icelab compare` take it. Runs in real time; everything is
/// torn down when the run ends, fails or is interrupted (`NetnsLabRegistry`).
public enum NetnsScenarioRunner {
    public struct Options: Sendable {
        /// The icelab executable started inside the namespaces.
        public var icelab: String

        public init(icelab: String) { self.icelab = icelab }
    }

    /// Checks that `scenario` can run on namespaces: its network (`NetnsTopology`) and
    /// its sessions. Positioned errors name what Linux or the live peers cannot do.
    public static func check(_ scenario: Scenario) throws(ScenarioError) {
        let network = try SimulatedNetwork(scenario.network, simulation: Simulation(seed: scenario.seed))
        _ = try NetnsTopology(scenario, network: network)
        try checkSessions(scenario)
    }

    static func checkSessions(_ scenario: Scenario) throws(ScenarioError) {
        if let event = scenario.timeline.first {
            throw ScenarioError(event.location, "the netns backend runs no timeline events (they change the network while it runs)")
        }
        if let traffic = scenario.crossTraffic.first {
            throw ScenarioError(traffic.location, "the netns backend runs no cross traffic")
        }
        if let media = scenario.mediaExpectations.first { throw ScenarioError(media.location, "the netns backend records no media") }
        if let data = scenario.dataChannelExpectations.first { throw ScenarioError(data.location, "the netns backend records no data channels") }
        for session in scenario.sessions {
            func refuse(_ what: String) -> ScenarioError {
                ScenarioError(session.location, "session '\(session.name)': the netns backend's peers cannot \(what)")
            }
            if session.trickle {
                throw refuse("trickle candidates: they signal whole descriptions, so write 'trickle: false' (the simulator then signals the same way)")
            }
            if session.policy == .relay { throw refuse("restrict themselves to relays (policy: relay)") }
            if session.lite != .none { throw refuse("run ICE lite") }
            if session.mdns != .none { throw refuse("hide host candidates behind mDNS names") }
            if session.tcpSimultaneousOpen { throw refuse("gather simultaneous-open TCP candidates") }
            if session.roleConflict { throw refuse("start both controlling (role-conflict)") }
            if session.nomination != .libwebrtc || session.ta != session.nomination.pacingInterval {
                throw refuse("change nomination or ta (they run libwebrtc's)")
            }
            if !session.media.isEmpty { throw refuse("send media") }
            if !session.data.isEmpty { throw refuse("open data channels") }
            if let dtls = session.dtls, dtls != .browser { throw refuse("change DTLS settings (they run a browser's; 'dtls: false' turns it off)") }
            let signaling = session.signaling
            if signaling.server != nil || signaling.loss > 0 || signaling.jitter > .zero || signaling.glare || signaling.resend != nil {
                throw refuse("signal through a server or a lossy channel (the runner hands descriptions over after 'delay')")
            }
            var kinds: Set<ServerSpec.Kind> = []
            for entry in session.iceServers {
                guard let server = scenario.network.servers.first(where: { $0.name == entry.name }) else { continue }
                if entry.transport != .udp { throw refuse("reach TURN over \(entry.transport) (ice-peer's TURN client runs over UDP)") }
                if !kinds.insert(server.kind).inserted { throw refuse("use more than one \(server.kind) server") }
            }
        }
    }

    /// Runs one point of a sweep; errors become an `error` run.
    public static func run(index: Int, point: SweepPoint, scenario: Scenario, options: Options) -> RunResult {
        let started = ContinuousClock.now
        var result = RunResult(runIndex: index, parameters: point, seed: scenario.seed, outcome: .passed, wallSeconds: 0,
                               simulatedTime: scenario.duration, simulatorEvents: 0)
        let lab = NetnsLab(prefix: "n\(getpid() % 1000)r\(index % 100)")
        NetnsLabRegistry.shared.add(lab)
        defer {
            lab.teardown()
            NetnsLabRegistry.shared.remove(lab)
        }
        do {
            let network = try SimulatedNetwork(scenario.network, simulation: Simulation(seed: scenario.seed))
            let topology = try NetnsTopology(scenario, network: network)
            try topology.build(in: lab)
            var events = topology.notEmulated.map {
                TimelineRecord(time: .zero, session: nil, source: "netns", kind: "not-emulated", detail: $0)
            }
            let servers = try startServers(scenario, topology: topology, lab: lab, options: options)
            let outcomes = runSessions(scenario, topology: topology, servers: servers, lab: lab, options: options)
            var sessions: [SessionResult] = []
            for outcome in outcomes {
                switch outcome {
                case .success(let (session, sessionEvents)):
                    sessions.append(session)
                    events += sessionEvents
                case .failure(let error): throw error
                }
            }
            result.sessions = sessions
            result.events = events.sorted { $0.time < $1.time }
            result.expectations = ScenarioRunner.sessionExpectations(scenario, network: network, sessions: sessions, events: result.events)
            if result.expectations.contains(where: { !$0.passed }) { result.outcome = .failed }
        } catch {
            result.outcome = .error
            result.errorMessage = "\(error)"
        }
        let elapsed = ContinuousClock.now - started
        result.wallSeconds = elapsed.inSeconds
        result.simulatedTime = .fromSeconds(result.wallSeconds)
        return result
    }

    /// Starts each STUN and TURN server in its namespace and waits until it listens;
    /// returns where each one answers.
    static func startServers(_ scenario: Scenario, topology: NetnsTopology, lab: NetnsLab,
                             options: Options) throws -> [String: Endpoint] {
        var endpoints: [String: Endpoint] = [:]
        let lifetime = String(Int(Double(scenario.duration.nanoseconds) / 1e9) * 4 + 60)
        for server in scenario.network.servers {
            guard let node = topology.nodes.first(where: { $0.name == server.name }), let address = node.addresses.first else { continue }
            let endpoint = Endpoint(address, UInt16(server.port))
            var arguments: [String]
            switch server.kind {
            case .stun:
                arguments = [options.icelab, "stun-server", "--listen", "\(endpoint)"]
                if server.alternate, node.addresses.count > 1 {
                    arguments += ["--alternate", "\(Endpoint(node.addresses[1], UInt16(server.port + 1)))"]
                }
            case .turn:
                // Relayed peers here have documentation and private addresses, which the
                // server's default policy refuses (RFC 8656 §21.2 advice for the internet).
                arguments = [options.icelab, "turn-server", "--listen", "\(endpoint)", "--realm", server.realm,
                             "--allow-peer", "0.0.0.0/0"]
                arguments += server.users.flatMap { ["--user", "\($0.name):\($0.password)"] }
                if server.tcp { arguments += ["--listen-tcp", "\(endpoint)"] }
            case .signaling:
                continue
            }
            let program = try lab.launch(arguments + ["--duration", lifetime], in: server.name)
            guard program.waitForDiagnostics(containing: "listening on", timeout: .seconds(30)) else {
                throw NetnsError.unexpectedOutput(command: arguments, output: program.diagnostics)
            }
            endpoints[server.name] = endpoint
        }
        return endpoints
    }

    /// Runs every session at its start time, in parallel as in the simulator.
    static func runSessions(_ scenario: Scenario, topology: NetnsTopology, servers: [String: Endpoint], lab: NetnsLab,
                            options: Options) -> [Result<(SessionResult, [TimelineRecord]), NetnsError>] {
        let phase = Swift.Duration.seconds(max(2, Double(scenario.duration.nanoseconds) / 1e9))
        let collected = SessionOutcomes(count: scenario.sessions.count)
        let group = DispatchGroup()
        let begin = ContinuousClock.now
        for (index, spec) in scenario.sessions.enumerated() {
            let run = NetnsSessionRun(
                spec: spec, lab: lab, icelab: options.icelab, phaseTimeout: phase,
                offererAddress: address(of: spec.offerer, topology), answererAddress: address(of: spec.answerer, topology),
                serverArguments: (serverArguments(spec, host: spec.offerer, scenario: scenario, servers: servers),
                                  serverArguments(spec, host: spec.answerer, scenario: scenario, servers: servers)))
            let start = Swift.Duration.nanoseconds(spec.start.nanoseconds)
            group.enter()
            Thread.detachNewThread {
                let wait = begin + start - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: wait.inSeconds) }
                collected.set(index, Result { () throws(NetnsError) in try run.run() })
                group.leave()
            }
        }
        group.wait()
        return collected.all
    }

    private static func address(of host: String, _ topology: NetnsTopology) -> IPAddress {
        topology.nodes.first { $0.name == host }?.addresses.first ?? .v4(.loopback)
    }

    /// `--stun` and `--turn` options for `host` in session `spec`.
    static func serverArguments(_ spec: SessionSpec, host: String, scenario: Scenario, servers: [String: Endpoint]) -> [String] {
        var arguments: [String] = []
        for entry in spec.iceServers {
            guard let server = scenario.network.servers.first(where: { $0.name == entry.name }), let endpoint = servers[entry.name] else { continue }
            switch server.kind {
            case .stun: arguments += ["--stun", "\(endpoint)"]
            case .turn:
                let user = server.users.first { $0.name == host } ?? server.users[0]
                arguments += ["--turn", "\(endpoint)", "--turn-user", "\(user.name):\(user.password)"]
            case .signaling: continue
            }
        }
        return arguments
    }
}

/// Session outcomes written by their threads.
private final class SessionOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [Result<(SessionResult, [TimelineRecord]), NetnsError>?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: Result<(SessionResult, [TimelineRecord]), NetnsError>) {
        lock.withLock { outcomes[index] = outcome }
    }

    var all: [Result<(SessionResult, [TimelineRecord]), NetnsError>] {
        lock.withLock { outcomes.compactMap { $0 } }
    }
}
