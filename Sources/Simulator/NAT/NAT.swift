import NetTypes

/// A NAT box (RFC 4787 for UDP, RFC 5382 for TCP) between inside interfaces and one
/// outside interface.
///
/// Outbound IPv4 packets routed to the outside get their source rewritten to a mapping's
/// external endpoint; inbound packets to an external endpoint are filtered and rewritten
/// to the internal endpoint; packets between inside interfaces are routed unchanged, as
/// is IPv6 (IPv6 networks do not NAT; put a `Firewall` in front to filter it). A TCP
/// segment's ports and checksum are rewritten with the addresses, and each TCP mapping
/// tracks its connection's phase for its idle timeout. ICMP errors about mapped flows are
/// translated both ways (their quoted headers included). `behavior` can be changed at any
/// simulated time; it applies from the next packet on.
///
/// With a `nat64` prefix the NAT is also a stateful NAT64 (RFC 6146): UDP and TCP from
/// inside IPv6 hosts to addresses in the prefix are mapped like IPv4 flows (the same
/// mapping, filtering and port allocation) and leave as IPv4; answers come back from the
/// IPv4 source embedded in the prefix (RFC 6052). Packets do not store IP headers, so the
/// header translation of RFC 7915 §4.1/§5.1 is the change of family: the traffic class
/// becomes the TOS byte and back (ECN kept), the hop limit the TTL (decremented as by any
/// router), the payload stays as it is and the UDP checksum is computed over the new
/// pseudo-header when the header is written (a TCP segment's is patched here). ICMP is not
/// translated (§4.2/§5.2): ICMPv6 towards the prefix and ICMP errors about NAT64 flows
/// are dropped.
public final class NAT: Node {
    /// How the NAT maps, filters, allocates ports and expires mappings.
    public var behavior: NATBehavior
    /// The interface towards the public side; every other interface is inside.
    public let outsideInterface: Int
    /// Receives every mapping change, translation and drop (nil: none, the fast path).
    public var observer: NATObserver?
    /// Translation and drop counters.
    public private(set) var natStats = NATStats()
    /// The external address pool, in configuration order (`setExternalAddresses`).
    public private(set) var externalAddresses: [IPAddress] = []
    /// The prefix IPv4 destinations are embedded in for the NAT64 function (nil: none;
    /// usually `NAT64Prefix.wellKnown`).
    public var nat64: NAT64Prefix?
    /// How often expired mappings are swept from the table (they are also removed
    /// lazily when a packet finds them expired).
    public var expirySweepInterval: Duration {
        get { sweep.interval }
        set { sweep.interval = newValue }
    }

    private var externalSet = AddressSet()
    private var table = NATMappingTable()
    private var ports: PortAllocator
    private var sweep = ExpirySweep(interval: .seconds(1))
    private var heldSYNs = UnsolicitedSYNQueue()
    private var heldSYNTimerPending = false
    private var refusedInbound = RefusedInboundTable()
    private var portBlockTable = PortBlockTable()

    /// Port blocks assigned and released (`NATBehavior.portBlocks`), oldest first, at most
    /// `PortBlockTable.logLimit`: what a carrier-grade NAT logs (RFC 7422 §2).
    public var portBlockLog: [NATPortBlockEvent] { portBlockTable.log }
    /// Port blocks subscribers hold now.
    public var portBlocksInUse: Int { portBlockTable.blocksInUse }

    /// How long an unsolicited inbound SYN waits for an answer under
    /// `NATTCPBehavior.UnsolicitedSYNResponse.reject` (RFC 5382 REQ-4: at least 6 s).
    public static let unsolicitedSYNHold = Duration.seconds(6)
    private static let heldSYNEventKind: UInt32 = 2

    /// A NAT with `behavior` whose outside is interface `outsideInterface` (attach the
    /// links, then give it addresses with `setExternalAddresses`).
    public init(simulation: Simulation, name: String, behavior: NATBehavior, outsideInterface: Int = 0) {
        self.behavior = behavior
        self.outsideInterface = outsideInterface
        ports = PortAllocator(random: simulation.randomStream(for: "nat:" + name))
        super.init(simulation: simulation, name: name)
    }

    override public var forwardsPackets: Bool { true }

