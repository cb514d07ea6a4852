import NetTypes
import Simulator

/// The network of a scenario built in a simulation: topology, named nodes and links.
public final class SimulatedNetwork {
    public let simulation: Simulation
    public let topology: Topology
    public private(set) var nats: [String: NAT] = [:]
    public private(set) var firewalls: [String: Firewall] = [:]
    public private(set) var hosts: [String: Host] = [:]
    public private(set) var servers: [String: Host] = [:]
    /// What each node hangs off now: a NAT's or firewall's name, or `internet`.
    public private(set) var parents: [String: String] = [:]
    /// Links by `child-parent` and `parent-child` name; `forward` of the stored link runs
    /// from parent to child.
    private var links: [String: (link: Link, childFirst: Bool)] = [:]

    /// Default link parameters by where a node attaches (see docs/scenarios.md).
    public static let lanLink = LinkConfig(latency: .milliseconds(1))
    public static let accessLink = LinkConfig(latency: .milliseconds(10))
    public static let carrierLink = LinkConfig(latency: .milliseconds(5))
    public static let publicHostLink = LinkConfig(latency: .milliseconds(5))

    /// Builds `spec` in `simulation`. Build-time problems (an unknown preset, an address
    /// pool running out) are positioned errors like validation's.
    public init(_ spec: NetworkSpec, simulation: Simulation) throws(ScenarioError) {
        self.simulation = simulation
        topology = Topology(simulation: simulation)
        var pending = spec.nats.map { ($0.name, $0.behind) } + spec.firewalls.map { ($0.name, $0.behind) }
        // Parents before children: repeatedly build what sits behind something built.
        while !pending.isEmpty {
            guard let next = pending.firstIndex(where: { placementBuilt($0.1) }) else { break }
            let (name, _) = pending.remove(at: next)
            if let nat = spec.nats.first(where: { $0.name == name }) { try build(nat, spec) } else if let fw = spec.firewalls.first(where: { $0.name == name }) { try build(fw, spec) }
        }
        for host in spec.hosts {
            let config = linkConfig(child: host.name, parent: host.behind, spec, default: host.behind == .internet ? Self.publicHostLink : Self.lanLink)
            let built = try wrap(host.location) { () throws(TopologyError) in
                try topology.addHost(host.name, behind: node(host.behind), clat: host.clat ? .wellKnown : nil, link: config.forward)
            }
            record(built, behind: host.behind, config)
            hosts[host.name] = built
        }
        for server in spec.servers {
            let config = linkConfig(child: server.name, parent: .internet, spec, default: Self.publicHostLink)
            let built = try wrap(server.location) { () throws(TopologyError) in
                try topology.addHost(server.name, addresses: server.alternate ? 2 : 1, link: config.forward)
            }
            record(built, behind: .internet, config)
            servers[server.name] = built
        }
    }

    private func placementBuilt(_ placement: Placement) -> Bool {
        guard case .behind(let name) = placement else { return true }
        return nats[name] != nil || firewalls[name] != nil
    }

    private func node(_ placement: Placement) -> Node? {
        guard case .behind(let name) = placement else { return nil }
        return nats[name] ?? firewalls[name]
    }

    private func build(_ spec: NATSpec, _ network: NetworkSpec) throws(ScenarioError) {
        let behavior = try NATSpecMapping.behavior(of: spec)
        let addressing = try NATSpecMapping.addressing(of: spec)
        let config = linkConfig(child: spec.name, parent: spec.behind, network, default: spec.behind == .internet ? Self.accessLink : Self.carrierLink)
        let nat = try wrap(spec.location) { () throws(TopologyError) in
            try topology.addNAT(spec.name, behavior: behavior, behind: node(spec.behind), externalAddresses: spec.externalAddresses ?? 1,
                                addressing: addressing, link: config.forward)
        }
        if spec.nat64 { nat.nat64 = .wellKnown }
        record(nat, behind: spec.behind, config)
        nats[spec.name] = nat
    }

