import NetTypes
import Scenario
import Simulator

/// A scenario's network as Linux network namespaces: one namespace per NAT, firewall,
/// host and server, plus `internet`, a router every public node hangs off; one veth pair
/// per link of the scenario. Addresses are the simulator's own (the same `SimulatedNetwork`
/// numbering), so candidates read the same in both backends.
///
/// Routing follows the simulator's: a node's uplink is its default route; a parent
/// routes each address behind a child (the child's own, a NAT's external ones, and
/// everything behind a transparent firewall) to that child. Each veth carries its own
/// pair of addresses: a NAT's LAN side is the LAN's `.1` gateway, any other parent side
/// `169.254.K.1`; a firewall, which has no address of its own, gets `169.254.K.2`.
///
/// Only what Linux expresses is accepted (`init` throws a positioned `ScenarioError`
/// otherwise): NATs `linux-masquerade` and `linux-masquerade-random-fully` (nftables
/// `masquerade`, with `fully-random`), any firewall policy (nftables rules over
/// conntrack), STUN and TURN-over-UDP/TCP servers, IPv4.
public struct NetnsTopology: Sendable {
    /// What a namespace is.
    public enum Role: Sendable, Equatable {
        case internet
        /// `routerFirewall`: the router drops unexpected inbound packets before conntrack
        /// records them (the model's `conntrack-refused: false`).
        case nat(LinuxNAT, routerFirewall: Bool)
        case firewall(FirewallPolicy)
        case host
        case server(ServerSpec.Kind)

        var forwards: Bool {
            switch self {
            case .internet, .nat, .firewall: true
            case .host, .server: false
            }
        }
    }

    /// One namespace.
    public struct Node: Sendable {
        public var name: String
        public var role: Role
        /// The node's own IPv4 addresses (hosts, servers, a NAT's external ones).
        public var addresses: [IPAddress]
    }

    /// One veth pair between `parent` and `child`.
    public struct Link: Sendable {
        public var parent: String
        public var child: String
        /// The parent end's address: the child's gateway.
        public var parentAddress: IPAddress
        /// The child end's addresses; the first is the next hop for everything behind it.
        public var childAddresses: [IPAddress]
        /// The addresses the parent routes to the child.
        public var routed: [IPAddress]
        /// Random loss, parent to child and child to parent (nftables `numgen`).
        public var lossDown: Double
        public var lossUp: Double
    }

    public private(set) var nodes: [Node] = []
    public private(set) var links: [Link] = []
    /// Link properties the simulator has and this backend does not reproduce (no
    /// `sch_netem` in the kernel), one line each, for the run's events.
    public private(set) var notEmulated: [String] = []

    /// The NAT presets this backend builds.
    public static let supportedNATs = LinuxNAT.allCases.map(\.rawValue)

    /// Plans `scenario`'s network; `network` is the same network built in a simulation,
    /// for its addresses and link parameters.
    public init(_ scenario: Scenario, network: SimulatedNetwork) throws(ScenarioError) {
        let spec = scenario.network
        nodes.append(Node(name: "internet", role: .internet, addresses: []))
        for nat in spec.nats {
            let kind = try Self.linuxNAT(nat)
            let tracksRefused = network.nats[nat.name]?.behavior.tracksRefusedInbound ?? false
            nodes.append(Node(name: nat.name, role: .nat(kind, routerFirewall: !tracksRefused), addresses: network.nats[nat.name]?.externalAddresses.filter { $0.family == .ipv4 } ?? []))
        }
        for firewall in spec.firewalls {
            guard let built = network.firewalls[firewall.name] else { continue }
            nodes.append(Node(name: firewall.name, role: .firewall(built.policy), addresses: []))
        }
        for host in spec.hosts {
            if host.clat {
                throw ScenarioError(host.keyLocations["clat"] ?? host.location, "the netns backend builds IPv4 networks only (host '\(host.name)' has 'clat')")
            }
            nodes.append(Node(name: host.name, role: .host, addresses: Self.ipv4(of: network.hosts[host.name])))
        }
        for server in spec.servers {
            if server.kind == .signaling {
                throw ScenarioError(server.location, "the netns backend has no signaling servers (its peers signal through the runner)")
            }
            if server.ipv6 {
                throw ScenarioError(server.location, "the netns backend builds IPv4 networks only (server '\(server.name)' has 'ipv6')")
            }
            if server.tlsPort != nil {
                throw ScenarioError(server.location, "the netns backend runs TURN over UDP and TCP, not TLS ('tls-port')")
            }
            nodes.append(Node(name: server.name, role: .server(server.kind), addresses: Self.ipv4(of: network.servers[server.name])))
        }
        // Each link numbers its ends in 169.254.K.0.
        if nodes.count > 255, let host = spec.hosts.first {
            throw ScenarioError(host.location, "the netns backend builds at most 254 nodes besides the internet")
        }
        planLinks(network)
    }