    /// The mapping table, in creation order (expired mappings not yet swept included).
    public var mappings: [NATMapping] { table.mappings }

    // MARK: Runtime events

    /// Drops every mapping, sequential port position and held SYN, as a NAT reboot does.
    public func rebind() {
        removeMappings(reason: .rebind) { _ in true }
        ports.reset()
        heldSYNs = UnsolicitedSYNQueue()
        refusedInbound.removeAll()
    }

    /// Replaces the external address pool (IPv4 host addresses configured on the outside
    /// interface). Mappings on addresses no longer in the pool are removed. Routing
    /// towards new addresses is the upstream network's business (see `Topology`).
    public func setExternalAddresses(_ addresses: [IPAddress]) {
        precondition(addresses.allSatisfy { $0.family == .ipv4 }, "NAT external addresses must be IPv4")
        let removed = Set(externalAddresses.filter { !addresses.contains($0) })
        for address in removed { removeAddress(address, from: outsideInterface) }
        for address in addresses where !owns(address) {
            addAddress(InterfaceAddress(address, prefixLength: 32), to: outsideInterface)
        }
        externalAddresses = addresses
        externalSet = AddressSet(addresses)
        removeMappings(reason: .addressRemoved) { removed.contains($0.externalEndpoint.address) }
    }

    // MARK: Packet processing

    override public func receive(_ slot: PacketSlot, on interface: Int) {
        let destination = simulation.packets[slot].destination.address
        guard case .v4 = destination else {
            if interface != outsideInterface, let embedded = nat64?.extract(destination) {
                stats.received += 1
                receiveOutbound64(slot, to: embedded)
            } else {
                super.receive(slot, on: interface)
            }
            return
        }
        stats.received += 1
        if externalSet.contains(destination) {
            if interface == outsideInterface { receiveInbound(slot) } else { hairpin(slot) }
        } else if owns(destination) {
            stats.deliveredLocally += 1
            deliverLocally(slot, on: interface)
        } else if interface == outsideInterface {
            refuse(slot, .noMapping)
        } else {
            receiveOutbound(slot)
        }
    }

    private func receiveOutbound(_ slot: PacketSlot) {
        let destination = simulation.packets[slot].destination
        guard routes.lookup(destination.address) == outsideInterface else { forward(slot); return }
        let proto = simulation.packets[slot].proto
        guard proto == .udp || proto == .tcp else { translateOutboundICMP(slot); return }
        mapOutbound(slot, proto, to: destination)
    }

    /// An IPv6 packet from inside to `embedded`'s address in the NAT64 prefix (RFC 6146
    /// §3.5): mapped as an IPv4 flow to `embedded`, then sent as IPv4 from the mapping's
    /// external endpoint. Only UDP and TCP are translated (ICMPv6 is dropped).
    private func receiveOutbound64(_ slot: PacketSlot, to embedded: IPv4Address) {
        let proto = simulation.packets[slot].proto
        guard proto == .udp || proto == .tcp else { dropPacket(slot, .unsupportedProtocol); return }
        let destination = Endpoint(.v4(embedded), simulation.packets[slot].destination.port)
        guard !externalSet.contains(destination.address) else { dropPacket(slot, .hairpinDisabled); return }
        mapOutbound(slot, proto, to: destination)
    }

    /// Sends the outbound UDP or TCP packet in `slot` to `destination` (its own, or the
    /// IPv4 one a NAT64 packet's address embeds) from its flow's mapping.
    private func mapOutbound(_ slot: PacketSlot, _ proto: IPProtocolKind, to destination: Endpoint) {
        let source = simulation.packets[slot].source
        let original = simulation.packets[slot].destination
        guard let index = outboundMapping(slot, proto, from: source, to: destination) else {
            exhausted(slot)
            return
        }
        natStats.outboundTranslated += 1
        translate(slot, proto, source, original, to: table[index].mapping.externalEndpoint, destination, .outbound)
    }

