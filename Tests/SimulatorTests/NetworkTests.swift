import NetTypes
import Testing
@testable import Simulator

@Suite struct NetworkTests {
    @Test func routedDeliveryOverIPv4AndIPv6() throws {
        for ipv6 in [false, true] {
            let net = TestNetwork.routed(middle: LinkConfig(latency: .milliseconds(10)), ipv6: ipv6)
            let any: IPAddress? = ipv6 ? .v6(.any) : nil
            let tx = try net.alice.bindUDP(address: any, port: 1000)
            let rx = Recorder(try net.bob.bindUDP(address: any, port: 2000))
            tx.send([1, 2, 3], to: Endpoint(net.bobAddress, 2000))
            net.simulation.runUntilIdle()
            #expect(rx.arrivals.count == 1)
            #expect(rx.arrivals[0].time == .zero + .milliseconds(12))
            #expect(rx.arrivals[0].datagram.source == Endpoint(net.aliceAddress, 1000))
            #expect(rx.arrivals[0].datagram.payload == [1, 2, 3])
        }
    }

    @Test func closedPortAnswersWithICMPToTheSendingSocket() throws {
        for ipv6 in [false, true] {
            let net = TestNetwork.routed(ipv6: ipv6)
            let any: IPAddress? = ipv6 ? .v6(.any) : nil
            let tx = Recorder(try net.alice.bindUDP(address: any, port: 1000))
            let socket = try net.alice.bindUDP(address: any, port: 1001)
            _ = tx
            let errors = Recorder(socket)
            socket.send([9], to: Endpoint(net.bobAddress, 4444))
            net.simulation.runUntilIdle()
            #expect(errors.errors == [ICMPUnreachable(reason: .portUnreachable, originalSource: Endpoint(net.aliceAddress, 1001),
                                                      originalDestination: Endpoint(net.bobAddress, 4444), originalProtocol: .udp)])
            #expect(net.bob.stats.dropped(.noListener) == 1)
        }
    }

    @Test func noRouteAndTTLExpiry() throws {
        let net = TestNetwork.routed()
        // r2 routes 10.9/16 back to r1, r1 sends everything to r2: a loop until TTL expires.
        let r1 = net.simulation.nodes[1], r2 = net.simulation.nodes[2]
        r2.routes.add(try IPPrefix(parsing: "10.9.0.0/16"), interface: 0)
        let tx = try net.alice.bindUDP(port: 1000)
        tx.send([1], to: try Endpoint(parsing: "10.9.0.1:1"))
        net.simulation.runUntilIdle()
        #expect(r1.stats.dropped(.ttlExpired) + r2.stats.dropped(.ttlExpired) == 1)
        // Bob's host has no route at all for IPv6.
        let v6 = try net.bob.bindUDP(address: .v6(.any), port: 7)
        net.bob.routes = RoutingTable()
        #expect(!v6.send([1], to: try Endpoint(parsing: "[2001:db8::1]:1")))
        #expect(net.bob.stats.dropped(.noRoute) == 1)
        #expect(net.simulation.packets.liveCount == 0)
    }

    @Test func hostsDoNotForward() throws {
        let net = TestNetwork.direct()
        let tx = try net.alice.bindUDP(port: 1000)
        net.alice.routes.addDefault(interface: 0)
        tx.send([1], to: try Endpoint(parsing: "192.0.2.1:5"))
        net.simulation.runUntilIdle()
        #expect(net.bob.stats.dropped(.notForwarding) == 1)
    }

    @Test func portBindingRules() throws {
        let net = TestNetwork.direct()
        let host = net.alice
        let a = try host.bindUDP(port: 3478)
        #expect(throws: SocketError.addressInUse(Endpoint(.v4(.any), 3478))) { try host.bindUDP(port: 3478) }
        #expect(throws: SocketError.self) { try host.bindUDP(address: TestNetwork.ip("10.0.0.1"), port: 3478) }
        #expect(throws: SocketError.addressNotLocal(TestNetwork.ip("10.0.0.9"))) { try host.bindUDP(address: TestNetwork.ip("10.0.0.9")) }
        a.close()
        let b = try host.bindUDP(address: TestNetwork.ip("10.0.0.1"), port: 3478)
        #expect(b.local.description == "10.0.0.1:3478")
        let v6 = try host.bindUDP(address: .v6(.any), port: 3478)   // other family: no conflict
        #expect(v6.local.port == 3478)
        var ports = Set<UInt16>()
        for _ in 0..<100 { ports.insert(try host.bindUDP().local.port) }
        #expect(ports.count == 100 && ports.allSatisfy { host.ephemeralPorts.contains($0) })
    }

    @Test func loopbackToOwnAddress() throws {
        let net = TestNetwork.direct()
        let rx = Recorder(try net.alice.bindUDP(port: 2000))
        let tx = try net.alice.bindUDP(port: 1000)
        tx.send([5], to: Endpoint(net.aliceAddress, 2000))
        net.simulation.runUntilIdle()
        #expect(rx.arrivals.count == 1 && rx.arrivals[0].time == .zero)
    }

    /// A network with every random behavior on, for determinism checks.
    func traceHash(seed: UInt64) throws -> (UInt64, Int) {
        let model = GilbertElliott(lossRate: 0.05, meanBurstLength: 3)
        let middle = LinkConfig(latency: .milliseconds(20), jitter: .milliseconds(5), jitterReorders: true,
                                loss: .gilbertElliott(model), bandwidth: .mbps(5), queue: .time(.milliseconds(30)),
                                duplicate: 0.02, reorder: 0.02)
        let net = TestNetwork.routed(seed: seed, middle: middle)
        let hash = PacketTraceHash()
        net.simulation.packetObservers.append(hash)
        let tx = try net.alice.bindUDP()
        let rx = try net.bob.bindUDP(port: 9)
        rx.onReceive = { d in rx.send(Array(d.payload.prefix(20)), to: d.source) }
        _ = ConstantBitrateSource(simulation: net.simulation, socket: tx, destination: Endpoint(net.bobAddress, 9),
                                  rate: .mbps(6), payloadSize: 700, stop: .zero + .seconds(2))
        net.simulation.runUntilIdle()
        return (hash.value, hash.deliveries)
    }

    @Test func sameSeedSameTraceDifferentSeedDifferentTrace() throws {
        let a = try traceHash(seed: 42), b = try traceHash(seed: 42), c = try traceHash(seed: 43)
        #expect(a == b)
        #expect(a.0 != c.0)
        #expect(a.1 > 1000)
    }
}
