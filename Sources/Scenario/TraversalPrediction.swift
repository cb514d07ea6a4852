import Simulator

/// What RFC 4787 NAT behavior implies for an ICE session between two hosts, each public or
/// behind a chain of NATs (NAT444 and deeper) that it shares with nobody on the path to the
/// other: a direct path (UDP hole punching through server- and peer-reflexive candidates),
/// a relayed one, or none. The `traversal: predicted` expectation checks the simulated
/// outcome against it. docs/nat.md derives the rule.
public enum TraversalPrediction {
    public enum Outcome: String, Sendable {
        case direct, relay, none
    }

    /// The mapping and filtering a chain of NATs shows to the internet.
    public struct Behavior: Sendable, Equatable {
        public var mapping: EndpointDependence
        public var filtering: EndpointDependence

        /// A public host: nothing depends on the remote endpoint.
        public static let open = Behavior(mapping: .endpointIndependent, filtering: .endpointIndependent)

        public init(mapping: EndpointDependence, filtering: EndpointDependence) {
            self.mapping = mapping
            self.filtering = filtering
        }

        /// The chain `nats`, innermost first, as ICE meets it from outside. No NAT rewrites
        /// the remote side of a packet, so every NAT maps and filters against the same
        /// remote endpoints:
        /// - mapping: the most dependent of the chain's — an outer NAT keys its mapping on
        ///   the inner NAT's external endpoint, which stays the same across remotes only
        ///   if the inner mapping is independent of them, and the outer NAT's own key adds
        ///   its dependence (endpoint-independent only if every NAT is);
        /// - filtering: the most restrictive of the chain's — an inbound packet reaches the
        ///   host only if every NAT on the way admits its source — except that an
        ///   address-dependent filter counts as endpoint-independent on a NAT that, like
        ///   every NAT inside it, maps endpoint-independently: its one mapping carries all
        ///   of the host's flows, including its checks to the peer's address, so it admits
        ///   the peer from any port and on any of the outer NATs' mappings (as one such
        ///   NAT on its own does in the rule's endpoint-independent rows).
        public init(chain nats: [NATBehavior]) {
            var behavior = Behavior.open
            var sharedMapping = true
            for nat in nats {
                sharedMapping = sharedMapping && nat.mapping == .endpointIndependent
                let filtering = sharedMapping && nat.filtering == .addressDependent ? .endpointIndependent : nat.filtering
                behavior = Behavior(mapping: Self.stricter(behavior.mapping, nat.mapping), filtering: Self.stricter(behavior.filtering, filtering))
            }
            self = behavior
        }

        /// The more endpoint-dependent of two behaviors (EI < AD < APD).
        static func stricter(_ a: EndpointDependence, _ b: EndpointDependence) -> EndpointDependence {
            let order: [EndpointDependence] = [.endpointIndependent, .addressDependent, .addressAndPortDependent]
            return order[max(order.firstIndex(of: a) ?? 0, order.firstIndex(of: b) ?? 0)]
        }
    }

    /// The expected outcome; each side is the chain of NATs in front of its host,
    /// innermost first (empty for a public host).
    public static func outcome(offerer: [NATBehavior], answerer: [NATBehavior], hasTURN: Bool, relayOnly: Bool) -> Outcome {
        if !relayOnly && directPossible(Behavior(chain: offerer), Behavior(chain: answerer)) { return .direct }
        return hasTURN ? .relay : .none
    }

    /// Whether hole punching succeeds between the two sides:
    /// - both endpoint-independent mapping (EIM): always — each side's checks reach the
    ///   other's server-reflexive address, and each side's own checks open its filter;
    /// - one EIM side: when its filtering is not address-and-port-dependent — the other
    ///   side's checks arrive from a new mapping (new port, same address), which an
    ///   endpoint-independent or address-dependent filter lets in;
    /// - neither EIM: when one side filters endpoint-independently (the first check gets
    ///   in, revealing a peer-reflexive mapping), neither filters address-and-port-
    ///   dependently (the replies come from new ports), and one side maps
    ///   address-dependently (its mapping towards the peer stays the same whatever port the
    ///   peer's new mappings use, so the triggered checks meet).
    static func directPossible(_ a: Behavior, _ b: Behavior) -> Bool {
        switch (a.mapping == .endpointIndependent, b.mapping == .endpointIndependent) {
        case (true, true): return true
        case (true, false): return a.filtering != .addressAndPortDependent
        case (false, true): return b.filtering != .addressAndPortDependent
        case (false, false):
            return (a.filtering == .endpointIndependent || b.filtering == .endpointIndependent)
                && a.filtering != .addressAndPortDependent && b.filtering != .addressAndPortDependent
                && (a.mapping == .addressDependent || b.mapping == .addressDependent)
        }
    }
}