    private func receiveInbound(_ slot: PacketSlot) {
        let proto = simulation.packets[slot].proto
        guard proto == .udp || proto == .tcp else { translateInboundICMP(slot); return }
        let source = simulation.packets[slot].source
        let destination = simulation.packets[slot].destination
        guard let index = admittedMapping(slot, proto, from: source, to: destination) else { return }
        natStats.inboundTranslated += 1
        let internalEndpoint = table[index].mapping.internalEndpoint
        var from = source
        if internalEndpoint.address.family == .ipv6, let nat64, case .v4(let v4) = source.address {
            // A NAT64 mapping (RFC 6146 §3.5.1): the IPv4 source comes in embedded in the prefix.
            from = Endpoint(.v6(nat64.embed(v4)), source.port)
        }
        translate(slot, proto, source, destination, to: from, internalEndpoint, .inbound)
    }

    /// A packet from inside to one of the NAT's external endpoints (RFC 4787 §6): mapped
    /// outbound as usual, then filtered and translated as if it had arrived from outside.
    private func hairpin(_ slot: PacketSlot) {
        guard behavior.hairpinning != .disabled else { dropPacket(slot, .hairpinDisabled); return }
        let proto = simulation.packets[slot].proto
        guard proto == .udp || proto == .tcp else { dropPacket(slot, .unsupportedProtocol); return }
        let source = simulation.packets[slot].source
        let destination = simulation.packets[slot].destination
        guard let outIndex = outboundMapping(slot, proto, from: source, to: destination) else {
            exhausted(slot)
            return
        }
        let mappedSource = table[outIndex].mapping.externalEndpoint
        guard let inIndex = admittedMapping(slot, proto, from: mappedSource, to: destination) else { return }
        // A NAT64 mapping's host is IPv6: an IPv4 packet cannot be handed to it as it is.
        guard table[inIndex].mapping.internalEndpoint.address.family == source.address.family else {
            dropPacket(slot, .hairpinDisabled)
            return
        }
        natStats.hairpinned += 1
        translate(slot, proto, source, destination, to: behavior.hairpinning == .externalSource ? mappedSource : source,
                  table[inIndex].mapping.internalEndpoint, .outbound, hairpin: true)
    }

    /// Rewrites the addresses of the packet in `slot` (and a TCP segment's ports and
    /// checksum with them), tells the observer, and forwards it.
    private func translate(_ slot: PacketSlot, _ proto: IPProtocolKind, _ originalSource: Endpoint, _ originalDestination: Endpoint,
                           to source: Endpoint, _ destination: Endpoint, _ direction: TrafficDirection, hairpin: Bool = false) {
        if proto == .tcp {
            TCPWireHeader.rewrite(&simulation.packets[slot].payload, from: originalSource.address, originalDestination.address,
                                  to: source, destination)
        }
        simulation.packets[slot].source = source
        simulation.packets[slot].destination = destination
        if let observer {
            observer.translated(NATTranslation(direction: direction, hairpin: hairpin, proto: proto, packetID: simulation.packets[slot].id,
                                               originalSource: originalSource, originalDestination: originalDestination,
                                               source: source, destination: destination), by: self)
        }
        forward(slot)
    }

    // MARK: Mappings

    /// The live mapping for the outbound packet in `slot`, created if needed, refreshed
    /// (for TCP: its connection tracked), with the destination recorded for filtering;
    /// nil when no mapping can be created.
    private func outboundMapping(_ slot: PacketSlot, _ proto: IPProtocolKind, from source: Endpoint,
                                 to destination: Endpoint) -> Int? {
        let now = simulation.now
        let flow = NATFlowKey(proto: proto, internalEndpoint: source, remote: mappingBehavior(proto).constraint(destination))
        var found = table.index(of: flow)
        if let index = found, table[index].mapping.expires <= now {
            remove(index, reason: .expired)
            found = nil
        }
        // A mapping whose last packet went to `destination` has contacted it: no clash.
        if behavior.tracksRefusedInbound || behavior.portOverloading, let index = found, table[index].lastRemote != destination,
           let moved = clashingFlow(index, proto, from: source, to: destination, at: now) {
            found = moved
        }
        guard let index = found ?? createMapping(flow, to: destination, at: now) else { return nil }
        if proto == .tcp {
            trackOutboundTCP(index, slot, to: destination, at: now)
        } else {
            refresh(index, at: now)
        }
        if table[index].lastRemote != destination {
            table[index].lastRemote = destination
            table[index].contactedAddresses.insert(destination.address)
            table[index].contactedEndpoints.insert(destination)
            if behavior.portOverloading { table.recordReply(index, remote: destination) }
        }
        return index
    }