    private static func ipv4(of host: Simulator.Host?) -> [IPAddress] {
        host?.interfaces.first?.addresses.map(\.address).filter { $0.family == .ipv4 } ?? []
    }

    /// The Linux NAT a NAT entry names, or a positioned refusal.
    static func linuxNAT(_ nat: NATSpec) throws(ScenarioError) -> LinuxNAT {
        let allowed: Set = ["preset", "behind", "conntrack-refused"]
        if let key = nat.keyLocations.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ScenarioError(nat.keyLocations[key] ?? nat.location,
                                "the netns backend builds NATs from presets only ('\(key)' cannot be expressed with nftables here)")
        }
        guard let preset = nat.preset, let kind = LinuxNAT(rawValue: preset) else {
            throw ScenarioError(nat.keyLocations["preset"] ?? nat.location,
                                "Linux cannot express NAT '\(nat.name)' (\(nat.preset ?? "custom")): the netns backend builds "
                                    + supportedNATs.joined(separator: " and "))
        }
        return kind
    }

    private mutating func planLinks(_ network: SimulatedNetwork) {
        let roles = Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, $0) })
        // Children of each parent, in the order the nodes were declared.
        var children: [String: [String]] = [:]
        for node in nodes where node.role != .internet {
            children[network.parents[node.name] ?? "internet", default: []].append(node.name)
        }
        /// The addresses a parent routes to `name`: its own, and through a transparent
        /// firewall everything behind it.
        func routed(_ name: String) -> [IPAddress] {
            guard let node = roles[name] else { return [] }
            if case .firewall = node.role { return (children[name] ?? []).flatMap(routed) }
            return node.addresses
        }
        var index = 0
        for node in nodes where node.role != .internet {
            let parent = network.parents[node.name] ?? "internet"
            index += 1
            let behind = routed(node.name)
            let childAddresses = node.addresses.isEmpty ? [Self.linkLocal(index, 2)] : node.addresses
            let gateway: IPAddress
            if case .nat = roles[parent]?.role, let first = behind.first ?? node.addresses.first, case .v4(let a) = first {
                gateway = .v4(IPv4Address((a.value & 0xFFFF_0000) | 1))
            } else {
                gateway = Self.linkLocal(index, 1)
            }
            let down = network.direction("\(parent)-\(node.name)")?.config ?? LinkConfig()
            let up = network.direction("\(node.name)-\(parent)")?.config ?? LinkConfig()
            for (config, direction) in [(down, "\(parent) → \(node.name)"), (up, "\(node.name) → \(parent)")] {
                notEmulated += Self.unsupported(config).map { "\(direction): \($0)" }
            }
            links.append(Link(parent: parent, child: node.name, parentAddress: gateway, childAddresses: childAddresses,
                              routed: behind, lossDown: Self.lossRate(down), lossUp: Self.lossRate(up)))
        }
    }

    static func linkLocal(_ index: Int, _ host: UInt8) -> IPAddress {
        .v4(IPv4Address(169, 254, UInt8(index), host))
    }

    /// The stationary loss rate of a direction (Gilbert-Elliott reduced to its mean).
    static func lossRate(_ config: LinkConfig) -> Double {
        switch config.loss {
        case .none: 0
        case .bernoulli(let p): p
        case .gilbertElliott(let model): model.stationaryLossRate
        }
    }

    /// What a direction asks for that nftables alone cannot do.
    static func unsupported(_ config: LinkConfig) -> [String] {
        var missing: [String] = []
        if config.latency > .zero { missing.append("latency \(config.latency)") }
        if config.jitter > .zero { missing.append("jitter \(config.jitter)") }
        if let bandwidth = config.bandwidth { missing.append("bandwidth \(bandwidth)") }
        if case .gilbertElliott = config.loss { missing.append("burst loss (applied as its mean rate)") }
        if config.duplicate > 0 { missing.append("duplication") }
        if config.reorder > 0 { missing.append("reordering") }
        if config.mtu != 1500 { missing.append("mtu \(config.mtu)") }
        return missing
    }
}