    private func build(_ spec: FirewallSpec, _ network: NetworkSpec) throws(ScenarioError) {
        let policy = try NATSpecMapping.policy(of: spec)
        let config = linkConfig(child: spec.name, parent: spec.behind, network, default: spec.behind == .internet ? Self.accessLink : Self.carrierLink)
        let firewall = try wrap(spec.location) { () throws(TopologyError) in
            try topology.addFirewall(spec.name, policy: policy, behind: node(spec.behind), link: config.forward)
        }
        record(firewall, behind: spec.behind, config)
        firewalls[spec.name] = firewall
    }

    private func wrap<T>(_ location: SourceLocation, _ body: () throws(TopologyError) -> T) throws(ScenarioError) -> T {
        do { return try body() } catch { throw ScenarioError(location, error.description) }
    }

    /// The configuration of the link between `child` and its parent: defaults, then the
    /// scenario's `links:` entry (in either order) on top. `forward` runs parent → child.
    private func linkConfig(child: String, parent: Placement, _ spec: NetworkSpec, default base: LinkConfig) -> (forward: LinkConfig, backward: LinkConfig) {
        let parentName: String
        if case .behind(let name) = parent { parentName = name } else { parentName = "internet" }
        guard let entry = spec.links.first(where: { ($0.from == child && $0.to == parentName) || ($0.from == parentName && $0.to == child) }) else {
            return (base, base)
        }
        let fromChild = entry.from == child
        let along = LinkParameterMapping.apply(entry.forward, to: base)
        let against = LinkParameterMapping.apply(entry.reverse ?? entry.forward, to: base)
        return fromChild ? (against, along) : (along, against)
    }

    private func record(_ node: Node, behind parent: Placement, _ config: (forward: LinkConfig, backward: LinkConfig)) {
        guard let link = node.interfaces.first?.link else { return }
        link.backward.update(config.backward)
        let parentName: String
        if case .behind(let name) = parent { parentName = name } else { parentName = "internet" }
        parents[node.name] = parentName
        links["\(node.name)-\(parentName)"] = (link, true)
        links["\(parentName)-\(node.name)"] = (link, false)
    }

    /// Applies `parameters` on top of the current configuration of the link `name`
    /// (`from-to`): to the `from → to` direction, the reverse, or both.
    public func updateLink(_ name: String, _ parameters: LinkParameters, directions: LinkDirections = .both) -> Bool {
        guard links[name] != nil else { return false }
        for reversed in directions.reversals {
            guard let direction = direction(name, reversed: reversed) else { continue }
            direction.update(LinkParameterMapping.apply(parameters, to: direction.config))
        }
        return true
    }

    /// The direction of the link `from-to` that carries packets from `from` to `to`
    /// (`reversed`: from `to` to `from`).
    public func direction(_ name: String, reversed: Bool = false) -> LinkDirection? {
        guard let (link, childFirst) = links[name] else { return nil }
        return childFirst != reversed ? link.backward : link.forward
    }

    /// Moves a host behind another NAT/firewall or onto the internet (handover); the
    /// new link gets the default parameters of that position.
    public func moveHost(_ name: String, to placement: Placement) -> Bool {
        guard let host = hosts[name] else { return false }
        let config = placement == .internet ? Self.publicHostLink : Self.lanLink
        guard (try? topology.move(host, behind: node(placement), link: config)) != nil else { return false }
        let parentName: String
        if case .behind(let p) = placement { parentName = p } else { parentName = "internet" }
        parents[name] = parentName
        if let link = host.interfaces.last?.link {
            links["\(name)-\(parentName)"] = (link, true)
            links["\(parentName)-\(name)"] = (link, false)
        }
        return true
    }

    /// Whether two hosts share a local network now (behind the same NAT or firewall), where
    /// link-local multicast such as mDNS reaches; hosts on the internet share none.
    public func shareLocalNetwork(_ a: String, _ b: String) -> Bool {
        guard let parent = parents[a], parent != "internet" else { return false }
        return parents[b] == parent
    }

    /// Takes a server down (its host stops answering) or brings it back.
    public func setServer(_ name: String, up: Bool) {
        servers[name]?.interfaces.first?.link?.setUp(up)
    }

    /// The link called `from-to`.
    public func link(_ name: String) -> Link? { links[name]?.link }
}