    /// With `tracksRefusedInbound` or `portOverloading`: the mapping a packet from `source`
    /// to `destination` takes instead of the flow's mapping at `index` — the one made
    /// earlier for this very pair when its reply tuple clashed with a refused inbound
    /// packet's entry or another mapping's reply tuple on the same external endpoint, or a
    /// new one on a random port if it clashes now; nil when the flow's mapping serves.
    private func clashingFlow(_ index: Int, _ proto: IPProtocolKind, from source: Endpoint, to destination: Endpoint,
                              at now: Instant) -> Int? {
        let pair = NATFlowKey(proto: proto, internalEndpoint: source, remote: destination)
        if let moved = table.index(of: pair), moved != index {
            if table[moved].mapping.expires > now { return moved }
            remove(moved, reason: .expired)
        }
        let external = table[index].mapping.externalEndpoint
        guard !table[index].contactedEndpoints.contains(destination),
              (behavior.portOverloading && table.isReplyTaken(proto, remote: destination, external: external))
                || (!refusedInbound.isEmpty && refusedInbound.clashes(.init(proto: proto, remote: destination, external: external), now: now))
        else { return nil }
        natStats.portClashes += 1
        var random = behavior
        random.portAssignment = .random
        return createMapping(pair, to: destination, at: now, assigning: random)
    }

    /// A new mapping for `flow`, whose first packet goes to `destination`, with a port
    /// chosen as `assigning` says (default: the behavior) that no refused inbound
    /// packet's entry from `destination` holds.
    private func createMapping(_ flow: NATFlowKey, to destination: Endpoint, at now: Instant, assigning: NATBehavior? = nil) -> Int? {
        let owner = flow.internalEndpoint.address
        if atLimit(owner) {
            removeMappings(reason: .expired) { $0.expires <= now }
            if atLimit(owner) { return nil }
        }
        let proto = flow.proto
        let checkClash = behavior.tracksRefusedInbound && !refusedInbound.isEmpty
        let overloads = behavior.portOverloading
        let isTaken = { (address: IPAddress, port: UInt16) in
            (overloads ? self.table.isReplyTaken(proto, remote: destination, external: Endpoint(address, port))
                       : self.table.isTaken(NATPortKey(proto: proto, externalEndpoint: Endpoint(address, port))))
                || (checkClash && self.refusedInbound.clashes(.init(proto: proto, remote: destination, external: Endpoint(address, port)), now: now))
        }
        let external: Endpoint
        if let blocks = behavior.portBlocks {
            let paired = behavior.pooling == .paired ? table.subscribers[owner]?.externalAddress : nil
            guard let chosen = portBlockTable.allocate(owner: owner, internalPort: flow.internalEndpoint.port, blocks: blocks,
                                                       range: behavior.portRange, addresses: externalAddresses, preferred: paired, at: now,
                                                       randomIndex: { self.ports.randomIndex(below: $0) }, isTaken: isTaken) else { return nil }
            external = chosen
        } else {
            guard let address = externalAddress(for: owner),
                  let port = ports.allocate(for: flow.internalEndpoint.port, on: address, behavior: assigning ?? behavior,
                                            isTaken: { isTaken(address, $0) }) else { return nil }
            external = Endpoint(address, port)
        }
        let lifetime = proto == .tcp ? behavior.tcp.transitoryIdleTimeout : behavior.lifetime(established: false)
        let index = table.insert(flow: flow, external: external, at: now, expires: now + lifetime)
        natStats.mappingsCreated += 1
        observer?.mappingCreated(table[index].mapping, by: self)
        sweep.arm(for: self)
        return index
    }

    private func atLimit(_ owner: IPAddress) -> Bool {
        if let limit = behavior.maxMappings, table.count >= limit { return true }
        if let limit = behavior.maxMappingsPerHost, (table.subscribers[owner]?.mappings ?? 0) >= limit { return true }
        return false
    }

