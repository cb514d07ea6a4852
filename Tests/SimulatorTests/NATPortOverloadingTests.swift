import NetTypes
import Testing
@testable import Simulator

/// Port overloading as netfilter does it (`NATBehavior.portOverloading`, on in
/// `linux-masquerade`): conntrack only needs each reply tuple (remote → external
/// endpoint) to be unique, so hosts behind the NAT share an external port while they talk
/// to different remotes, and a flow whose reply tuple is taken moves to another port.
@Suite struct NATPortOverloadingTests {
    struct Run {
        let bench: NATTestBench
        let aliceSocket: UDPSocket
        let carolSocket: UDPSocket
        /// The external endpoints alice's packet to the server and carol's came from.
        let alice: Endpoint?
        let carol: Endpoint?
    }

    /// alice:5000 → server:3478, then carol:5000 → `carolTo`.
    static func twoHosts(_ behavior: NATBehavior, carolTo: (NATTestBench) -> Endpoint) throws -> Run {
        let bench = try NATTestBench(behavior)
        let aliceSocket = try bench.alice.bindUDP(port: 5000)
        let carolSocket = try bench.carol.bindUDP(port: 5000)
        let alice = try bench.mappedEndpoint(of: aliceSocket, to: Endpoint(bench.server.ipv4, 3478), on: bench.server)
        let destination = carolTo(bench)
        let receiver = destination.address == bench.other.ipv4 ? bench.other : bench.server
        let carol = try bench.mappedEndpoint(of: carolSocket, to: destination, on: receiver)
        return Run(bench: bench, aliceSocket: aliceSocket, carolSocket: carolSocket, alice: alice, carol: carol)
    }

    @Test func hostsWithTheSamePortShareItWhenTheirRemotesDiffer() throws {
        let run = try Self.twoHosts(.linuxMasquerade) { Endpoint($0.other.ipv4, 7000) }
        #expect(run.alice?.port == 5000 && run.carol?.port == 5000)
        #expect(run.bench.nat.mappings.count == 2 && run.bench.nat.natStats.portClashes == 0)
    }

    @Test func theSameRemoteIsAClashAndTakesAnotherPort() throws {
        let run = try Self.twoHosts(.linuxMasquerade) { Endpoint($0.server.ipv4, 3478) }
        #expect(run.alice?.port == 5000)
        #expect(run.carol != nil && run.carol?.port != 5000)
    }

    @Test func withoutOverloadingNoPortIsShared() throws {
        var behavior = NATBehavior.linuxMasquerade
        behavior.portOverloading = false
        let run = try Self.twoHosts(behavior) { Endpoint($0.other.ipv4, 7000) }
        #expect(run.alice?.port == 5000 && run.carol?.port == 5001)
        #expect(!NATBehavior.rfc4787.portOverloading && !NATBehavior.portRestrictedCone.portOverloading)
    }

    @Test func repliesReachTheMappingThatContactedTheirSender() throws {
        let run = try Self.twoHosts(.linuxMasquerade) { Endpoint($0.other.ipv4, 7000) }
        let external = try #require(run.alice)
        let alice = Recorder(run.aliceSocket), carol = Recorder(run.carolSocket)
        let fromServer = try run.bench.server.bindUDP(address: run.bench.server.ipv4, port: 3478)
        let fromOther = try run.bench.other.bindUDP(address: run.bench.other.ipv4, port: 7000)
        run.bench.send(fromServer, to: external, [1])
        run.bench.send(fromOther, to: external, [2])
        #expect(alice.arrivals.map(\.datagram.payload) == [[1]])
        #expect(carol.arrivals.map(\.datagram.payload) == [[2]])
    }

    /// A host sending to a remote that another host's shared mapping already talks to
    /// moves that flow to another port: the reply tuple would clash. Its mapping stays.
    @Test func aLaterClashMovesTheFlowNotTheMapping() throws {
        let run = try Self.twoHosts(.linuxMasquerade) { Endpoint($0.other.ipv4, 7000) }
        let bench = run.bench
        let moved = try bench.mappedEndpoint(of: run.aliceSocket, to: Endpoint(bench.other.ipv4, 7000), on: bench.other)
        #expect(moved != nil && moved?.port != run.alice?.port)
        #expect(bench.nat.natStats.portClashes == 1)
        #expect(try bench.mappedEndpoint(of: run.aliceSocket, to: Endpoint(bench.server.ipv4, 3478), on: bench.server) == run.alice)
    }

    @Test func removingTheFirstMappingKeepsTheSharedPortForTheOther() throws {
        var behavior = NATBehavior.linuxMasquerade
        behavior.mappingLifetime = .milliseconds(500)
        behavior.establishedLifetime = nil
        let run = try Self.twoHosts(behavior) { Endpoint($0.other.ipv4, 7000) }
        let bench = run.bench
        // carol's mapping stays alive; alice's expires and is swept.
        for _ in 0..<15 { bench.send(run.carolSocket, to: Endpoint(bench.other.ipv4, 7000)) }
        #expect(bench.nat.mappings.map(\.internalEndpoint.address) == [bench.carol.ipv4])
        let carol = Recorder(run.carolSocket)
        bench.send(try bench.other.bindUDP(address: bench.other.ipv4, port: 7000), to: try #require(run.carol), [9])
        #expect(carol.arrivals.count == 1)
    }
}
