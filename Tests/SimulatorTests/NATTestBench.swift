import NetTypes
@testable import Simulator

/// The standard NAT test network: alice and carol behind `nat`; on the internet a
/// `server` with two addresses and an `other` host, all numbered by `Topology`.
struct NATTestBench {
    let simulation: Simulation
    let topology: Topology
    let nat: NAT
    let alice: Host
    let carol: Host
    let server: Host
    let other: Host

    init(_ behavior: NATBehavior, seed: UInt64 = 1, externalAddresses: Int = 1) throws {
        simulation = Simulation(seed: seed)
        topology = Topology(simulation: simulation)
        let edge = LinkConfig(latency: .milliseconds(1))
        server = try topology.addHost("server", addresses: 2, link: edge)
        other = try topology.addHost("other", link: edge)
        nat = try topology.addNAT("nat", behavior: behavior, externalAddresses: externalAddresses,
                                  lan: try IPPrefix(parsing: "192.168.1.0/24"), link: edge)
        alice = try topology.addHost("alice", behind: nat, link: edge)
        carol = try topology.addHost("carol", behind: nat, link: edge)
    }

    /// Sends one datagram and runs the network until it settled.
    func send(_ socket: UDPSocket, to destination: Endpoint, _ payload: [UInt8] = [1]) {
        socket.send(payload, to: destination)
        simulation.run(for: .milliseconds(100))
    }

    /// The external endpoint `socket`'s datagram to `destination` arrives from (nil when
    /// it does not arrive); the receiving socket is bound for this probe only.
    func mappedEndpoint(of socket: UDPSocket, to destination: Endpoint, on receiver: Host) throws -> Endpoint? {
        let receiving = try receiver.bindUDP(address: destination.address, port: destination.port)
        defer { receiving.close() }
        let probe = Recorder(receiving)
        send(socket, to: destination)
        return probe.arrivals.last?.datagram.source
    }
}

extension Host {
    /// The host's first IPv4 address.
    var ipv4: IPAddress { interfaces[0].address(of: .ipv4)! }
    /// Its IPv4 addresses, in configuration order.
    var ipv4Addresses: [IPAddress] { interfaces[0].addresses.map(\.address).filter { $0.family == .ipv4 } }
}

/// Records a NAT's decisions for observer tests.
final class NATEventLog: NATObserver {
    var events: [String] = []

    func mappingCreated(_ mapping: NATMapping, by nat: NAT) { events.append("created \(mapping.internalEndpoint)->\(mapping.externalEndpoint)") }
    func mappingRemoved(_ mapping: NATMapping, reason: NATMappingRemoval, by nat: NAT) { events.append("removed \(mapping.externalEndpoint) \(reason.rawValue)") }
    func translated(_ translation: NATTranslation, by nat: NAT) {
        events.append("\(translation.direction)\(translation.hairpin ? " hairpin" : "") \(translation.originalSource)>\(translation.originalDestination) as \(translation.source)>\(translation.destination)")
    }
    func dropped(_ packet: Packet, reason: NATDropReason, by nat: NAT) { events.append("dropped \(packet.source)>\(packet.destination) \(reason)") }
}
