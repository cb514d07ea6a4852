import NetTypes
import STUN
import Simulator

/// RFC 5780 behavior discovery in a simulation: the real STUN server core on two
/// addresses, a host behind a NAT of `behavior` (behind a second one when `outer` is
/// given) running the real discovery core, its requests retransmitted from 100 ms. The
/// model's side of `NATAgreement`, and what `NATDiscoveryInSimulationTests` check every
/// configuration with.
public enum SimulatedNATDiscovery {
    /// The discovery's report, or nil if it never finished (60 s simulated).
    public static func run(_ behavior: NATBehavior, seed: UInt64 = 1, behind outer: NATBehavior? = nil) throws -> NATBehaviorReport? {
        let simulation = Simulation(seed: seed)
        let topology = Topology(simulation: simulation)
        let serverHost = try topology.addHost("stun", addresses: 2, link: LinkConfig(latency: .milliseconds(5)))
        let v4 = serverHost.interfaces[0].addresses.map(\.address).filter { $0.family == .ipv4 }
        let configuration = STUNServerConfiguration(primary: Endpoint(v4[0], 3478), alternateAddress: v4[1], alternatePort: 3479)
        let server = SimCoreDriver(host: serverHost, core: STUNServer(configuration: configuration))
        for endpoint in configuration.localEndpoints { try server.bind(endpoint) }
        let outerNAT = try outer.map { try topology.addNAT("carrier", behavior: $0, link: LinkConfig(latency: .milliseconds(5))) }
        let nat = try topology.addNAT("home", behavior: behavior, behind: outerNAT, link: LinkConfig(latency: .milliseconds(10)))
        let clientHost = try topology.addHost("client", behind: nat, link: LinkConfig(latency: .milliseconds(1)))
        let local = Endpoint(clientHost.interfaces[0].addresses[0].address, 40000)
        var transactions = STUNTransactionConfiguration()
        transactions.initialRTO = .milliseconds(100)
        let client = SimCoreDriver(host: clientHost, core: NATBehaviorDiscovery(local: local, server: configuration.primary,
                                                                               configuration: transactions,
                                                                               rng: simulation.randomStream(for: "discovery")))
        try client.bind(local)
        var report: NATBehaviorReport?
        client.onEvent = { event, _ in if case .finished(let finished) = event { report = finished } }
        client.withCore { core, now in core.start(now: now) }
        simulation.run(for: .seconds(60))
        return report
    }
}
