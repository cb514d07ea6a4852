import NetTypes

/// A network node: a host, a router, or a packet-processing middlebox (NAT, firewall).
///
/// Packets arrive in `receive(_:on:)`. The default behavior delivers packets addressed
/// to the node locally and forwards the rest by longest-prefix match (when the node
/// forwards). Middleboxes subclass and override `receive`.
open class Node: EventHandler {
    public unowned(unsafe) let simulation: Simulation
    /// The simulation's clock, scheduler and packets, without reference counting.
    public let sim: SimulationHandle
    /// Unique name within the simulation (used for random streams and traces).
    public let name: String
    /// Position in `Simulation.nodes`.
    public let id: Int
    /// This node's handler index on the event queue.
    public private(set) var handlerID: Int32 = -1
    public internal(set) var interfaces: [NetworkInterface] = []
    public var routes = RoutingTable()
    public internal(set) var stats = NodeStats()
    private var localAddresses = AddressSet()
    /// Per interface, what the per-packet paths read, kept apart from `interfaces` (reading
    /// an interface retained its address list and links): the first IPv4 and first IPv6
    /// address (`NetworkInterface.address(of:)`, where a wildcard socket's packets come
    /// from) and the outbound link direction, unretained (the simulation keeps every link).
    private var packetPaths: [PacketPath] = []

    private struct PacketPath {
        var v4: IPAddress?
        var v6: IPAddress?
        var outbound: Unmanaged<LinkDirection>?
    }

    /// Creates a node and adds it to `simulation`.
    public init(simulation: Simulation, name: String) {
        self.simulation = simulation
        self.sim = simulation.handle
        self.name = name
        self.id = simulation.nodes.count
        super.init()
        simulation.nodes.append(self)
        handlerID = simulation.register(self)
    }

    /// Whether packets not addressed to this node are forwarded (routers, NATs).
    open var forwardsPackets: Bool { false }

    /// Whether `address` is configured on one of this node's interfaces.
    public func owns(_ address: IPAddress) -> Bool { localAddresses.contains(address) }

    // MARK: Interfaces

    /// Adds an interface with `addresses`; connected routes for their prefixes are added.
    @discardableResult
    public func addInterface(addresses: [InterfaceAddress] = []) -> Int {
        let index = interfaces.count
        interfaces.append(NetworkInterface(index: index, addresses: []))
        packetPaths.append(PacketPath())
        for address in addresses { addAddress(address, to: index) }
        return index
    }

    /// Configures another address on interface `index` (and its connected route).
    public func addAddress(_ address: InterfaceAddress, to index: Int) {
        interfaces[index].addresses.append(address)
        localAddresses.insert(address.address)
        updateSourceAddresses(of: index)
        if address.address.family == .ipv4 ? address.prefixLength < 32 : address.prefixLength < 128 {
            routes.add(address.network, interface: index)
        }
    }

    /// Removes `address` from interface `index` (e.g. on a handover).
    public func removeAddress(_ address: IPAddress, from index: Int) {
        guard let position = interfaces[index].addresses.firstIndex(where: { $0.address == address }) else { return }
        let removed = interfaces[index].addresses.remove(at: position)
        updateSourceAddresses(of: index)
        if !interfaces.contains(where: { $0.addresses.contains { $0.address == address } }) {
            localAddresses.remove(address)
        }
        if !interfaces.contains(where: { $0.addresses.contains { $0.network == removed.network } }) {
            routes.remove(prefix: removed.network)
        }
    }

    /// The first address of `family` on interface `index`: where packets a socket bound to
    /// every address sends through that interface come from.
    public func sourceAddress(of family: AddressFamily, on index: Int) -> IPAddress? {
        family == .ipv4 ? packetPaths[index].v4 : packetPaths[index].v6
    }

    private func updateSourceAddresses(of index: Int) {
        packetPaths[index].v4 = interfaces[index].address(of: .ipv4)
        packetPaths[index].v6 = interfaces[index].address(of: .ipv6)
    }

    func attach(_ link: Link, outbound: LinkDirection, to index: Int) {
        interfaces[index].link = link
        interfaces[index].outbound = outbound
        packetPaths[index].outbound = .passUnretained(outbound)
    }

    // MARK: Packet processing

    /// A packet arrived from the link on `interface`. Takes ownership of `slot`.
    open func receive(_ slot: PacketSlot, on interface: Int) {
        stats.received += 1
        let destination = sim.packets[slot].destination.address
        if owns(destination) {
            stats.deliveredLocally += 1
            deliverLocally(slot, on: interface)
        } else {
            forward(slot)
        }
    }

    /// A packet addressed to this node arrived. Takes ownership of `slot`. Nodes without
    /// transport endpoints discard it.
    open func deliverLocally(_ slot: PacketSlot, on interface: Int) {
        drop(slot, .noListener)
    }

    /// Routes a transit packet: drops it when this node does not forward, its TTL runs
    /// out or no route matches.
    public func forward(_ slot: PacketSlot) {
        guard forwardsPackets else { drop(slot, .notForwarding); return }
        let ttl = sim.packets[slot].ttl
        guard ttl > 1 else { drop(slot, .ttlExpired); return }
        sim.packets[slot].ttl = ttl - 1
        stats.forwarded += 1
        route(slot)
    }

    /// Sends a packet on the interface its destination routes to.
    public func route(_ slot: PacketSlot) {
        guard let index = routes.lookup(sim.packets[slot].destination.address) else {
            drop(slot, .noRoute)
            return
        }
        transmit(slot, on: index)
    }

    /// Puts a packet on the link of interface `index`.
    public func transmit(_ slot: PacketSlot, on index: Int) {
        guard let outbound = packetPaths[index].outbound else { drop(slot, .interfaceDown); return }
        outbound._withUnsafeGuaranteedRef { $0.send(slot) }
    }

    /// Discards a packet, counting why.
    public func drop(_ slot: PacketSlot, _ reason: NodeDropReason) {
        stats.drops[reason] += 1
        sim.packets.release(slot)
    }

    /// Counts a packet this node originated.
    func countSent() { stats.sent += 1 }

    /// Sends an already built packet (e.g. an ICMP error) by routing table.
    public func sendPacket(_ packet: Packet) {
        countSent()
        route(sim.packets.insert(packet))
    }

    /// Answers `offending` with ICMP destination unreachable from `address`. Errors are
    /// never sent about ICMP messages (RFC 1122 §3.2.2), so only UDP and TCP get one.
    /// Returns whether an error was sent.
    @discardableResult
    public func sendUnreachable(about offending: Packet, from address: IPAddress, reason: UnreachableReason) -> Bool {
        guard offending.proto == .udp || offending.proto == .tcp else { return false }
        sendPacket(ICMPUnreachable.packet(rejecting: offending, from: address, reason: reason,
                                          id: sim.makePacketID(), at: sim.now))
        return true
    }
}

/// A router: forwards every packet not addressed to itself.
public final class Router: Node {
    override public var forwardsPackets: Bool { true }
}
