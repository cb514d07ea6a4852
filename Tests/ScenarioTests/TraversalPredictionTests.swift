import Simulator
import Testing
@testable import Scenario

/// `traversal: predicted` through chains of NATs (docs/nat.md): a chain maps as its most
/// endpoint-dependent NAT and filters as its most restrictive one.
@Suite struct TraversalPredictionTests {
    static func nat(_ mapping: EndpointDependence, _ filtering: EndpointDependence) -> NATBehavior {
        NATBehavior(mapping: mapping, filtering: filtering)
    }

    @Test func aChainMapsAsItsMostDependentNATAndFiltersAsItsMostRestrictive() {
        typealias B = TraversalPrediction.Behavior
        #expect(B(chain: []) == .open)
        #expect(B(chain: [Self.nat(.endpointIndependent, .endpointIndependent), Self.nat(.endpointIndependent, .addressAndPortDependent)])
                == B(mapping: .endpointIndependent, filtering: .addressAndPortDependent))
        #expect(B(chain: [Self.nat(.addressDependent, .addressAndPortDependent), Self.nat(.endpointIndependent, .endpointIndependent)])
                == B(mapping: .addressDependent, filtering: .addressAndPortDependent))
        #expect(B(chain: [Self.nat(.addressAndPortDependent, .endpointIndependent), Self.nat(.endpointIndependent, .addressDependent),
                          Self.nat(.addressDependent, .endpointIndependent)])
                == B(mapping: .addressAndPortDependent, filtering: .addressDependent))
        // An address-dependent filter on a mapping all the host's flows share admits the
        // peer from anywhere its checks went: behind an ISP router mapping per address and
        // filtering nothing, a restricted cone lets a peer's first check in.
        #expect(B(chain: [Self.nat(.endpointIndependent, .addressDependent), Self.nat(.addressDependent, .endpointIndependent)])
                == B(mapping: .addressDependent, filtering: .endpointIndependent))
        #expect(B(chain: [Self.nat(.endpointIndependent, .addressAndPortDependent), Self.nat(.addressDependent, .endpointIndependent)])
                == B(mapping: .addressDependent, filtering: .addressAndPortDependent))
    }

    @Test func chainsPredictAsTheirComposedBehavior() {
        let fullCone = Self.nat(.endpointIndependent, .endpointIndependent)
        let cgnat = Self.nat(.endpointIndependent, .addressAndPortDependent)
        let symmetric = Self.nat(.addressAndPortDependent, .addressAndPortDependent)
        // Full cone behind full cone is a full cone: direct even to a symmetric NAT.
        #expect(TraversalPrediction.outcome(offerer: [fullCone, fullCone], answerer: [symmetric], hasTURN: true, relayOnly: false) == .direct)
        // Behind a CGN filtering APD, the full cone filters APD: a symmetric peer needs the relay.
        #expect(TraversalPrediction.outcome(offerer: [fullCone, cgnat], answerer: [symmetric], hasTURN: true, relayOnly: false) == .relay)
        #expect(TraversalPrediction.outcome(offerer: [fullCone, cgnat], answerer: [symmetric], hasTURN: false, relayOnly: false) == .none)
        // nat-matrix: an address-dependent NAT meets a restricted cone behind an ISP router
        // as it meets one on its own.
        let restrictedCone = Self.nat(.endpointIndependent, .addressDependent), isp = Self.nat(.addressDependent, .endpointIndependent)
        #expect(TraversalPrediction.outcome(offerer: [Self.nat(.addressDependent, .addressDependent)], answerer: [restrictedCone, isp],
                                            hasTURN: false, relayOnly: false) == .direct)
        #expect(TraversalPrediction.outcome(offerer: [Self.nat(.addressDependent, .addressDependent)], answerer: [restrictedCone],
                                            hasTURN: false, relayOnly: false) == .direct)
        // Two EIM chains always meet.
        #expect(TraversalPrediction.outcome(offerer: [cgnat, cgnat], answerer: [cgnat], hasTURN: false, relayOnly: false) == .direct)
    }

    static func validation(_ nats: String, alice: String, bob: String) -> String {
        let text = """
        name: chains
        network:
          nats: \(nats)
          firewalls: { fw: { preset: allow-outbound-only } }
          hosts: { alice: { behind: \(alice) }, bob: { behind: \(bob) } }
          servers: { stun1: { kind: stun } }
        sessions:
          - { name: call, offerer: alice, answerer: bob, ice-servers: [stun1] }
        expect:
          - { session: call, traversal: predicted }
        """
        do {
            _ = try ScenarioFile(text: text, path: "chains.yaml").scenario(at: 0)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func chainsOfTheirOwnArePredictedSharedNATsAndFirewallsAreNot() {
        let nats = "{ home: { preset: full-cone, behind: cgn }, cgn: { preset: cgnat }, other: { preset: symmetric }, "
            + "office: { preset: enterprise, behind: fw } }"
        #expect(Self.validation(nats, alice: "home", bob: "other") == "accepted")
        #expect(Self.validation(nats, alice: "home", bob: "internet") == "accepted")
        #expect(Self.validation(nats, alice: "home", bob: "cgn").contains("'alice' and 'bob' are both behind 'cgn'"))
        #expect(Self.validation(nats, alice: "office", bob: "other").contains("'alice' is behind firewall 'fw'"))
    }
}
