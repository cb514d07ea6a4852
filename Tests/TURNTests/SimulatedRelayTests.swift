import NetTypes
import STUN
import Scenario
import SimulatedTCP
import Simulator
import Testing
@testable import TURN

/// Two clients that can reach nothing but the TURN server talk through their relayed
/// addresses, in the simulator.
///
/// The topology only needs "each client reaches the server, not each other": here the
/// server is a host (it does not forward) on two links. The same test body works with the
/// clients behind NATs or firewalls once those models are in the tree: build `Restricted`
/// with them and keep the rest.
@Suite struct SimulatedRelayTests {
    /// alice (192.0.2.10) — server (203.0.113.1 on both links) — bob (198.51.100.10).
    struct Restricted {
        let simulation = Simulation(seed: 7)
        let alice: Host
        let bob: Host
        let serverHost: Host
        let server: SimCoreDriver<TURNServer>
        static let listen = try! Endpoint(parsing: "203.0.113.1:3478")

        init(permissionLifetime: Duration = .seconds(300), relayPorts: ClosedRange<UInt16> = 49152...65535,
             _ configure: (inout TURNServerConfiguration) -> Void = { _ in }) {
            alice = Host(simulation: simulation, name: "alice")
            bob = Host(simulation: simulation, name: "bob")
            serverHost = Host(simulation: simulation, name: "turn")
            let link = LinkConfig(latency: .milliseconds(10))
            simulation.connect(alice, serverHost, config: link, addressesA: [try! InterfaceAddress(parsing: "192.0.2.10/24")],
                               addressesB: [try! InterfaceAddress(parsing: "192.0.2.1/24"), try! InterfaceAddress(parsing: "203.0.113.1/32")])
            simulation.connect(bob, serverHost, config: link, addressesA: [try! InterfaceAddress(parsing: "198.51.100.10/24")],
                               addressesB: [try! InterfaceAddress(parsing: "198.51.100.1/24")])
            alice.routes.addDefault(interface: 0)
            bob.routes.addDefault(interface: 0)
            var configuration = TURNServerConfiguration(listening: [Self.listen], realm: "sim", users: ["alice": "a", "bob": "b"])
            configuration.permissionLifetime = permissionLifetime
            configuration.relayPorts = relayPorts
            configure(&configuration)
            let core = TURNServer(configuration: configuration, rng: simulation.randomStream(for: "turn"))
            server = try! SimulatedTURNServer.start(core, on: serverHost, listening: [Self.listen])
        }

        /// A TURN client on `host` that records its events (over TCP or TLS when the
        /// configuration says, through a `SimStreamTransport`).
        func client(on host: Host, _ local: String, user: String, password: String,
                    _ configure: (inout TURNClientConfiguration) -> Void = { _ in }) -> (SimCoreDriver<TURNClient>, Events) {
            var configuration = TURNClientConfiguration(server: Self.listen, local: try! Endpoint(parsing: local),
                                                        username: user, password: password)
            configure(&configuration)
            let events = Events()
            let driver = SimCoreDriver(host: host, core: TURNClient(configuration: configuration,
                                                                     rng: simulation.randomStream(for: "client:" + user))) { event, _ in
                events.all.append(event)
            }
            if configuration.transport.isReliable {
                _ = SimStreamTransport(driver: driver)
            } else {
                try! driver.bind(configuration.local)
            }
            driver.withCore { core, now in core.allocate(now: now) }
            return (driver, events)
        }
    }

