import Simulator

/// What RFC 4787 NAT behavior implies for an ICE session between two hosts, each public or
/// behind one NAT: a direct path (UDP hole punching through server- and peer-reflexive
/// candidates), a relayed one, or none. The `traversal: predicted` expectation checks the
/// simulated outcome against it. docs/nat.md derives the rule.
public enum TraversalPrediction {
    public enum Outcome: String, Sendable {
        case direct, relay, none
    }

    /// The expected outcome; `nil` behavior stands for a public host.
    public static func outcome(offerer: NATBehavior?, answerer: NATBehavior?, hasTURN: Bool, relayOnly: Bool) -> Outcome {
        if !relayOnly && directPossible(offerer, answerer) { return .direct }
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
    static func directPossible(_ a: NATBehavior?, _ b: NATBehavior?) -> Bool {
        let am = a?.mapping ?? .endpointIndependent, af = a?.filtering ?? .endpointIndependent
        let bm = b?.mapping ?? .endpointIndependent, bf = b?.filtering ?? .endpointIndependent
        switch (am == .endpointIndependent, bm == .endpointIndependent) {
        case (true, true): return true
        case (true, false): return af != .addressAndPortDependent
        case (false, true): return bf != .addressAndPortDependent
        case (false, false):
            return (af == .endpointIndependent || bf == .endpointIndependent)
                && af != .addressAndPortDependent && bf != .addressAndPortDependent
                && (am == .addressDependent || bm == .addressDependent)
        }
    }
}
