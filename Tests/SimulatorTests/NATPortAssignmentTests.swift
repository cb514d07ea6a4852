import NetTypes
import Testing
@testable import Simulator

/// Port assignment (preservation, sequential, random; parity; ranges), address pooling
/// and mapping limits.
@Suite struct NATPortAssignmentTests {
    /// The external ports of `count` flows from one socket of alice to distinct server
    /// ports (distinct mappings under address-and-port-dependent mapping).
    func ports(_ behavior: NATBehavior, seed: UInt64 = 1, count: Int, internalPort: UInt16 = 5001) throws -> [UInt16] {
        let bench = try NATTestBench(behavior, seed: seed)
        let socket = try bench.alice.bindUDP(port: internalPort)
        for n in 0..<count { socket.send([1], to: Endpoint(bench.server.ipv4, 7000 + UInt16(n))) }
        bench.simulation.run(for: .milliseconds(100))
        return bench.nat.mappings.map(\.externalEndpoint.port)
    }

    @Test func preservationKeepsThePortAndFallsBackOnCollision() throws {
        let bench = try NATTestBench(.portRestrictedCone)
        let destination = Endpoint(bench.server.ipv4, 3478)
        let alice = try bench.mappedEndpoint(of: try bench.alice.bindUDP(port: 5000), to: destination, on: bench.server)
        let carol = try bench.mappedEndpoint(of: try bench.carol.bindUDP(port: 5000), to: destination, on: bench.server)
        #expect(alice?.port == 5000)
        #expect(carol?.port == 5001)
        // An internal port outside the range starts at the bottom of the range.
        let low = try bench.mappedEndpoint(of: try bench.alice.bindUDP(port: 53), to: destination, on: bench.server)
        #expect(low?.port == 1024)
    }

    @Test func parityIsKeptOnCollision() throws {
        var behavior = NATBehavior.portRestrictedCone
        behavior.portParity = true
        let bench = try NATTestBench(behavior)
        let destination = Endpoint(bench.server.ipv4, 3478)
        let alice = try bench.mappedEndpoint(of: try bench.alice.bindUDP(port: 5000), to: destination, on: bench.server)
        let carol = try bench.mappedEndpoint(of: try bench.carol.bindUDP(port: 5000), to: destination, on: bench.server)
        let carolOdd = try bench.mappedEndpoint(of: try bench.carol.bindUDP(port: 5001), to: destination, on: bench.server)
        #expect([alice?.port, carol?.port, carolOdd?.port] == [5000, 5002, 5001])
        var random = NATBehavior.symmetric
        random.portParity = true
        #expect(try ports(random, count: 20, internalPort: 5001).allSatisfy { $0 % 2 == 1 })
    }

    @Test func sequentialStepsThroughTheRange() throws {
        let behavior = NATBehavior(mapping: .addressAndPortDependent, filtering: .addressAndPortDependent,
                                   portAssignment: .sequential(step: 10), portRange: 20000...20025)
        #expect(try ports(behavior, count: 5) == [20000, 20010, 20020, 20004, 20014])
        var withParity = behavior
        withParity.portParity = true
        withParity.portAssignment = .sequential(step: 1)
        #expect(try ports(withParity, count: 3) == [20001, 20003, 20005])
    }

    @Test func randomPortsStayInRangeAndExhaustIt() throws {
        var behavior = NATBehavior.symmetric
        behavior.portRange = 40000...40009
        let bench = try NATTestBench(behavior)
        let socket = try bench.alice.bindUDP(port: 5000)
        for n in 0..<11 { socket.send([1], to: Endpoint(bench.server.ipv4, 7000 + UInt16(n))) }
        bench.simulation.run(for: .milliseconds(100))
        let ports = bench.nat.mappings.map(\.externalEndpoint.port)
        #expect(ports.count == 10 && Set(ports).count == 10 && ports.allSatisfy { behavior.portRange.contains($0) })
        #expect(bench.nat.natStats.dropped(.exhausted) == 1)
    }