    /// The external address for a new mapping of `owner` (RFC 4787 §4.1 pooling).
    private func externalAddress(for owner: IPAddress) -> IPAddress? {
        if behavior.pooling == .paired, let paired = table.subscribers[owner]?.externalAddress, externalSet.contains(paired) {
            return paired
        }
        switch externalAddresses.count {
        case 0: return nil
        case 1: return externalAddresses[0]
        default: return externalAddresses[ports.randomIndex(below: externalAddresses.count)]
        }
    }

    /// The live mapping an inbound packet from `source` to `destination` may pass
    /// through, with the packet's arrival recorded; nil (and the packet refused) when
    /// there is none or filtering keeps `source` out.
    private func admittedMapping(_ slot: PacketSlot, _ proto: IPProtocolKind, from source: Endpoint,
                                 to destination: Endpoint) -> Int? {
        let now = simulation.now
        guard let index = table.index(of: NATPortKey(proto: proto, externalEndpoint: destination), from: source) else {
            trackRefused(proto, from: source, to: destination, at: now)
            refuse(slot, .noMapping)
            return nil
        }
        if table[index].mapping.expires <= now {
            remove(index, reason: .expired)
            trackRefused(proto, from: source, to: destination, at: now)
            refuse(slot, .expired)
            return nil
        }
        let admitted: Bool
        switch filteringBehavior(proto) {
        case .endpointIndependent: admitted = true
        case .addressDependent: admitted = table[index].contactedAddresses.contains(source.address)
        case .addressAndPortDependent: admitted = table[index].contactedEndpoints.contains(source)
        }
        guard admitted else {
            trackRefused(proto, from: source, to: destination, at: now)
            refuse(slot, .filtered)
            return nil
        }
        table[index].mapping.established = true
        if proto == .tcp {
            track(index, TCPWireHeader(simulation.packets[slot].payload), .inbound, at: now)
        } else if behavior.inboundRefresh {
            refresh(index, at: now)
        }
        return index
    }

    /// With `tracksRefusedInbound`: the entry a refused inbound packet leaves, living as
    /// conntrack keeps an unreplied UDP flow (`mappingLifetime`) or a TCP connection its
    /// SYN opened (closed by the router's RST: the reset timeout; else transitory).
    private func trackRefused(_ proto: IPProtocolKind, from source: Endpoint, to destination: Endpoint, at now: Instant) {
        guard behavior.tracksRefusedInbound else { return }
        let lifetime = proto == .udp ? behavior.mappingLifetime
            : behavior.tcp.unsolicitedSYN == .reset ? behavior.tcp.resetIdleTimeout : behavior.tcp.transitoryIdleTimeout
        refusedInbound.record(.init(proto: proto, remote: source, external: destination), until: now + lifetime, now: now)
    }

    /// UDP's mapping behavior, or TCP's.
    private func mappingBehavior(_ proto: IPProtocolKind) -> EndpointDependence {
        proto == .tcp ? behavior.tcp.mapping : behavior.mapping
    }

    /// UDP's filtering behavior, or TCP's.
    private func filteringBehavior(_ proto: IPProtocolKind) -> EndpointDependence {
        proto == .tcp ? behavior.tcp.filtering : behavior.filtering
    }

    private func refresh(_ index: Int, at now: Instant) {
        table[index].mapping.lastRefreshed = now
        table[index].mapping.expires = now + behavior.lifetime(established: table[index].mapping.established)
    }

    // MARK: TCP connections (RFC 5382)

    /// Tracks an outbound segment on TCP mapping `index`; a SYN also settles the
    /// unsolicited SYNs held for its connection: they are dropped silently (REQ-4).
    private func trackOutboundTCP(_ index: Int, _ slot: PacketSlot, to destination: Endpoint, at now: Instant) {
        let header = TCPWireHeader(simulation.packets[slot].payload)
        track(index, header, .outbound, at: now)
        guard heldSYNs.nextDue != nil, header?.isSYN == true else { return }
        let connection = UnsolicitedSYNQueue.Connection(external: table[index].mapping.externalEndpoint, remote: destination)
        natStats.heldSYNsCrossed += heldSYNs.cancel(connection)
    }

