import NetTypes
import Testing
@testable import Simulator
import TCP

/// Alice behind a firewall on the internet (dual-stack), a server and another host outside.
struct FirewallTestBench {
    let simulation = Simulation(seed: 1)
    let topology: Topology
    let firewall: Firewall
    let alice: Host
    let server: Host
    let other: Host

    init(_ policy: FirewallPolicy) throws {
        topology = Topology(simulation: simulation)
        let edge = LinkConfig(latency: .milliseconds(1))
        server = try topology.addHost("server", link: edge)
        other = try topology.addHost("other", link: edge)
        firewall = try topology.addFirewall("firewall", policy: policy, link: edge)
        alice = try topology.addHost("alice", behind: firewall, link: edge)
        // Probes go to unbound ports: keep port-unreachable answers out of the counts.
        for host in [server, other, alice] { host.rejectsClosedPorts = false }
    }

    /// Whether a packet of `proto` from `sender` to `destination` reaches the receiving
    /// host (counted as delivered locally, whether or not a socket or stack takes it).
    /// A TCP packet is a segment with `flags`.
    func passes(_ proto: IPProtocolKind, from sender: Host, _ source: Endpoint, to receiver: Host, _ destination: Endpoint,
                flags: TCPFlags) throws -> Bool {
        let before = receiver.stats.deliveredLocally
        if proto == .tcp {
            sender.sendSegment(flags, from: source, to: destination)
        } else {
            sender.sendPacket(Packet(source: source, destination: destination, proto: proto, id: simulation.makePacketID(), payload: [1]))
        }
        simulation.run(for: .milliseconds(50))
        return receiver.stats.deliveredLocally > before
    }

    /// Alice sends to the server's `port` (for TCP, a SYN from port `from`).
    func outbound(_ proto: IPProtocolKind, port: UInt16, from: UInt16 = 5000, flags: TCPFlags = .syn,
                  family: AddressFamily = .ipv4) throws -> Bool {
        try passes(proto, from: alice, Endpoint(alice.interfaces[0].address(of: family)!, from),
                   to: server, Endpoint(server.interfaces[0].address(of: family)!, port), flags: flags)
    }

    /// `host` sends from `port` to alice's `to` (for TCP, a SYN-ACK: a reply).
    func inbound(_ proto: IPProtocolKind, from host: Host, port: UInt16 = 3478, to: UInt16 = 5000, flags: TCPFlags = [.syn, .ack],
                 family: AddressFamily = .ipv4) throws -> Bool {
        try passes(proto, from: host, Endpoint(host.interfaces[0].address(of: family)!, port),
                   to: alice, Endpoint(alice.interfaces[0].address(of: family)!, to), flags: flags)
    }
}

@Suite struct FirewallTests {
    @Test func allowOutboundOnlyLetsReturnTrafficInForBothFamilies() throws {
        for family in AddressFamily.allCases {
            let bench = try FirewallTestBench(.allowOutboundOnly)
            #expect(try bench.inbound(.udp, from: bench.server, family: family) == false)
            #expect(try bench.outbound(.udp, port: 3478, family: family))
            #expect(try bench.inbound(.udp, from: bench.server, family: family))          // return traffic
            #expect(try bench.inbound(.udp, from: bench.server, port: 9, family: family) == false)
            #expect(try bench.inbound(.udp, from: bench.other, family: family) == false)
            #expect(try bench.inbound(.tcp, from: bench.server, family: family) == false)  // other protocol, other flow
            #expect(bench.firewall.flows.count == 1)
            bench.simulation.run(for: .seconds(121))
            #expect(bench.firewall.flows.isEmpty)
            #expect(try bench.inbound(.udp, from: bench.server, family: family) == false)  // idle timeout
            #expect(bench.firewall.firewallStats.allowedByState == 1)
            #expect(bench.firewall.firewallStats.dropped == 5)
        }
    }

    @Test func blockAllUDP() throws {
        let bench = try FirewallTestBench(.blockAllUDP)
        #expect(try bench.outbound(.udp, port: 3478) == false)
        #expect(try bench.outbound(.udp, port: 443) == false)
        #expect(try bench.outbound(.tcp, port: 443))
        #expect(try bench.inbound(.tcp, from: bench.server, port: 443))
    }

    @Test func allowUDPPorts() throws {
        let bench = try FirewallTestBench(try FirewallPolicy.preset(named: "allow-udp-ports"))
        #expect(try bench.outbound(.udp, port: 3478))
        #expect(try bench.outbound(.udp, port: 443))
        #expect(try bench.outbound(.udp, port: 3479) == false)
        #expect(try bench.outbound(.tcp, port: 5222))
        #expect(try bench.inbound(.udp, from: bench.other) == false)
    }

