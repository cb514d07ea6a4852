import NetTypes
import Testing
@testable import Simulator

/// Hairpinning, chained NATs, ICMP, observers and presets.
@Suite struct NATTraversalTests {
    /// Carol publishes her mapping (by sending to the server); alice sends to it from
    /// inside. Returns what carol's socket received and alice's own mapped endpoint.
    func hairpin(_ mode: NATBehavior.Hairpinning) throws -> (arrivals: [Datagram], aliceMapped: Endpoint, bench: NATTestBench) {
        var behavior = NATBehavior.fullCone
        behavior.hairpinning = mode
        let bench = try NATTestBench(behavior)
        let destination = Endpoint(bench.server.ipv4, 3478)
        let carolSocket = try bench.carol.bindUDP(port: 6000)
        let carol = Recorder(carolSocket)
        let carolMapped = try #require(try bench.mappedEndpoint(of: carolSocket, to: destination, on: bench.server))
        let aliceSocket = try bench.alice.bindUDP(port: 5000)
        let aliceMapped = try #require(try bench.mappedEndpoint(of: aliceSocket, to: destination, on: bench.server))
        bench.send(aliceSocket, to: carolMapped)
        return (carol.arrivals.map(\.datagram), aliceMapped, bench)
    }

    @Test func hairpinningWithExternalSource() throws {
        let (arrivals, aliceMapped, bench) = try hairpin(.externalSource)
        #expect(arrivals.map(\.source) == [aliceMapped])
        #expect(arrivals.map(\.destination) == [Endpoint(bench.carol.ipv4, 6000)])
        #expect(bench.nat.natStats.hairpinned == 1)
    }

    @Test func hairpinningWithInternalSource() throws {
        let (arrivals, _, bench) = try hairpin(.internalSource)
        #expect(arrivals.map(\.source) == [Endpoint(bench.alice.ipv4, 5000)])
    }

    @Test func hairpinningDisabled() throws {
        let (arrivals, _, bench) = try hairpin(.disabled)
        #expect(arrivals.isEmpty)
        #expect(bench.nat.natStats.dropped(.hairpinDisabled) == 1)
    }

    @Test func chainedNATs() throws {
        // NAT444: alice behind a home NAT behind a carrier-grade NAT.
        let simulation = Simulation(seed: 3)
        let topology = Topology(simulation: simulation)
        let server = try topology.addHost("server")
        let stranger = try topology.addHost("stranger")
        let cgnat = try topology.addNAT("cgnat", behavior: .cgnat, externalAddresses: 2, lan: try IPPrefix(parsing: "100.64.0.0/10"))
        let home = try topology.addNAT("home", behavior: .portRestrictedCone, behind: cgnat, lan: try IPPrefix(parsing: "192.168.1.0/24"))
        let alice = try topology.addHost("alice", behind: home)
        #expect(home.externalAddresses == [try IPAddress(parsing: "100.64.0.2")])
        #expect(alice.ipv4 == (try IPAddress(parsing: "192.168.1.2")))

        let socket = try alice.bindUDP(port: 5000)
        let aliceRx = Recorder(socket)
        let serverSocket = try server.bindUDP(port: 3478)
        let serverRx = Recorder(serverSocket)
        socket.send([1], to: Endpoint(server.ipv4, 3478))
        simulation.run(for: .milliseconds(10))
        let mapped = try #require(serverRx.arrivals.first?.datagram.source)
        #expect(cgnat.externalAddresses.contains(mapped.address))
        #expect(home.mappings.map(\.externalEndpoint) == [Endpoint(home.externalAddresses[0], 5000)])
        #expect(cgnat.mappings.map(\.internalEndpoint) == [Endpoint(home.externalAddresses[0], 5000)])
        #expect(cgnat.mappings.map(\.externalEndpoint) == [mapped])

        serverSocket.send([2], to: mapped)
        try stranger.bindUDP(port: 3478).send([3], to: mapped)
        simulation.run(for: .milliseconds(10))
        #expect(aliceRx.arrivals.map(\.datagram.payload) == [[2]])
        #expect(aliceRx.arrivals.map(\.datagram.source) == [Endpoint(server.ipv4, 3478)])
        #expect(cgnat.natStats.dropped(.filtered) == 1)
    }

