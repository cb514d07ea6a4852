import NetTypes
import Testing
@testable import Simulator

/// Linux conntrack in the model (`tracksRefusedInbound`, measured by
/// `NetnsLabTests.anEarlyInboundPacketMovesTheHostsPortToThatPeer`): a packet the NAT
/// refuses leaves an entry, and the host's first packet to that sender leaves from
/// another port while other destinations keep the mapping's.
@Suite struct NATRefusedInboundTests {
    /// `linux-masquerade` with the conntrack entries on (the preset has them off, docs/nat.md).
    static let linux: NATBehavior = {
        var behavior = NATBehavior.linuxMasquerade
        behavior.tracksRefusedInbound = true
        return behavior
    }()

    struct Run {
        let bench: NATTestBench
        let socket: UDPSocket
        /// `other`:7000 and what it heard.
        let peer: UDPSocket
        let heard: Recorder
        /// alice:5000's mapping, made by a packet to the server.
        let mapped: Endpoint
        /// The source port `other`:7000 saw alice's packet from (nil: it did not arrive).
        let seen: UInt16?
    }

    /// alice:5000 gets a mapping towards the server; `other` sends to it first when
    /// `early`; after `wait`, alice sends to `other`.
    static func run(_ behavior: NATBehavior, early: Bool, wait: Duration = .zero) throws -> Run {
        let bench = try NATTestBench(behavior)
        let socket = try bench.alice.bindUDP(port: 5000)
        let mapped = try #require(try bench.mappedEndpoint(of: socket, to: Endpoint(bench.server.ipv4, 3478), on: bench.server))
        let peer = try bench.other.bindUDP(port: 7000)
        let heard = Recorder(peer)
        if early { bench.send(peer, to: mapped) }
        bench.simulation.run(for: wait)
        bench.send(socket, to: Endpoint(bench.other.ipv4, 7000))
        return Run(bench: bench, socket: socket, peer: peer, heard: heard, mapped: mapped, seen: heard.arrivals.last?.datagram.source.port)
    }

    @Test func anEarlyPacketMovesThePortForThatPeerOnly() throws {
        #expect(try Self.run(Self.linux, early: false).seen == 5000)
        let run = try Self.run(Self.linux, early: true)
        let moved = try #require(run.seen)
        #expect(run.mapped.port == 5000 && moved != 5000)
        #expect(run.bench.nat.natStats.portClashes == 1)
        // The server still sees the mapping's port; `other` keeps seeing the moved one,
        // and its replies to the moved port come through while those to 5000 do not.
        #expect(try run.bench.mappedEndpoint(of: run.socket, to: Endpoint(run.bench.server.ipv4, 3478), on: run.bench.server) == run.mapped)
        run.bench.send(run.socket, to: Endpoint(run.bench.other.ipv4, 7000))
        #expect(run.heard.arrivals.last?.datagram.source.port == moved)
        let alice = Recorder(run.socket)
        run.bench.send(run.peer, to: Endpoint(run.mapped.address, moved))
        run.bench.send(run.peer, to: run.mapped)
        #expect(alice.arrivals.count == 1)
    }

    @Test func withoutTheEntryTheMappingServesEveryPeer() throws {
        let run = try Self.run(.linuxMasquerade, early: true)
        #expect(run.seen == 5000 && run.bench.nat.natStats.portClashes == 0)
    }

    /// The unreplied entry lives the UDP timeout (30 s): once it is gone, so is the clash.
    @Test func theEntryExpires() throws {
        let run = try Self.run(Self.linux, early: true, wait: .seconds(31))
        #expect(run.seen == 5000 && run.bench.nat.natStats.portClashes == 0)
    }
}
