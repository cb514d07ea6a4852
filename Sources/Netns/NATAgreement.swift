import STUN
import Simulator

/// Whether the simulator's model of a Linux NAT classifies as the real one does: RFC 5780
/// discovery (the same STUN client and server cores) run once behind the preset in a
/// simulation and once behind netfilter (`NATProbeLab`), property by property.
public struct NATAgreement: Sendable {
    /// One compared property: its name, the simulator's value and Linux's.
    public struct Row: Sendable, Equatable {
        public var property: String
        public var simulated: String
        public var linux: String
        public var agrees: Bool { simulated == linux }
    }

    public var nat: LinuxNAT
    public var rows: [Row]
    public var agrees: Bool { rows.allSatisfy(\.agrees) }

    /// Compares `linux` (nat-probe's JSON fields) with discovery behind `nat`'s preset.
    public init(nat: LinuxNAT, linux: [String: String]) throws {
        self.nat = nat
        let simulated = try SimulatedNATDiscovery.run(NATBehavior.preset(named: nat.preset)) ?? NATBehaviorReport()
        rows = [
            Row(property: "mapping", simulated: simulated.mapping?.rawValue ?? "unknown", linux: linux["mapping"] ?? "unknown"),
            Row(property: "filtering", simulated: simulated.filtering?.rawValue ?? "unknown", linux: linux["filtering"] ?? "unknown"),
            Row(property: "hairpinning", simulated: simulated.hairpinning.map { $0 ? "true" : "false" } ?? "unknown",
                linux: linux["hairpinning"] ?? "unknown"),
        ]
    }
}