    @Test func unsolicitedPacketsAreDroppedOrRejected() throws {
        for response in NATBehavior.UnsolicitedResponse.allCases {
            var behavior = NATBehavior.portRestrictedCone
            behavior.unsolicitedResponse = response
            let bench = try NATTestBench(behavior)
            let socket = try bench.alice.bindUDP(port: 5000)
            let mapped = try #require(try bench.mappedEndpoint(of: socket, to: Endpoint(bench.server.ipv4, 3478), on: bench.server))
            let otherSocket = try bench.other.bindUDP(port: 9)
            let other = Recorder(otherSocket)
            bench.send(otherSocket, to: mapped)                                            // filtered
            bench.send(otherSocket, to: Endpoint(bench.nat.externalAddresses[0], 4000))    // no mapping
            let expected = response == .reject ? [
                ICMPUnreachable(reason: .administrativelyProhibited, originalSource: Endpoint(bench.other.ipv4, 9),
                                originalDestination: mapped, originalProtocol: .udp),
                ICMPUnreachable(reason: .administrativelyProhibited, originalSource: Endpoint(bench.other.ipv4, 9),
                                originalDestination: Endpoint(bench.nat.externalAddresses[0], 4000), originalProtocol: .udp),
            ] : []
            #expect(other.errors == expected)
            #expect(bench.nat.natStats.rejectsSent == expected.count)
            #expect(bench.nat.natStats.dropped(.filtered) == 1 && bench.nat.natStats.dropped(.noMapping) == 1)
        }
    }

    @Test func icmpErrorsAreTranslatedBothWays() throws {
        let bench = try NATTestBench(.fullCone)
        let aliceSocket = try bench.alice.bindUDP(port: 5000)
        let alice = Recorder(aliceSocket)
        // The server has no socket on 3478: its port unreachable comes back to alice's socket.
        bench.send(aliceSocket, to: Endpoint(bench.server.ipv4, 3478))
        #expect(alice.errors == [ICMPUnreachable(reason: .portUnreachable, originalSource: Endpoint(bench.alice.ipv4, 5000),
                                                 originalDestination: Endpoint(bench.server.ipv4, 3478), originalProtocol: .udp)])
        // The other way: alice's closed port answers a packet that came in through the mapping.
        let mapped = Endpoint(bench.nat.externalAddresses[0], 5000)
        aliceSocket.close()
        let otherSocket = try bench.other.bindUDP(port: 9)
        let other = Recorder(otherSocket)
        bench.send(otherSocket, to: mapped)
        #expect(other.errors == [ICMPUnreachable(reason: .portUnreachable, originalSource: Endpoint(bench.other.ipv4, 9),
                                                 originalDestination: mapped, originalProtocol: .udp)])
    }

    @Test func observerSeesEveryDecision() throws {
        var behavior = NATBehavior.portRestrictedCone
        behavior.mappingLifetime = .seconds(5)
        let bench = try NATTestBench(behavior)
        let log = NATEventLog()
        bench.nat.observer = log
        let socket = try bench.alice.bindUDP(port: 5000)
        let server = try bench.server.bindUDP(port: 3478)
        let serverEndpoint = Endpoint(bench.server.ipv4, 3478)
        bench.send(socket, to: serverEndpoint)
        let mapped = Endpoint(bench.nat.externalAddresses[0], 5000)
        bench.send(server, to: mapped)
        bench.send(try bench.other.bindUDP(port: 9), to: mapped)
        bench.simulation.run(for: .seconds(10))
        let alice = Endpoint(bench.alice.ipv4, 5000)
        #expect(log.events == [
            "created \(alice)->\(mapped)",
            "outbound \(alice)>\(serverEndpoint) as \(mapped)>\(serverEndpoint)",
            "inbound \(serverEndpoint)>\(mapped) as \(serverEndpoint)>\(alice)",
            "dropped \(Endpoint(bench.other.ipv4, 9))>\(mapped) filtered",
            "removed \(mapped) expired",
        ])
        #expect(bench.nat.natStats.mappingsCreated == 1 && bench.nat.natStats.mappingsRemoved == 1)
    }

    @Test func mappingTableShowsEveryField() throws {
        let bench = try NATTestBench(.symmetric)
        let socket = try bench.alice.bindUDP(port: 5000)
        bench.simulation.run(until: .zero + .seconds(2))
        bench.send(socket, to: Endpoint(bench.server.ipv4, 3478))
        let mapping = try #require(bench.nat.mappings.first)
        #expect(mapping.id == 1 && mapping.proto == .udp)
        #expect(mapping.internalEndpoint == Endpoint(bench.alice.ipv4, 5000))
        #expect(mapping.externalEndpoint.address == bench.nat.externalAddresses[0])
        #expect(mapping.remote == Endpoint(bench.server.ipv4, 3478))
        #expect(mapping.created == .zero + .seconds(2) + .milliseconds(1))
        #expect(mapping.expires == mapping.lastRefreshed + .seconds(120))
        #expect(!mapping.established)
    }

    @Test func presetsByName() throws {
        for (name, behavior) in NATBehavior.presets { #expect(try NATBehavior.preset(named: name) == behavior) }
        #expect(try NATBehavior.preset(named: "symmetric") == .symmetric)
        #expect(throws: UnknownPresetError(kind: "NAT", name: "cone", validNames: NATBehavior.presets.map(\.name))) {
            try NATBehavior.preset(named: "cone")
        }
        let error = UnknownPresetError(kind: "NAT", name: "cone", validNames: ["a", "b"])
        #expect(error.description == "unknown NAT preset 'cone'; valid presets: a, b")
    }
}
