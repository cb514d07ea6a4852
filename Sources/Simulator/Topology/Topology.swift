import NetTypes

/// Builds networks the way scenarios describe them: a public "internet" router, public
/// hosts on it, NATs (chained as deep as needed, e.g. a home NAT behind a CGNAT) with
/// hosts on their LANs, and firewalls in front of any network; every route is set up
/// automatically.
///
/// Each node is attached behind a network (the internet, a NAT or a firewall) by its own
/// point-to-point link, and numbered from that network's pools: public prefixes behind
/// the internet (IPv4 documentation ranges and 2001:db8::/64 by default), the LAN prefix
/// behind a NAT (IPv4, plus when asked a global IPv6 /64 that is routed, not NATed, or
/// IPv6 only for a NAT64's network), the surrounding network's pools behind a firewall,
/// which is transparent. The network routes each new address to the new link (and so does
/// every firewall above it; a NAT's IPv6 prefix is routed to it from every network above);
/// the new node's default route points up its link, which is its interface 0 and, for NATs
/// and firewalls, the outside interface.
public final class Topology {
    public let simulation: Simulation
    /// The public internet: a router with a host route to every address attached to it.
    public let internet: Router
    private var networks: [ObjectIdentifier: Network] = [:]
    private var lanCount = 0
    private var ipv6LANCount: UInt64 = 0

    /// A node other nodes attach behind, with the pools they are numbered from.
    private final class Network {
        let node: Node
        let ipv4: AddressPool?
        let ipv6: AddressPool?
        /// The network this one is attached behind, and that network's interface to it.
        let parent: (network: Network, interface: Int)?
        /// Whether addresses behind this node belong to the parent's space (firewall).
        let transparent: Bool
        /// Where nodes attached behind this one go instead (a NAT's IPv6 firewall).
        var inside: Network?

        init(node: Node, ipv4: AddressPool?, ipv6: AddressPool?, parent: (network: Network, interface: Int)?, transparent: Bool) {
            self.node = node
            self.ipv4 = ipv4
            self.ipv6 = ipv6
            self.parent = parent
            self.transparent = transparent
        }
    }

    /// A topology with an internet router called `name` numbering public nodes from
    /// `publicPrefixes` and, when given, `publicIPv6Prefix` (public hosts are then dual-stack).
    public init(simulation: Simulation, name: String = "internet",
                publicPrefixes: [IPPrefix] = Topology.documentationPrefixes,
                publicIPv6Prefix: IPPrefix? = Topology.documentationIPv6Prefix) {
        self.simulation = simulation
        internet = Router(simulation: simulation, name: name)
        register(Network(node: internet, ipv4: AddressPool(publicPrefixes), ipv6: publicIPv6Prefix.map { AddressPool([$0]) },
                         parent: nil, transparent: false))
    }

    /// 203.0.113.0/24, 198.51.100.0/24 and 192.0.2.0/24 (RFC 5737).
    public static let documentationPrefixes = ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"].map { try! IPPrefix(parsing: $0) }
    /// 2001:db8::/64 (RFC 3849).
    public static let documentationIPv6Prefix = try! IPPrefix(parsing: "2001:db8::/64")

    /// Adds a host behind `network` (nil: the internet) with `addresses` IPv4 addresses
    /// where the network has IPv4 and, where it has IPv6, one IPv6 address. With `clat`
    /// (a NAT64 prefix) the host runs a 464XLAT CLAT on a second IPv6 address of the
    /// network (RFC 6877 §6.3: a dedicated one), which must have IPv6.
    @discardableResult
    public func addHost(_ name: String, behind network: Node? = nil, addresses: Int = 1, clat: NAT64Prefix? = nil,
                        link: LinkConfig = LinkConfig()) throws(TopologyError) -> Host {
        let parent = try self.network(network)
        if clat != nil && parent.ipv6 == nil { throw .noIPv6(parent.node.name) }
        let host = Host(simulation: simulation, name: name)
        let interface = attach(host, behind: parent, link: link)
        if let ipv4 = parent.ipv4 {
            for _ in 0..<addresses { host.addAddress(try claim(from: ipv4, in: parent, via: interface), to: 0) }
        }
        if let ipv6 = parent.ipv6 {
            host.addAddress(try claim(from: ipv6, in: parent, via: interface), to: 0)
            if let clat, case .v6(let translation) = try claim(from: ipv6, in: parent, via: interface).address {
                host.enableCLAT(ipv6: translation, prefix: clat)
            }
        }
        return host
    }

