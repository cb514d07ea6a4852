import ICE
import NetTypes
import STUN
import Simulator

/// alice — r1 — r2 — bob, with a STUN server and a fake relay behind r2; no NAT. Each
/// agent runs in a `SimCoreDriver`; signalling (credentials, trickled candidates,
/// end-of-candidates) is delivered by scheduled closures after `signallingDelay`.
final class ICETestbed {
    let simulation: Simulation
    let aliceLink: Link
    let bobLink: Link
    let stun: Endpoint
    let relay: Endpoint
    let relayServer: SimCoreDriver<FakeRelayServer>
    var alice: ICEPeer!
    var bob: ICEPeer!

    static func ip(_ text: String) -> IPAddress { try! IPAddress(parsing: text) }
    static func addrs(_ texts: String...) -> [InterfaceAddress] { texts.map { try! InterfaceAddress(parsing: $0) } }

    init(seed: UInt64 = 1, aliceLinkConfig: LinkConfig = LinkConfig(latency: .milliseconds(5)), ipv6: Bool = false) {
        simulation = Simulation(seed: seed)
        let aliceHost = Host(simulation: simulation, name: "alice")
        let bobHost = Host(simulation: simulation, name: "bob")
        let stunHost = Host(simulation: simulation, name: "stun")
        let relayHost = Host(simulation: simulation, name: "relay")
        let r1 = Router(simulation: simulation, name: "r1")
        let r2 = Router(simulation: simulation, name: "r2")
        let edge = LinkConfig(latency: .milliseconds(5))
        aliceLink = simulation.connect(aliceHost, r1, config: aliceLinkConfig,
                                       addressesA: ipv6 ? Self.addrs("10.0.1.2/24", "2001:db8:1::2/64") : Self.addrs("10.0.1.2/24"),
                                       addressesB: Self.addrs("10.0.1.1/24", "2001:db8:1::1/64"))
        simulation.connect(r1, r2, config: LinkConfig(latency: .milliseconds(10)),
                           addressesA: Self.addrs("10.0.0.1/30", "2001:db8::1/64"), addressesB: Self.addrs("10.0.0.2/30", "2001:db8::2/64"))
        bobLink = simulation.connect(r2, bobHost, config: edge,
                                     addressesA: Self.addrs("10.0.2.1/24", "2001:db8:2::1/64"),
                                     addressesB: ipv6 ? Self.addrs("10.0.2.2/24", "2001:db8:2::2/64") : Self.addrs("10.0.2.2/24"))
        simulation.connect(r2, stunHost, config: edge, addressesA: Self.addrs("10.0.3.1/24"), addressesB: Self.addrs("10.0.3.2/24"))
        simulation.connect(r2, relayHost, config: edge, addressesA: Self.addrs("10.0.4.1/24"), addressesB: Self.addrs("10.0.4.2/24"))
        for host in [aliceHost, bobHost, stunHost, relayHost] { host.routes.addDefault(interface: 0) }
        r1.routes.addDefault(interface: 1)
        r2.routes.add(try! IPPrefix(parsing: "10.0.1.0/24"), interface: 0)
        r2.routes.add(try! IPPrefix(parsing: "2001:db8:1::/64"), interface: 0)

        stun = Endpoint(Self.ip("10.0.3.2"), 3478)
        let stunServer = SimCoreDriver(host: stunHost, core: STUNServer(configuration: STUNServerConfiguration(primary: stun)))
        try! stunServer.bind(stun)
        stunServers = [stunServer]

        relay = Endpoint(Self.ip("10.0.4.2"), 3478)
        let pool = (0..<8).map { Endpoint(Self.ip("10.0.4.2"), 50_000 + UInt16($0)) }
        relayServer = SimCoreDriver(host: relayHost, core: FakeRelayServer(listen: relay, pool: pool))
        for endpoint in [relay] + pool { try! relayServer.bind(endpoint) }
    }

    private var stunServers: [SimCoreDriver<STUNServer>] = []

    /// A configuration with this network's STUN server and relay.
    func configuration(_ adjust: (inout ICEConfiguration) -> Void = { _ in }) -> ICEConfiguration {
        var c = ICEConfiguration()
        c.stunServers = [stun]
        c.relayServers = [ICERelayServer(endpoint: relay, username: "user", password: "pass")]
        adjust(&c)
        return c
    }

