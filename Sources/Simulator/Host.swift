import NetTypes

/// An end host: UDP sockets on top of its interfaces, and a TCP stack when one is
/// installed (`tcp`). Does not forward packets.
public final class Host: Node {
    /// Ephemeral ports are drawn from this range (IANA dynamic ports by default).
    public var ephemeralPorts: ClosedRange<UInt16> = 49152...65535
    /// Whether a datagram to a closed port is answered with ICMP port unreachable
    /// (as real hosts do) rather than dropped silently.
    public var rejectsClosedPorts = true
    /// ICMP errors received that matched no socket.
    public private(set) var unmatchedICMP = 0
    /// The host's TCP: it receives every TCP segment addressed to the host and every ICMP
    /// error about a TCP packet the host sent. Without one, TCP segments are dropped
    /// (`noListener`), as by a host with no TCP at all.
    public var tcp: (any HostTCPStack)?
    /// The host's 464XLAT translator (nil: none); see `enableCLAT`.
    public private(set) var clat: CLAT?

    private var sockets: [UInt16: [UDPSocket]] = [:]
    private var random: Xoshiro256
    private static let loopbackDelivery: UInt32 = 1

    override public init(simulation: Simulation, name: String) {
        random = simulation.randomStream(for: "host:" + name)
        super.init(simulation: simulation, name: name)
    }

    /// Turns on a CLAT (RFC 6877): the host gets `CLAT.ipv4Address` on interface 0, and
    /// its IPv4 packets leave as IPv6 from `ipv6` (an address routed to this host but not
    /// configured on an interface, so no socket binds it) towards `prefix`.
    public func enableCLAT(ipv6: IPv6Address, prefix: NAT64Prefix) {
        clat = CLAT(ipv6: ipv6, prefix: prefix)
        addAddress(CLAT.ipv4Address, to: 0)
    }

    // MARK: Sockets

    /// Binds a UDP socket. `address` nil binds all IPv4 addresses (use `IPAddress.v6(.any)`
    /// for IPv6); `port` 0 picks a free ephemeral port.
    public func bindUDP(address: IPAddress? = nil, port: UInt16 = 0) throws(SocketError) -> UDPSocket {
        let bindAddress = address ?? .v4(.any)
        if !bindAddress.isUnspecified && !owns(bindAddress) { throw .addressNotLocal(bindAddress) }
        let chosen = port == 0 ? try freePort(for: bindAddress) : port
        if conflicts(bindAddress, chosen) { throw .addressInUse(Endpoint(bindAddress, chosen)) }
        let socket = UDPSocket(host: self, local: Endpoint(bindAddress, chosen))
        sockets[chosen, default: []].append(socket)
        return socket
    }

    private func conflicts(_ address: IPAddress, _ port: UInt16) -> Bool {
        guard let bound = sockets[port] else { return false }
        return bound.contains { $0.local.address.overlapsBinding(address) }
    }

    private func freePort(for address: IPAddress) throws(SocketError) -> UInt16 {
        try EphemeralPort.draw(in: ephemeralPorts, random: &random) { conflicts(address, $0) }
    }

    func unbind(_ socket: UDPSocket) {
        sockets[socket.local.port]?.removeAll { $0 === socket }
        if sockets[socket.local.port]?.isEmpty == true { sockets[socket.local.port] = nil }
    }

    /// The socket that receives a datagram for `destination`: an exact bind wins over a
    /// wildcard one.
    func socket(for destination: Endpoint) -> UDPSocket? {
        guard let bound = sockets[destination.port] else { return nil }
        return IPAddress.bestBinding(among: bound, for: destination.address) { $0.local.address }
    }

    // MARK: Sending

    func sendUDP(from socket: UDPSocket, payload: consuming [UInt8], to destination: Endpoint, ecn: ECNCodepoint) -> Bool {
        guard let path = route(toward: destination.address), let from = socket.isWildcard ? path.source : socket.local.address else {
            stats.drops[.noRoute] += 1
            return false
        }
        send(.udp, from: Endpoint(from, socket.local.port), to: destination, on: path.interface, ecn: ecn, payload: payload)
        socket.datagramsSent += 1
        return true
    }