    /// Records a segment with `header` crossing TCP mapping `index` in `direction` and
    /// sets the mapping's expiry by the connection's phase: segments either way refresh
    /// it, and a FIN both ways or a RST shortens it (RFC 5382 §5, RFC 7857 §2.2). A nil
    /// header (a segment too short for one) counts as no control bits.
    private func track(_ index: Int, _ header: TCPWireHeader?, _ direction: TrafficDirection, at now: Instant) {
        var connection = table[index].mapping.tcp ?? TCPConnectionTrack()
        connection.record(header?.controlBits ?? 0, direction)
        table[index].mapping.tcp = connection
        table[index].mapping.lastRefreshed = now
        table[index].mapping.expires = now + behavior.tcp.idleTimeout(connection.phase)
    }

    /// Answers an unsolicited inbound SYN as `behavior.tcp.unsolicitedSYN` says (REQ-4).
    private func answerUnsolicitedSYN(_ syn: Packet) {
        switch behavior.tcp.unsolicitedSYN {
        case .drop:
            break
        case .reject:
            heldSYNs.hold(syn, until: simulation.now + NAT.unsolicitedSYNHold)
            natStats.synsHeld += 1
            armHeldSYNTimer()
        case .reset:
            guard let reset = TCPWireHeader.reset(answering: syn.payload, from: syn.destination, to: syn.source) else { return }
            sendPacket(Packet(source: syn.destination, destination: syn.source, proto: .tcp, id: simulation.makePacketID(),
                              createdAt: simulation.now, payload: reset))
            natStats.resetsSent += 1
        }
    }

    private func armHeldSYNTimer() {
        guard !heldSYNTimerPending, let due = heldSYNs.nextDue else { return }
        heldSYNTimerPending = true
        simulation.schedule(at: due, target: handlerID, kind: NAT.heldSYNEventKind)
    }

    /// Answers the held SYNs whose time is up with ICMP port unreachable (REQ-4).
    private func answerHeldSYNs() {
        heldSYNTimerPending = false
        while let syn = heldSYNs.popDue(at: simulation.now) {
            if sendUnreachable(about: syn, from: syn.destination.address, reason: .portUnreachable) { natStats.rejectsSent += 1 }
        }
        armHeldSYNTimer()
    }

    private func removeMappings(reason: NATMappingRemoval, where condition: (NATMapping) -> Bool) {
        for index in table.indexes(where: condition) { remove(index, reason: reason) }
    }

    private func remove(_ index: Int, reason: NATMappingRemoval) {
        let mapping = table.remove(at: index)
        if let blocks = behavior.portBlocks {
            portBlockTable.release(mapping.externalEndpoint, blocks: blocks, range: behavior.portRange, at: simulation.now)
        }
        natStats.mappingsRemoved += 1
        observer?.mappingRemoved(mapping, reason: reason, by: self)
    }

    override public func handleEvent(kind: UInt32, arg: Int64) {
        if kind == NAT.heldSYNEventKind { answerHeldSYNs(); return }
        guard kind == ExpirySweep.eventKind else { return }
        sweep.fired()
        let now = simulation.now
        removeMappings(reason: .expired) { $0.expires <= now }
        if table.count > 0 { sweep.arm(for: self) }
    }

    // MARK: ICMP errors

    /// An ICMP error from outside about a packet the NAT translated: the quote names the
    /// external endpoint, which becomes the internal one again (RFC 5508 §4.1).
    private func translateInboundICMP(_ slot: PacketSlot) {
        let packet = simulation.packets[slot]
        guard let error = ICMPUnreachable(icmpPayload: packet.payload, isIPv6: false),
              let index = table.index(of: NATPortKey(proto: error.originalProtocol, externalEndpoint: error.originalSource),
                                      from: error.originalDestination),
              table[index].mapping.expires > simulation.now,
              table[index].mapping.internalEndpoint.address.family == .ipv4 else {
            dropPacket(slot, .unsupportedProtocol)
            return
        }
        let quoted = quotedPacket(error, packet, source: table[index].mapping.internalEndpoint, destination: error.originalDestination)
        rewriteICMP(slot, packet, error, quoting: quoted, from: packet.source.address, direction: .inbound)
    }