    /// Adds a NAT behind `network` (nil: the internet) with `externalAddresses` addresses
    /// from that network, and a LAN `lan` (default 10.N.0.0/16 for the Nth LAN) whose
    /// hosts are numbered from .2. `addressing` gives the LAN IPv6 (a global /64 routed
    /// untranslated, optionally behind a stateful IPv6 firewall as home routers have one)
    /// or takes its IPv4 away (the IPv6-only network behind a NAT64).
    @discardableResult
    public func addNAT(_ name: String, behavior: NATBehavior, behind network: Node? = nil, externalAddresses: Int = 1,
                       lan: IPPrefix? = nil, addressing: LANAddressing = LANAddressing(),
                       link: LinkConfig = LinkConfig()) throws(TopologyError) -> NAT {
        let parent = try self.network(network)
        let nat = NAT(simulation: simulation, name: name, behavior: behavior, outsideInterface: 0)
        let interface = attach(nat, behind: parent, link: link)
        nat.setExternalAddresses(try claim(externalAddresses, from: parent, via: interface))
        var ipv4: AddressPool?
        if addressing.ipv4 {
            let prefix: IPPrefix
            if let lan { prefix = lan } else { prefix = try nextLAN() }
            ipv4 = AddressPool([prefix], firstHost: 2)
        }
        var ipv6: AddressPool?
        if addressing.ipv6 {
            let prefix = try nextIPv6LAN()
            ipv6 = AddressPool([prefix], firstHost: 2)
            routeUpwards(prefix, from: parent, via: interface)
        }
        let lanNetwork = Network(node: nat, ipv4: ipv4, ipv6: ipv6, parent: (parent, interface), transparent: false)
        register(lanNetwork)
        if let policy = addressing.ipv6Firewall, ipv6 != nil {
            let firewall = Firewall(simulation: simulation, name: name + LANAddressing.firewallSuffix, policy: policy, outsideInterface: 0)
            firewall.filteredFamily = .ipv6
            let towards = attach(firewall, behind: lanNetwork, link: LinkConfig())
            let inside = Network(node: firewall, ipv4: ipv4, ipv6: ipv6, parent: (lanNetwork, towards), transparent: true)
            lanNetwork.inside = inside
            register(inside)
        }
        return nat
    }

    /// Adds a transparent firewall behind `network` (nil: the internet); nodes attached
    /// behind it are numbered from `network`'s pools and routed through it.
    @discardableResult
    public func addFirewall(_ name: String, policy: FirewallPolicy, behind network: Node? = nil,
                            link: LinkConfig = LinkConfig()) throws(TopologyError) -> Firewall {
        let parent = try self.network(network)
        let firewall = Firewall(simulation: simulation, name: name, policy: policy, outsideInterface: 0)
        let interface = attach(firewall, behind: parent, link: link)
        register(Network(node: firewall, ipv4: parent.ipv4, ipv6: parent.ipv6, parent: (parent, interface), transparent: true))
        return firewall
    }

    /// Moves `host` behind `network` (nil: the internet), as in a handover from Wi-Fi to
    /// cellular: its current links go down and their addresses are removed, a new link
    /// and addresses from the new network are added, and its default route points up the
    /// new link. Returns the new addresses.
    @discardableResult
    public func move(_ host: Host, behind network: Node? = nil, link: LinkConfig = LinkConfig()) throws(TopologyError) -> [IPAddress] {
        let parent = try self.network(network)
        for index in host.interfaces.indices {
            host.interfaces[index].link?.setUp(false)
            for address in host.interfaces[index].addresses { host.removeAddress(address.address, from: index) }
        }
        let interface = attach(host, behind: parent, link: link)
        let newIndex = host.interfaces.count - 1
        var added: [IPAddress] = []
        if let ipv4 = parent.ipv4 {
            let v4 = try claim(from: ipv4, in: parent, via: interface)
            host.addAddress(v4, to: newIndex)
            added.append(v4.address)
        }
        if let ipv6 = parent.ipv6 {
            let v6 = try claim(from: ipv6, in: parent, via: interface)
            host.addAddress(v6, to: newIndex)
            added.append(v6.address)
        }
        return added
    }