    @Test func randomPortsAreDeterministicPerSeed() throws {
        let a = try ports(.symmetric, seed: 7, count: 8)
        let b = try ports(.symmetric, seed: 7, count: 8)
        let c = try ports(.symmetric, seed: 8, count: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).count == 8)
    }

    @Test func pairedPoolingKeepsOneAddressPerHostArbitraryDoesNot() throws {
        for pooling in NATBehavior.AddressPooling.allCases {
            var behavior = NATBehavior.symmetric
            behavior.pooling = pooling
            let bench = try NATTestBench(behavior, externalAddresses: 4)
            #expect(bench.nat.externalAddresses.count == 4)
            let alice = try bench.alice.bindUDP(port: 5000)
            let carol = try bench.carol.bindUDP(port: 5000)
            for n in 0..<12 {
                alice.send([1], to: Endpoint(bench.server.ipv4, 7000 + UInt16(n)))
                carol.send([1], to: Endpoint(bench.server.ipv4, 7000 + UInt16(n)))
            }
            bench.simulation.run(for: .milliseconds(100))
            for host in [bench.alice, bench.carol] {
                let used = Set(bench.nat.mappings.filter { $0.internalEndpoint.address == host.ipv4 }.map(\.externalEndpoint.address))
                #expect(pooling == .paired ? used.count == 1 : used.count > 1)
            }
        }
    }

    @Test func mappingLimitsDropNewFlowsAndCountThem() throws {
        var behavior = NATBehavior.portRestrictedCone
        behavior.maxMappings = 3
        behavior.maxMappingsPerHost = 2
        let bench = try NATTestBench(behavior)
        let destination = Endpoint(bench.server.ipv4, 3478)
        let received = Recorder(try bench.server.bindUDP(address: destination.address, port: destination.port))
        for port: UInt16 in [5000, 5001, 5002] { bench.send(try bench.alice.bindUDP(port: port), to: destination) }
        #expect(received.arrivals.count == 2)          // per-host limit
        for port: UInt16 in [6000, 6001] { bench.send(try bench.carol.bindUDP(port: port), to: destination) }
        #expect(received.arrivals.count == 3)          // NAT-wide limit
        #expect(bench.nat.natStats.dropped(.exhausted) == 2)
        #expect(bench.nat.mappings.count == 3)
    }

    @Test func exhaustionIsDroppedSilentlyOrRejectedWithHostUnreachable() throws {
        for response in NATBehavior.ExhaustionResponse.allCases {
            var behavior = NATBehavior.portRestrictedCone
            behavior.maxMappingsPerHost = 1
            behavior.exhaustionResponse = response
            let bench = try NATTestBench(behavior)
            let destination = Endpoint(bench.server.ipv4, 3478)
            let received = Recorder(try bench.server.bindUDP(address: destination.address, port: destination.port))
            bench.send(try bench.alice.bindUDP(port: 5000), to: destination)
            let refusedSocket = try bench.alice.bindUDP(port: 5001)
            let refused = Recorder(refusedSocket)
            bench.send(refusedSocket, to: destination)
            #expect(received.arrivals.count == 1)
            #expect(bench.nat.natStats.dropped(.exhausted) == 1)
            // RFC 6888 REQ-11b: host unreachable, about the sender's own packet; REQ-11d:
            // the existing mapping stays.
            let expected = response == .reject ? [
                ICMPUnreachable(reason: .hostUnreachable, originalSource: Endpoint(bench.alice.ipv4, 5001),
                                originalDestination: destination, originalProtocol: .udp),
            ] : []
            #expect(refused.errors == expected)
            #expect(bench.nat.natStats.exhaustionRejectsSent == expected.count)
            #expect(bench.nat.mappings.map(\.internalEndpoint) == [Endpoint(bench.alice.ipv4, 5000)])
        }
    }

    @Test func carrierGradePresetRejectsExhaustion() {
        #expect(NATBehavior.cgnat.exhaustionResponse == .reject)
        #expect(NATBehavior.linuxMasquerade.exhaustionResponse == .drop)
    }

    @Test func privilegedPortsFollowTheLowPortPolicy() throws {
        // alice and carol both send from port 500, then carol from 550: the external ports.
        func lowPorts(_ policy: NATBehavior.LowPorts) throws -> [UInt16?] {
            var behavior = NATBehavior.portRestrictedCone
            behavior.lowPorts = policy
            let bench = try NATTestBench(behavior)
            let destination = Endpoint(bench.server.ipv4, 3478)
            return [
                try bench.mappedEndpoint(of: try bench.alice.bindUDP(port: 500), to: destination, on: bench.server)?.port,
                try bench.mappedEndpoint(of: try bench.carol.bindUDP(port: 500), to: destination, on: bench.server)?.port,
                try bench.mappedEndpoint(of: try bench.carol.bindUDP(port: 550), to: destination, on: bench.server)?.port,
                try bench.mappedEndpoint(of: try bench.alice.bindUDP(port: 550), to: destination, on: bench.server)?.port,
            ]
        }
        #expect(try lowPorts(.unreserved) == [1024, 1025, 1026, 1027])
        #expect(try lowPorts(.sameRange) == [500, 501, 550, 551])
        // Linux: kept when free, else 1-511 below 512 and 600-1023 above.
        #expect(try lowPorts(.linux) == [500, 501, 550, 600])
        #expect(NATBehavior.rfc4787.lowPorts == .sameRange && NATBehavior.linuxMasquerade.lowPorts == .linux)
    }

    @Test func privilegedPortRangesWrapAndExhaust() {
        var behavior = NATBehavior.portRestrictedCone
        behavior.lowPorts = .linux
        #expect(behavior.externalPortRange(for: 1) == 1...511 && behavior.externalPortRange(for: 511) == 1...511)
        #expect(behavior.externalPortRange(for: 512) == 600...1023 && behavior.externalPortRange(for: 1023) == 600...1023)
        #expect(behavior.externalPortRange(for: 1024) == 1024...65535)
        behavior.lowPorts = .sameRange
        #expect(behavior.externalPortRange(for: 80) == 1...1023 && behavior.externalPortRange(for: 49152) == 1024...65535)
        var allocator = PortAllocator(random: Xoshiro256(seed: 1))
        let address = IPAddress.v4(IPv4Address(198, 51, 100, 1))
        // 1023 taken: preservation wraps to the bottom of 1-1023, never into 1024+.
        #expect(allocator.allocate(for: 1023, on: address, behavior: behavior, isTaken: { $0 == 1023 }) == 1)
        #expect(allocator.allocate(for: 1023, on: address, behavior: behavior, isTaken: { $0 < 1024 }) == nil)
    }
}