    @Test func rulesMatchInOrderOnPrefixesPortsAndDirection() throws {
        let policy = FirewallPolicy(rules: [
            FirewallRule(.drop, direction: .inbound, source: try IPPrefix(parsing: "203.0.113.2/32")),
            FirewallRule(.allow, direction: .inbound, proto: .udp, source: try IPPrefix(parsing: "203.0.113.0/24"),
                         sourcePorts: 3000...3999, destinationPorts: 5000...5010),
        ], stateful: false)
        let bench = try FirewallTestBench(policy)
        #expect(bench.server.ipv4 == (try IPAddress(parsing: "203.0.113.1")))
        #expect(bench.other.ipv4 == (try IPAddress(parsing: "203.0.113.2")))
        #expect(try bench.inbound(.udp, from: bench.server, port: 3478))
        #expect(try bench.inbound(.udp, from: bench.server, port: 4000) == false)
        #expect(try bench.inbound(.tcp, from: bench.server, port: 3478) == false)
        #expect(try bench.inbound(.udp, from: bench.other, port: 3478) == false)      // first rule wins
        #expect(try bench.outbound(.udp, port: 3478) == false)                        // default drop, stateless
        #expect(bench.firewall.flows.isEmpty)
    }

    @Test func rejectAnswersWithICMPAndErrorsAboutAllowedFlowsPass() throws {
        let bench = try FirewallTestBench(FirewallPolicy(rules: [
            FirewallRule(.reject, direction: .outbound, proto: .udp, destinationPorts: 9...9),
            FirewallRule(.allow, direction: .outbound),
        ]))
        bench.server.rejectsClosedPorts = true
        let socket = try bench.alice.bindUDP(port: 5000)
        let alice = Recorder(socket)
        socket.send([1], to: Endpoint(bench.server.ipv4, 9))        // rejected by the firewall
        socket.send([2], to: Endpoint(bench.server.ipv4, 3478))     // allowed, closed port at the server
        bench.simulation.run(for: .milliseconds(50))
        #expect(alice.errors.map(\.reason) == [.administrativelyProhibited, .portUnreachable])
        #expect(alice.errors.map(\.originalDestination.port) == [9, 3478])
        #expect(bench.firewall.firewallStats.rejected == 1)
    }

    @Test func observerSeesDecisions() throws {
        final class Log: FirewallObserver {
            var entries: [String] = []
            func decided(_ packet: Packet, direction: TrafficDirection, action: FirewallAction, reason: FirewallDecisionReason,
                         by firewall: Firewall) {
                entries.append("\(direction) \(action) \(reason)")
            }
        }
        let bench = try FirewallTestBench(.allowOutboundOnly)
        let log = Log()
        bench.firewall.observer = log
        _ = try bench.outbound(.udp, port: 3478)
        _ = try bench.inbound(.udp, from: bench.server)
        _ = try bench.inbound(.udp, from: bench.other)
        #expect(log.entries == ["outbound allow rule(0)", "inbound allow state", "inbound drop defaultAction"])
    }

    @Test func presetsByNameAndFirewallsInFrontOfNATs() throws {
        for (name, policy) in FirewallPolicy.presets { #expect(try FirewallPolicy.preset(named: name) == policy) }
        #expect(throws: UnknownPresetError.self) { try FirewallPolicy.preset(named: "open") }
        // A firewall on a NAT's LAN, and a NAT behind a firewall on the internet.
        let simulation = Simulation(seed: 1)
        let topology = Topology(simulation: simulation)
        let server = try topology.addHost("server")
        let nat = try topology.addNAT("nat", behavior: .fullCone)
        let lanFirewall = try topology.addFirewall("lan-fw", policy: .blockAllUDP, behind: nat)
        let blocked = try topology.addHost("blocked", behind: lanFirewall)
        let edgeFirewall = try topology.addFirewall("edge-fw", policy: .allowOutboundOnly)
        let natBehindFirewall = try topology.addNAT("nat2", behavior: .fullCone, behind: edgeFirewall)
        let open = try topology.addHost("open", behind: natBehindFirewall)
        let rx = Recorder(try server.bindUDP(port: 3478))
        try blocked.bindUDP(port: 5000).send([1], to: Endpoint(server.ipv4, 3478))
        try open.bindUDP(port: 5000).send([2], to: Endpoint(server.ipv4, 3478))
        simulation.run(for: .milliseconds(10))
        #expect(rx.arrivals.map(\.datagram.payload) == [[2]])
        #expect(rx.arrivals.first?.datagram.source == Endpoint(natBehindFirewall.externalAddresses[0], 5000))
        #expect(blocked.ipv4 == (try IPAddress(parsing: "10.1.0.2")))
        #expect(lanFirewall.firewallStats.dropped == 1)
    }
}