    /// Gives `nat` `count` new external addresses from the network it is attached behind
    /// (an ISP renumbering a subscriber); its old mappings are removed.
    @discardableResult
    public func renumber(_ nat: NAT, externalAddresses count: Int = 1) throws(TopologyError) -> [IPAddress] {
        guard let parent = networks[ObjectIdentifier(nat)]?.parent else { throw .notANetwork(nat.name) }
        let addresses = try claim(count, from: parent.network, via: parent.interface)
        nat.setExternalAddresses(addresses)
        return addresses
    }

    // MARK: Building blocks

    private func register(_ network: Network) {
        networks[ObjectIdentifier(network.node)] = network
    }

    /// The network nodes attached behind `node` (nil: the internet) join.
    private func network(_ node: Node?) throws(TopologyError) -> Network {
        guard let found = networks[ObjectIdentifier(node ?? internet)] else { throw .notANetwork(node?.name ?? "?") }
        return found.inside ?? found
    }

    private func nextLAN() throws(TopologyError) -> IPPrefix {
        lanCount += 1
        guard lanCount < 256 else { throw .addressesExhausted("10.0.0.0/8") }
        return IPPrefix(.v4(IPv4Address(10, UInt8(lanCount), 0, 0)), length: 16)
    }

    /// Links `node` behind `parent`, points its default route up the link, and returns
    /// the parent's interface towards it.
    private func attach(_ node: Node, behind parent: Network, link: LinkConfig) -> Int {
        let created = simulation.connect(parent.node, node, config: link)
        node.routes.addDefault(interface: created.bInterface)
        return created.aInterface
    }

    /// Routes `prefix` to `interface` of `network` and, from every network above, towards it.
    private func routeUpwards(_ prefix: IPPrefix, from network: Network, via interface: Int) {
        var current = network
        var towards = interface
        while true {
            current.node.routes.add(prefix, interface: towards)
            guard let parent = current.parent else { break }
            current = parent.network
            towards = parent.interface
        }
    }

    /// 2001:db8:0:N::/64 for the Nth NAT LAN with IPv6 (inside the RFC 3849 range, beside
    /// the internet's 2001:db8::/64).
    private func nextIPv6LAN() throws(TopologyError) -> IPPrefix {
        ipv6LANCount += 1
        guard ipv6LANCount < 0x1_0000 else { throw .addressesExhausted("2001:db8::/48") }
        return IPPrefix(.v6(IPv6Address(high: 0x2001_0DB8_0000_0000 | ipv6LANCount, low: 0)), length: 64)
    }

    /// `count` IPv4 addresses from `parent`'s pool, routed to `interface`.
    private func claim(_ count: Int, from parent: Network, via interface: Int) throws(TopologyError) -> [IPAddress] {
        guard let ipv4 = parent.ipv4 else { throw .noIPv4(parent.node.name) }
        var addresses: [IPAddress] = []
        for _ in 0..<count { addresses.append(try claim(from: ipv4, in: parent, via: interface).address) }
        return addresses
    }

    /// The next address of `pool`, with a host route to it from `network` through
    /// `interface` and from every network above while they are transparent.
    private func claim(from pool: AddressPool, in network: Network, via interface: Int) throws(TopologyError) -> InterfaceAddress {
        guard let address = pool.next() else { throw .addressesExhausted(network.node.name) }
        let hostLength = address.address.family == .ipv4 ? 32 : 128
        var current = network
        var towards = interface
        while true {
            current.node.routes.add(IPPrefix(address.address, length: hostLength), interface: towards)
            guard current.transparent, let parent = current.parent else { break }
            current = parent.network
            towards = parent.interface
        }
        return address
    }
}
