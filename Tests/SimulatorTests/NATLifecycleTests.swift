import NetTypes
import Testing
@testable import Simulator

/// Mapping lifetime and refresh, and runtime events: rebind, renumbering, behavior changes.
@Suite struct NATLifecycleTests {
    /// Alice's socket sends at time zero; the server answers at each of `replies`
    /// (seconds). Returns which replies reached alice, and the bench.
    func replies(_ behavior: NATBehavior, at replies: [Int64], sweep: Duration = .seconds(1)) throws -> ([Bool], NATTestBench) {
        let bench = try NATTestBench(behavior)
        bench.nat.expirySweepInterval = sweep
        let socket = try bench.alice.bindUDP(port: 5000)
        let alice = Recorder(socket)
        let server = try bench.server.bindUDP(port: 3478)
        let mapped = try #require(try bench.mappedEndpoint(of: socket, to: Endpoint(bench.server.ipv4, 3479), on: bench.server))
        socket.send([1], to: Endpoint(bench.server.ipv4, 3478))
        var arrived: [Bool] = []
        for second in replies {
            bench.simulation.run(until: .zero + .seconds(second))
            let before = alice.arrivals.count
            bench.send(server, to: mapped)
            arrived.append(alice.arrivals.count > before)
        }
        return (arrived, bench)
    }

    @Test func mappingsExpireWithoutInboundRefresh() throws {
        var behavior = NATBehavior.fullCone
        behavior.mappingLifetime = .seconds(30)
        let (arrived, bench) = try replies(behavior, at: [20, 40])
        #expect(arrived == [true, false])
        #expect(bench.nat.mappings.isEmpty)                   // swept at 30 s
        #expect(bench.nat.natStats.dropped(.noMapping) == 1)
    }

    @Test func inboundRefreshExtendsTheLifetime() throws {
        var behavior = NATBehavior.fullCone
        behavior.mappingLifetime = .seconds(30)
        behavior.inboundRefresh = true
        let (arrived, _) = try replies(behavior, at: [20, 40, 75])
        #expect(arrived == [true, true, false])
    }

    @Test func expiredMappingsAreRemovedLazilyBeforeTheSweep() throws {
        var behavior = NATBehavior.fullCone
        behavior.mappingLifetime = .seconds(30)
        let (arrived, bench) = try replies(behavior, at: [31], sweep: .seconds(3600))
        #expect(arrived == [false])
        #expect(bench.nat.natStats.dropped(.expired) == 1)
        #expect(bench.nat.mappings.isEmpty)
        // The sweep stops once the table is empty: nothing is left on the queue.
        #expect(bench.simulation.runUntilIdle(maxEvents: 10))
    }

    @Test func establishedMappingsGetTheLongerLifetime() throws {
        // Linux: 30 s until a reply was seen, then 120 s; refreshed both ways.
        let (arrived, bench) = try replies(.linuxMasquerade, at: [10, 100, 200, 321])
        #expect(arrived == [true, true, true, false])
        #expect(bench.nat.natStats.dropped(.noMapping) == 1)
    }

    @Test func rebindDropsEveryMapping() throws {
        let bench = try NATTestBench(.symmetric)
        let log = NATEventLog()
        bench.nat.observer = log
        let socket = try bench.alice.bindUDP(port: 5000)
        let destination = Endpoint(bench.server.ipv4, 3478)
        let before = try #require(try bench.mappedEndpoint(of: socket, to: destination, on: bench.server))
        bench.nat.rebind()
        #expect(bench.nat.mappings.isEmpty)
        let server = try bench.server.bindUDP(port: 3478)
        bench.send(server, to: before)
        #expect(bench.nat.natStats.dropped(.noMapping) == 1)
        server.close()
        let after = try #require(try bench.mappedEndpoint(of: socket, to: destination, on: bench.server))
        #expect(after != before)
        #expect(log.events.contains("removed \(before) rebind"))
    }

    @Test func renumberingMovesMappingsToTheNewAddress() throws {
        let bench = try NATTestBench(.fullCone)
        let socket = try bench.alice.bindUDP(port: 5000)
        let alice = Recorder(socket)
        let destination = Endpoint(bench.server.ipv4, 3478)
        let before = try #require(try bench.mappedEndpoint(of: socket, to: destination, on: bench.server))
        let renumbered = try bench.topology.renumber(bench.nat)
        #expect(bench.nat.externalAddresses == renumbered && renumbered != [before.address])
        #expect(bench.nat.mappings.isEmpty)
        bench.send(try bench.other.bindUDP(port: 1), to: before)
        #expect(alice.arrivals.isEmpty)
        let after = try #require(try bench.mappedEndpoint(of: socket, to: destination, on: bench.server))
        #expect(after == Endpoint(renumbered[0], 5000))
        bench.send(try bench.other.bindUDP(port: 2), to: after)
        #expect(alice.arrivals.count == 1)
    }

    @Test func behaviorChangesApplyFromTheNextPacket() throws {
        let bench = try NATTestBench(.portRestrictedCone)
        let socket = try bench.alice.bindUDP(port: 5000)
        let alice = Recorder(socket)
        let mapped = try #require(try bench.mappedEndpoint(of: socket, to: Endpoint(bench.server.ipv4, 3478), on: bench.server))
        let other = try bench.other.bindUDP(port: 9)
        bench.simulation.schedule(at: .zero + .seconds(10)) { [nat = bench.nat] _ in nat.behavior.filtering = .endpointIndependent }
        bench.send(other, to: mapped)
        #expect(alice.arrivals.isEmpty)
        bench.simulation.run(until: .zero + .seconds(10))
        bench.send(other, to: mapped)
        #expect(alice.arrivals.count == 1)
    }
}
