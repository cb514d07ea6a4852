import NetTypes
import Testing
@testable import Simulator

/// A NAT's LAN with a global IPv6 /64 (`LANAddressing`): IPv6 is routed untranslated,
/// filtered by the home router's IPv6 firewall (RFC 6092) when it has one, while IPv4
/// keeps going through the NAT.
@Suite struct DualStackLANTests {
    struct Bench {
        let simulation = Simulation(seed: 1)
        let topology: Topology
        let home: NAT
        let alice: Host
        let server: Host

        init(firewall: FirewallPolicy?) throws {
            topology = Topology(simulation: simulation)
            let edge = LinkConfig(latency: .milliseconds(1))
            server = try topology.addHost("server", link: edge)
            home = try topology.addNAT("home", behavior: .fullCone, addressing: LANAddressing(ipv6: true, ipv6Firewall: firewall), link: edge)
            alice = try topology.addHost("alice", behind: home, link: edge)
        }

        func address(_ host: Host, _ family: AddressFamily) -> IPAddress { host.interfaces[0].address(of: family)! }
    }

    @Test func hostsBehindADualStackNATGetBothFamilies() throws {
        let bench = try Bench(firewall: nil)
        let v6 = bench.address(bench.alice, .ipv6)
        #expect(try IPPrefix(parsing: "2001:db8:0:1::/64").contains(v6))
        #expect(bench.address(bench.alice, .ipv4).isPrivate)
        let second = try bench.topology.addNAT("second", behavior: .fullCone, addressing: LANAddressing(ipv6: true))
        let bob = try bench.topology.addHost("bob", behind: second)
        #expect(try IPPrefix(parsing: "2001:db8:0:2::/64").contains(bench.address(bob, .ipv6)))
    }

    @Test func ipv6IsRoutedUntranslatedBothWays() throws {
        let bench = try Bench(firewall: nil)
        let socket = try bench.alice.bindUDP(address: bench.address(bench.alice, .ipv6), port: 5000)
        let heard = Recorder(socket)
        let service = try bench.server.bindUDP(address: bench.address(bench.server, .ipv6), port: 3478)
        let serverHeard = Recorder(service)
        // Unsolicited inbound IPv6 reaches the host: no firewall, and IPv6 is not NATed.
        _ = service.send([1], to: Endpoint(bench.address(bench.alice, .ipv6), 5000))
        _ = socket.send([2], to: Endpoint(bench.address(bench.server, .ipv6), 3478))
        bench.simulation.run(for: .milliseconds(50))
        #expect(heard.arrivals.count == 1)
        #expect(serverHeard.arrivals.first?.datagram.source == Endpoint(bench.address(bench.alice, .ipv6), 5000))
        #expect(bench.home.mappings.isEmpty)
    }

    @Test func theIPv6FirewallDropsUnsolicitedInboundAndAdmitsReplies() throws {
        let bench = try Bench(firewall: .allowOutboundOnly)
        let aliceV6 = Endpoint(bench.address(bench.alice, .ipv6), 5000)
        let socket = try bench.alice.bindUDP(address: aliceV6.address, port: 5000)
        let heard = Recorder(socket)
        let service = try bench.server.bindUDP(address: bench.address(bench.server, .ipv6), port: 3478)
        service.onReceive = { _ = service.send([3], to: $0.source) }
        _ = try bench.server.bindUDP(address: bench.address(bench.server, .ipv6), port: 4000).send([1], to: aliceV6)
        bench.simulation.run(for: .milliseconds(50))
        #expect(heard.arrivals.isEmpty)
        _ = socket.send([2], to: Endpoint(service.local.address, 3478))
        bench.simulation.run(for: .milliseconds(50))
        #expect(heard.arrivals.map(\.datagram.payload) == [[3]])
        let firewall = try #require(bench.simulation.nodes.first { $0.name == "home" + LANAddressing.firewallSuffix } as? Firewall)
        #expect(firewall.firewallStats.dropped == 1 && firewall.filteredFamily == .ipv6)
    }

    @Test func theIPv6FirewallLeavesIPv4ToTheNAT() throws {
        let bench = try Bench(firewall: .allowOutboundOnly)
        let socket = try bench.alice.bindUDP(address: bench.address(bench.alice, .ipv4), port: 5000)
        let heard = Recorder(socket)
        let service = try bench.server.bindUDP(address: bench.address(bench.server, .ipv4), port: 3478)
        let serverHeard = Recorder(service)
        _ = socket.send([1], to: service.local)
        bench.simulation.run(for: .milliseconds(50))
        let mapped = try #require(serverHeard.arrivals.first?.datagram.source)
        // A full-cone NAT admits anyone to the mapping; the IPv6 firewall does not filter IPv4.
        _ = try bench.server.bindUDP(address: bench.address(bench.server, .ipv4), port: 4000).send([2], to: mapped)
        bench.simulation.run(for: .milliseconds(50))
        #expect(heard.arrivals.map(\.datagram.payload) == [[2]])
    }
}