    /// alice and bob, each with a client configured by `configure`, after a second of
    /// allocating: their drivers, events and relayed addresses.
    static func allocatedPair(_ net: Restricted, _ configure: (inout TURNClientConfiguration) -> Void = { _ in }) throws
        -> (alice: SimCoreDriver<TURNClient>, aliceEvents: Events, ra: Endpoint, bob: SimCoreDriver<TURNClient>, bobEvents: Events, rb: Endpoint) {
        let (alice, aliceEvents) = net.client(on: net.alice, "192.0.2.10:5000", user: "alice", password: "a", configure)
        let (bob, bobEvents) = net.client(on: net.bob, "198.51.100.10:6000", user: "bob", password: "b", configure)
        net.simulation.run(for: .seconds(1))
        return (alice, aliceEvents, try #require(alice.core.allocation?.relayed.first),
                bob, bobEvents, try #require(bob.core.allocation?.relayed.first))
    }

    final class Events {
        var all: [TURNClientEvent] = []
        var data: [[UInt8]] { all.compactMap { if case .data(_, let bytes, _) = $0 { bytes } else { nil } } }
    }

    @Test func clientsTalkOnlyThroughTheRelay() throws {
        let net = Restricted()
        let (alice, aliceEvents, ra, bob, bobEvents, rb) = try Self.allocatedPair(net)
        #expect(net.server.boundEndpoints == [Restricted.listen, ra, rb].sorted())

        // No direct path: a datagram from alice to bob's host address goes nowhere.
        let direct = try net.alice.bindUDP(port: 7000)
        let bobDirect = try net.bob.bindUDP(port: 7000)
        var directArrivals = 0
        bobDirect.onReceive = { _ in directArrivals += 1 }
        direct.send([0], to: Endpoint(try IPAddress(parsing: "198.51.100.10"), 7000))

        // Send/Data indications both ways (bob must permit alice's relay to hear from it).
        bob.withCore { core, now in core.createPermission(for: ra.address, now: now) }
        net.simulation.run(for: .milliseconds(100))
        alice.withCore { core, now in core.send(Array("hello bob".utf8), to: rb, now: now) }
        net.simulation.run(for: .milliseconds(100))
        bob.withCore { core, now in core.send(Array("hello alice".utf8), to: ra, now: now) }
        net.simulation.run(for: .milliseconds(100))
        #expect(bobEvents.data == [Array("hello bob".utf8)])
        #expect(aliceEvents.data == [Array("hello alice".utf8)])
        #expect(directArrivals == 0)

        // Channels both ways.
        alice.withCore { core, now in core.bindChannel(to: rb, now: now) }
        bob.withCore { core, now in core.bindChannel(to: ra, now: now) }
        net.simulation.run(for: .milliseconds(100))
        #expect(aliceEvents.all.contains(.channelBound(peer: rb, channel: 0x4000)))
        for i in 0..<10 {
            alice.withCore { core, now in core.send([UInt8(i)], to: rb, now: now) }
            bob.withCore { core, now in core.send([UInt8(100 + i)], to: ra, now: now) }
        }
        net.simulation.run(for: .milliseconds(100))
        #expect(bobEvents.data.suffix(10) == (0..<10).map { [UInt8($0)] })
        #expect(aliceEvents.data.suffix(10) == (0..<10).map { [UInt8(100 + $0)] })
        let counters = net.server.core.counters
        #expect(counters.packetsToPeers == 22 && counters.packetsToClients == 22)

        // An hour of refreshes keeps it all up; releasing frees sockets and state.
        net.simulation.run(for: .seconds(3600))
        alice.withCore { core, now in core.send([42], to: rb, now: now) }
        net.simulation.run(for: .milliseconds(100))
        #expect(bobEvents.data.last == [42])
        alice.withCore { core, now in core.release(now: now) }
        bob.withCore { core, now in core.release(now: now) }
        net.simulation.run(for: .seconds(1))
        #expect(aliceEvents.all.last == .deallocated && bobEvents.all.last == .deallocated)
        #expect(net.server.core.counters.allocationsActive == 0)
        #expect(net.server.boundEndpoints == [Restricted.listen])
    }

    @Test func permissionExpiryStopsTrafficAndLifetimeExpiryCleansUp() throws {
        let net = Restricted(permissionLifetime: .seconds(300))
        let (alice, aliceEvents, ra, bob, bobEvents, rb) = try Self.allocatedPair(net) { $0.permissionRefreshInterval = .seconds(100_000) }
        bob.withCore { core, now in core.createPermission(for: ra.address, now: now) }
        alice.withCore { core, now in core.createPermission(for: rb.address, now: now) }
        net.simulation.run(for: .seconds(1))
        alice.withCore { core, now in core.send([1], to: rb, now: now) }
        net.simulation.run(for: .seconds(1))
        #expect(bobEvents.data == [[1]])
        // Past 300 s without refresh the server drops the traffic.
        net.simulation.run(for: .seconds(300))
        alice.withCore { core, now in core.send([2], to: rb, now: now) }
        net.simulation.run(for: .seconds(1))
        #expect(bobEvents.data == [[1]])
        #expect(net.server.core.counters.dropped[.noPermission] == 1)

        // Clients that vanish: their allocations expire after 600 s and the relays close.
        alice.withCore { core, _ in core = TURNClient(configuration: core.configuration, rng: Xoshiro256(seed: 1)) }
        bob.withCore { core, _ in core = TURNClient(configuration: core.configuration, rng: Xoshiro256(seed: 2)) }
        net.simulation.run(for: .seconds(600))
        #expect(net.server.core.counters.allocationsActive == 0)
        #expect(net.server.core.counters.allocationsTotal == 2)
        #expect(net.server.boundEndpoints == [Restricted.listen])
        #expect(aliceEvents.all.first.map { if case .allocated = $0 { true } else { false } } == true)
    }

    /// Ports other sockets of the server's host hold are skipped; with none left the
    /// client gets 508 and no socket of the server stays behind.
    @Test func heldRelayPortsAreSkippedAndExhaustionAnswers508() throws {
        let net = Restricted(relayPorts: 50000...50002)
        let address = Restricted.listen.address
        let held = try [50000, 50002].map { try net.serverHost.bindUDP(address: address, port: $0) }
        let (alice, _) = net.client(on: net.alice, "192.0.2.10:5000", user: "alice", password: "a")
        let (bob, bobEvents) = net.client(on: net.bob, "198.51.100.10:6000", user: "bob", password: "b")
        net.simulation.run(for: .seconds(1))
        #expect(alice.core.allocation?.relayed == [Endpoint(address, 50001)])
        #expect(bob.core.allocation == nil && bobEvents.all == [.allocationFailed(.error(STUNErrorCode(508)))])
        #expect(net.server.boundEndpoints == [Restricted.listen, Endpoint(address, 50001)])
        #expect(net.server.core.counters.allocationsActive == 1)
        held.forEach { $0.close() }
    }
}