    /// Sends a TCP segment (the whole segment, its checksum computed for `source` and
    /// `destination`) from `source`, an address of this host. Returns false when there
    /// is no route. `ecn` is the IP header's ECN field (ECT(0) for data of a connection
    /// that negotiated ECN, RFC 3168 §6.1.1).
    @discardableResult
    public func sendTCP(_ segment: consuming [UInt8], from source: Endpoint, to destination: Endpoint, ecn: ECNCodepoint = .notECT) -> Bool {
        guard let path = route(toward: destination.address) else {
            stats.drops[.noRoute] += 1
            return false
        }
        send(.tcp, from: source, to: destination, on: path.interface, ecn: ecn, payload: segment)
        return true
    }

    /// How a packet to `destination` leaves, with one route look-up: the interface (nil
    /// when the host owns `destination` and delivers it to itself) and the address a
    /// socket bound to all addresses sends from (`destination` itself, else the routed
    /// interface's address of that family, nil when it has none). Nil when there is no
    /// route.
    public func route(toward destination: IPAddress) -> (interface: Int?, source: IPAddress?)? {
        if owns(destination) { return (nil, destination) }
        guard let index = routes.lookup(destination) else { return nil }
        return (index, sourceAddress(of: destination.family, on: index))
    }

    private func send(_ proto: IPProtocolKind, from source: Endpoint, to destination: Endpoint, on interface: Int?,
                      ecn: ECNCodepoint, payload: consuming [UInt8]) {
        var packet = Packet(source: source, destination: destination, proto: proto, ecn: ecn, id: sim.makePacketID(),
                            createdAt: sim.now, payload: payload)
        var interface = interface
        if interface != nil, clat?.translateOutbound(&packet) == true {
            interface = routes.lookup(packet.destination.address)
            guard interface != nil else { stats.drops[.noRoute] += 1; return }
        }
        countSent()
        let slot = sim.packets.insert(consume packet)
        if let interface {
            transmit(slot, on: interface)
        } else {
            sim.schedule(at: sim.now, target: handlerID, kind: Host.loopbackDelivery, arg: Int64(slot))
        }
    }

    override public func handleEvent(kind: UInt32, arg: Int64) {
        if kind == Host.loopbackDelivery { deliverLocally(PacketSlot(arg), on: -1) }
    }

    // MARK: Receiving

    /// Packets to the CLAT's IPv6 address are translated to IPv4 and delivered (RFC 6877
    /// §6.1); every other packet as any node receives it.
    override public func receive(_ slot: PacketSlot, on interface: Int) {
        guard let clat, sim.packets[slot].destination.address == .v6(clat.ipv6) else {
            super.receive(slot, on: interface)
            return
        }
        stats.received += 1
        guard clat.translateInbound(&sim.packets[slot]) else { drop(slot, .noListener); return }
        stats.deliveredLocally += 1
        deliverLocally(slot, on: interface)
    }

    override public func deliverLocally(_ slot: PacketSlot, on interface: Int) {
        var packet = sim.packets.take(slot)
        switch packet.proto {
        case .udp:
            guard let socket = socket(for: packet.destination), socket.isOpen else {
                stats.drops[.noListener] += 1
                if rejectsClosedPorts { sendUnreachable(about: packet, from: packet.destination.address, reason: .portUnreachable) }
                return
            }
            socket.datagramsReceived += 1
            socket.onReceive?(Datagram(source: packet.source, destination: packet.destination, transport: .udp,
                                        payload: packet.takePayload(), ecn: packet.ecn))
        case .icmp, .icmpv6:
            guard let error = ICMPUnreachable(icmpPayload: packet.payload, isIPv6: packet.proto == .icmpv6) else {
                stats.drops[.malformed] += 1
                return
            }
            if error.originalProtocol == .udp, let socket = socket(for: error.originalSource) {
                socket.onError?(error)
            } else if error.originalProtocol == .tcp, let tcp {
                tcp.receive(error)
            } else {
                unmatchedICMP += 1
            }
        case .tcp:
            guard let tcp else {
                stats.drops[.noListener] += 1
                return
            }
            tcp.receive(Datagram(source: packet.source, destination: packet.destination, transport: .tcp,
                                 payload: packet.takePayload(), ecn: packet.ecn))
        }
    }
}