    /// Creates both agents, wires signalling and starts them at the current time.
    func start(alice aliceConfig: ICEConfiguration, aliceRole: ICERole = .controlling,
               bob bobConfig: ICEConfiguration, bobRole: ICERole = .controlled,
               signallingDelay: Duration = .milliseconds(20), trickleStep: Duration = .zero) {
        alice = ICEPeer(name: "alice", host: aliceLink.a as! Host, configuration: aliceConfig, role: aliceRole, testbed: self)
        bob = ICEPeer(name: "bob", host: bobLink.b as! Host, configuration: bobConfig, role: bobRole, testbed: self)
        for (peer, other) in [(alice!, bob!), (bob!, alice!)] {
            peer.remote = other
            peer.signallingDelay = signallingDelay
            peer.trickleStep = trickleStep
        }
        alice.start()
        bob.start()
        alice.signalCredentials()
        bob.signalCredentials()
    }

    /// Restarts both agents and exchanges the new credentials.
    func restartBoth() {
        alice.driver.withCore { agent, now in agent.restart(now: now) }
        bob.driver.withCore { agent, now in agent.restart(now: now) }
        alice.signalCredentials()
        bob.signalCredentials()
    }
}

/// One agent in the testbed with its event log and what it received.
final class ICEPeer {
    let name: String
    let driver: SimCoreDriver<ICEAgent>
    unowned let testbed: ICETestbed
    unowned var remote: ICEPeer!
    var signallingDelay = Duration.milliseconds(20)
    var trickleStep = Duration.zero
    private var trickled = 0
    private(set) var events: [ICEEvent] = []
    private(set) var received: [[UInt8]] = []

    init(name: String, host: Host, configuration: ICEConfiguration, role: ICERole, testbed: ICETestbed) {
        self.name = name
        self.testbed = testbed
        let agent = ICEAgent(configuration: configuration, role: role, rng: testbed.simulation.randomStream(for: "ice:" + name),
                             relayFactory: FakeRelayClient.make)
        driver = SimCoreDriver(host: host, core: agent)
        driver.onEvent = { [unowned self] event, _ in handle(event) }
    }

    var agent: ICEAgent { driver.core }
    var state: ICEConnectionState { agent.connectionState }
    var log: [String] { events.filter { if case .data = $0.kind { false } else { true } }.map(\.description) }
    var states: [ICEConnectionState] {
        events.compactMap { if case .connectionStateChanged(let s) = $0.kind { s } else { nil } }
    }
    func firstTime(of state: ICEConnectionState) -> Instant? {
        events.first { $0.kind == .connectionStateChanged(state) }?.time
    }

    /// Binds a socket per interface address and component, then starts gathering.
    func start() {
        let components = agent.configuration.components
        var bases: [ICEHostBase] = []
        for address in driver.host.interfaces.flatMap({ $0.addresses.map(\.address) }) {
            for component in 1...components {
                bases.append(ICEHostBase(endpoint: try! driver.bind(Endpoint(address, 0)), component: component))
            }
        }
        driver.withCore { agent, now in agent.startGathering(hostBases: bases, now: now) }
    }

    func signalCredentials() {
        let credentials = agent.localCredentials
        let lite = agent.configuration.isLite
        deliver(after: signallingDelay) { agent, now in agent.setRemoteCredentials(credentials, isLite: lite, now: now) }
    }

    func send(_ bytes: [UInt8]) -> Bool { driver.withCore { agent, now in agent.send(bytes, component: 1, now: now) } }

    private func handle(_ event: ICEEvent) {
        events.append(event)
        switch event.kind {
        case .candidateGathered(let candidate):
            trickled += 1
            let delay = signallingDelay + trickleStep * Int64(trickled)
            deliver(after: delay) { agent, now in agent.addRemoteCandidate(candidate, now: now) }
        case .gatheringStateChanged(.complete):
            deliver(after: signallingDelay + trickleStep * Int64(trickled + 1)) { agent, now in agent.endOfRemoteCandidates(now: now) }
        case .data(_, let bytes, _):
            received.append(bytes)
        default:
            break
        }
    }

    /// Runs `body` on the remote agent after `delay` (the signalling channel).
    private func deliver(after delay: Duration, _ body: @escaping (inout ICEAgent, Instant) -> Void) {
        let target = remote.driver
        testbed.simulation.schedule(after: delay) { _ in target.withCore(body) }
    }
}
