import NetTypes
import Testing
@testable import Simulator

/// Port-block allocation (RFC 7422): a subscriber's mappings take ports from its own
/// blocks, a new block when they are full up to the limit, blocks go back when their last
/// mapping expires, every assignment and release is logged, and an exhausted pool or a
/// full allowance leaves the flow without a mapping.
@Suite struct NATPortBlockTests {
    static func behavior(size: UInt16 = 4, perSubscriber: Int = 2, range: ClosedRange<UInt16> = 2000...2015) -> NATBehavior {
        var behavior = NATBehavior.cgnat
        behavior.portRange = range
        behavior.portBlocks = NATPortBlocks(size: size, perSubscriber: perSubscriber)
        return behavior
    }

    /// The external ports of `count` new sockets of `host` (from port `first` on), each
    /// sending to the server: the CGN maps endpoint-independently, one mapping per socket.
    static func ports(_ bench: NATTestBench, _ host: Host, first: UInt16 = 5000, count: Int) throws -> [UInt16?] {
        try (0..<count).map { index in
            let socket = try host.bindUDP(port: first + UInt16(index))
            return try bench.mappedEndpoint(of: socket, to: Endpoint(bench.server.ipv4, 3478), on: bench.server)?.port
        }
    }

    @Test func mappingsFillTheSubscribersBlocksThenStop() throws {
        let bench = try NATTestBench(Self.behavior())
        let ports = try Self.ports(bench, bench.alice, count: 9)
        // Two blocks of four ports, then nothing.
        let given = ports.compactMap { $0 }
        #expect(given.count == 8 && Set(given).count == 8 && ports[8] == nil)
        let starts = Set(given.map { 2000 + ($0 - 2000) / 4 * 4 })
        #expect(starts.count == 2)
        #expect(bench.nat.portBlocksInUse == 2)
        #expect(bench.nat.portBlockLog.map(\.assigned) == [true, true])
        #expect(bench.nat.portBlockLog.allSatisfy { $0.subscriber == bench.alice.ipv4 && $0.ports.count == 4 })
    }

    @Test func subscribersNeverShareABlockAndThePoolRunsOut() throws {
        // Twelve ports: three blocks; alice's five mappings take two, carol gets the third
        // and no more although her allowance is two: the pool is empty.
        let bench = try NATTestBench(Self.behavior(range: 2000...2011))
        let alice = try Self.ports(bench, bench.alice, count: 5).compactMap { $0 }
        let carol = try Self.ports(bench, bench.carol, count: 6)
        #expect(alice.count == 5 && carol.compactMap { $0 }.count == 4 && carol[4] == nil)
        let block = { (port: UInt16) in (port - 2000) / 4 }
        #expect(Set(alice.map(block)).isDisjoint(with: Set(carol.compactMap { $0 }.map(block))))
        #expect(bench.nat.portBlocksInUse == 3)
        #expect(bench.nat.natStats.dropped(.exhausted) >= 1)
    }

    @Test func blocksGoBackWhenTheirMappingsExpire() throws {
        let bench = try NATTestBench(Self.behavior(perSubscriber: 1))
        let first = try Self.ports(bench, bench.alice, count: 1)
        #expect(first[0] != nil && bench.nat.portBlocksInUse == 1)
        bench.simulation.run(for: .seconds(400))
        #expect(bench.nat.portBlocksInUse == 0)
        #expect(bench.nat.portBlockLog.map(\.assigned) == [true, false])
        #expect(try Self.ports(bench, bench.alice, first: 6000, count: 1)[0] != nil)
    }
}