    /// An ICMP error from inside about a packet that came in through a mapping: the
    /// quote names the internal endpoint, which becomes the external one.
    private func translateOutboundICMP(_ slot: PacketSlot) {
        let packet = simulation.packets[slot]
        guard let error = ICMPUnreachable(icmpPayload: packet.payload, isIPv6: false),
              let index = table.index(of: NATFlowKey(proto: error.originalProtocol, internalEndpoint: error.originalDestination,
                                                     remote: mappingBehavior(error.originalProtocol).constraint(error.originalSource))),
              table[index].mapping.expires > simulation.now else {
            dropPacket(slot, .unsupportedProtocol)
            return
        }
        let quoted = quotedPacket(error, packet, source: error.originalSource, destination: table[index].mapping.externalEndpoint)
        rewriteICMP(slot, packet, error, quoting: quoted, from: table[index].mapping.externalEndpoint.address,
                    direction: .outbound)
    }

    /// The packet the translated error quotes: the quoted one with `source` and
    /// `destination` for its endpoints. For TCP the quoted header bytes are kept, their
    /// ports rewritten (RFC 5508 §4.1, RFC 5382 REQ-9): the sender's stack matches the
    /// error to its connection by ports and sequence number (RFC 5927 §4.1).
    private func quotedPacket(_ error: ICMPUnreachable, _ icmp: Packet, source: Endpoint, destination: Endpoint) -> Packet {
        var quoted = Packet(source: source, destination: destination, proto: error.originalProtocol, payload: [])
        if error.originalProtocol == .tcp {
            quoted.payload = Array(ICMPUnreachable.quotedTransport(inIPv4: icmp.payload))
            TCPWireHeader.rewrite(&quoted.payload, from: error.originalSource.address, error.originalDestination.address,
                                  to: source, destination)
        }
        return quoted
    }

    /// Replaces the ICMP error in `slot` by one from `source` quoting `quoted` (and so
    /// addressed to its source), then forwards it.
    private func rewriteICMP(_ slot: PacketSlot, _ original: Packet, _ error: ICMPUnreachable, quoting quoted: Packet,
                             from source: IPAddress, direction: TrafficDirection) {
        let rebuilt = ICMPUnreachable.packet(rejecting: quoted, from: source, reason: error.reason, id: original.id, at: original.createdAt)
        simulation.packets[slot].payload = rebuilt.payload
        translate(slot, .icmp, original.source, original.destination, to: rebuilt.source, rebuilt.destination, direction)
    }

    // MARK: Drops

    /// Drops an inbound packet the NAT does not let in, answering it when the behavior
    /// says so: a TCP SYN as `tcp.unsolicitedSYN` says, others with ICMP for `reject`.
    private func refuse(_ slot: PacketSlot, _ reason: NATDropReason) {
        if simulation.packets[slot].proto == .tcp, let header = TCPWireHeader(simulation.packets[slot].payload),
           header.isSYN && !header.isACK {
            answerUnsolicitedSYN(simulation.packets[slot])
        } else if behavior.unsolicitedResponse == .reject {
            let packet = simulation.packets[slot]
            if sendUnreachable(about: packet, from: packet.destination.address, reason: .administrativelyProhibited) {
                natStats.rejectsSent += 1
            }
        }
        dropPacket(slot, reason)
    }

    /// Drops an outbound packet the NAT could not map, telling the sender when the
    /// behavior says so (RFC 6888 REQ-11: existing mappings are never deleted to make room).
    private func exhausted(_ slot: PacketSlot) {
        if behavior.exhaustionResponse == .reject {
            let packet = simulation.packets[slot]
            // From the NAT's address on the sender's side if it has one (topologies number
            // only the hosts of a LAN), else its first external address.
            let family = packet.source.address.family
            let inside = routes.lookup(packet.source.address).flatMap { interfaces[$0].address(of: family) }
            if let from = inside ?? (family == .ipv4 ? externalAddresses.first : nil),
               sendUnreachable(about: packet, from: from, reason: .hostUnreachable) {
                natStats.exhaustionRejectsSent += 1
            }
        }
        dropPacket(slot, .exhausted)
    }

    private func dropPacket(_ slot: PacketSlot, _ reason: NATDropReason) {
        natStats.drops[reason] += 1
        observer?.dropped(simulation.packets[slot], reason: reason, by: self)
        drop(slot, .filtered)
    }
}
