import NetTypes
import Netns
import STUN
import Simulator
import Testing

/// RFC 5780 behavior discovery (the real STUN client and server cores) from behind every
/// simulated NAT configuration must classify it exactly as configured.
@Suite struct NATDiscoveryInSimulationTests {
    static let dependences: [EndpointDependence] = [.endpointIndependent, .addressDependent, .addressAndPortDependent]

    static var combinations: [(String, NATBehavior)] {
        var all: [(String, NATBehavior)] = []
        for m in dependences {
            for f in dependences {
                all.append(("\(m)/\(f)", NATBehavior(mapping: m, filtering: f)))
                var noHairpin = NATBehavior(mapping: m, filtering: f, portAssignment: .random)
                noHairpin.hairpinning = .disabled
                all.append(("\(m)/\(f) random ports, no hairpin", noHairpin))
            }
        }
        return all + NATBehavior.presets.map { ("preset \($0.name)", $0.behavior) }
    }

    static func expectedMapping(_ d: EndpointDependence) -> NATMappingBehavior {
        switch d {
        case .endpointIndependent: return .endpointIndependent
        case .addressDependent: return .addressDependent
        case .addressAndPortDependent: return .addressAndPortDependent
        }
    }

    static func expectedFiltering(_ d: EndpointDependence) -> NATFilteringBehavior {
        switch d {
        case .endpointIndependent: return .endpointIndependent
        case .addressDependent: return .addressDependent
        case .addressAndPortDependent: return .addressAndPortDependent
        }
    }

    /// RFC 5780 §4.5 sees hairpinning only when the looped-back request passes the
    /// mapping's filter: with endpoint-dependent mapping the request leaves through a new
    /// mapping (a new external port), which an endpoint-dependent filter has not been
    /// opened for — as on real NATs, where hairpinning then needs endpoint-independent
    /// filtering (docs/nat.md).
    static func observableHairpinning(_ behavior: NATBehavior) -> Bool {
        behavior.hairpinning != .disabled && (behavior.mapping == .endpointIndependent || behavior.filtering == .endpointIndependent)
    }

    /// Runs discovery from a host behind `behavior` (behind a second NAT when `chained`).
    static func discover(_ behavior: NATBehavior, seed: UInt64 = 1, chainedBehind outer: NATBehavior? = nil) throws -> NATBehaviorReport {
        try #require(try SimulatedNATDiscovery.run(behavior, seed: seed, behind: outer))
    }

    @Test(arguments: combinations.map(\.0))
    func discoveryClassifiesEveryNATExactly(name: String) throws {
        let behavior = Self.combinations.first { $0.0 == name }!.1
        let report = try Self.discover(behavior)
        #expect(report.mapping == Self.expectedMapping(behavior.mapping), "\(report)")
        #expect(report.filtering == Self.expectedFiltering(behavior.filtering), "\(report)")
        #expect(report.hairpinning == Self.observableHairpinning(behavior), "\(report)")
        #expect(report.classic == NATClassicType(mapping: Self.expectedMapping(behavior.mapping),
                                                 filtering: Self.expectedFiltering(behavior.filtering)))
    }

    @Test func noNATIsOpenInternet() throws {
        let simulation = Simulation(seed: 1)
        let topology = Topology(simulation: simulation)
        let serverHost = try topology.addHost("stun", addresses: 2)
        let v4 = serverHost.interfaces[0].addresses.map(\.address).filter { $0.family == .ipv4 }
        let config = STUNServerConfiguration(primary: Endpoint(v4[0], 3478), alternateAddress: v4[1], alternatePort: 3479)
        let server = SimCoreDriver(host: serverHost, core: STUNServer(configuration: config))
        for endpoint in config.localEndpoints { try server.bind(endpoint) }
        let clientHost = try topology.addHost("client")
        let local = Endpoint(clientHost.interfaces[0].addresses[0].address, 40000)
        let client = SimCoreDriver(host: clientHost, core: NATBehaviorDiscovery(local: local, server: config.primary,
                                                                               rng: simulation.randomStream(for: "d")))
        try client.bind(local)
        var report: NATBehaviorReport?
        client.onEvent = { event, _ in if case .finished(let r) = event { report = r } }
        client.withCore { core, now in core.start(now: now) }
        simulation.run(for: .seconds(60))
        #expect(report?.classic == .openInternet)
    }

    @Test func chainedNATsClassifyAsTheMostRestrictive() throws {
        // A full-cone home NAT behind a symmetric carrier NAT behaves as symmetric.
        let report = try Self.discover(.fullCone, chainedBehind: .symmetric)
        #expect(report.mapping == .addressAndPortDependent)
        #expect(report.filtering == .addressAndPortDependent)
    }
}
