import NetTypes
import STUN
import Scenario
import SimulatedTCP
import Simulator
import TLS
import Testing
@testable import TURN

/// TURN over TCP in the simulator (RFC 8656 §3.1): clients reach the server over simulated
/// TCP connections, the relayed side stays UDP; and the bounds that keep idle, abusive or
/// broken connections from holding the server's memory.
@Suite struct StreamRelayTests {
    static let tcp = SimulatedRelayTests.Restricted.listen
    typealias Events = SimulatedRelayTests.Events

    /// `SimulatedRelayTests.Restricted` with a TCP listener on the server's endpoint.
    struct Net {
        let base: SimulatedRelayTests.Restricted
        var simulation: Simulation { base.simulation }
        var alice: Host { base.alice }
        var bob: Host { base.bob }
        var serverHost: Host { base.serverHost }
        var server: SimCoreDriver<TURNServer> { base.server }

        init(_ configure: @escaping (inout TURNServerConfiguration) -> Void = { _ in }) {
            base = SimulatedRelayTests.Restricted { configuration in
                configuration.streamListening[StreamRelayTests.tcp] = .tcp
                configure(&configuration)
            }
        }

        /// A TURN client over TCP on `host`, allocating at once.
        func client(on host: Host, _ local: String, user: String, password: String) -> (SimCoreDriver<TURNClient>, Events) {
            base.client(on: host, local, user: user, password: password) { $0.transport = .tcp }
        }

        /// A bare TCP connection from alice to the server's listener (`to`: another one).
        func rawConnection(to listener: Endpoint = StreamRelayTests.tcp) -> TCPSocket {
            let stack = (alice.tcp as? TCPStack) ?? TCPStack.install(on: alice)
            return try! stack.connect(to: listener, from: Endpoint(try! IPAddress(parsing: "192.0.2.10"), 0))
        }
    }

    @Test func clientsOverTCPTalkThroughTheRelay() throws {
        let net = Net()
        let (alice, aliceEvents, ra, bob, bobEvents, rb) = try SimulatedRelayTests.allocatedPair(net.base) { $0.transport = .tcp }
        // The allocation's 5-tuple is the TCP connection's, not the UDP-style local endpoint.
        let tuples = net.server.core.activeAllocations.map(\.fiveTuple)
        #expect(tuples.allSatisfy { $0.transport == .tcp && $0.server == StreamRelayTests.tcp })
        #expect(!tuples.contains { $0.client.port == 5000 })
        #expect(net.server.core.counters.streamsTotal == 2)

        alice.withCore { core, now in core.bindChannel(to: rb, now: now) }
        bob.withCore { core, now in core.bindChannel(to: ra, now: now) }
        net.simulation.run(for: .milliseconds(200))
        // Odd sizes: ChannelData over a stream is padded to 4 bytes (RFC 8656 §12.5).
        for i in 0..<20 {
            alice.withCore { core, now in core.send([UInt8](repeating: UInt8(i), count: i + 1), to: rb, now: now) }
            bob.withCore { core, now in core.send([UInt8(100 + i)], to: ra, now: now) }
        }
        net.simulation.run(for: .milliseconds(200))
        #expect(bobEvents.data == (0..<20).map { [UInt8](repeating: UInt8($0), count: $0 + 1) })
        #expect(aliceEvents.data == (0..<20).map { [UInt8(100 + $0)] })

        // An hour of refreshes over the same connections keeps the allocations.
        net.simulation.run(for: .seconds(3600))
        #expect(net.server.core.counters.allocationsActive == 2)
        #expect(net.server.core.counters.streamsTotal == 2)
        alice.withCore { core, now in core.release(now: now) }
        net.simulation.run(for: .seconds(1))
        #expect(aliceEvents.all.last == .deallocated)
    }

    @Test func aClosedConnectionTakesItsAllocationAlong() throws {
        let net = Net()
        let (alice, _) = net.client(on: net.alice, "192.0.2.10:5000", user: "alice", password: "a")
        net.simulation.run(for: .seconds(1))
        let relayed = try #require(alice.core.allocation?.relayed.first)
        #expect(net.server.boundEndpoints.contains(relayed))
        // The client's host loses its TCP stack's connection: reset it from the server side.
        let tuple = try #require(net.server.core.activeAllocations.first?.fiveTuple)
        net.server.withCore { core, now in core.closeStream(tuple) }
        net.simulation.run(for: .seconds(1))
        #expect(net.server.core.counters.allocationsActive == 0)
        #expect(!net.server.boundEndpoints.contains(relayed))
        #expect(alice.core.state == .closed)
    }

    @Test func connectionsThatNeverAllocateAreClosedWhenIdle() {
        let net = Net { $0.streamIdleTimeout = .seconds(5) }
        let socket = net.rawConnection()
        var ended = false
        socket.onEvent = { event, _ in if case .peerClosed = event { ended = true } }
        net.simulation.run(for: .seconds(4))
        #expect(!ended)
        #expect(net.server.core.streams.count == 1)
        net.simulation.run(for: .seconds(2))
        #expect(ended)
        #expect(net.server.core.counters.streamsTimedOut == 1)
        #expect(net.server.core.streams.isEmpty)
    }

    @Test func aHalfMessageDoesNotKeepAConnectionOpen() {
        let net = Net { $0.streamIdleTimeout = .seconds(5) }
        let socket = net.rawConnection()
        // A STUN header promising 64 bytes, then silence (slowloris).
        socket.send([0x00, 0x01, 0x00, 0x40, 0x21, 0x12, 0xA4, 0x42])
        net.simulation.run(for: .seconds(6))
        #expect(net.server.core.counters.streamsTimedOut == 1)
        #expect(net.server.core.streams.isEmpty)
    }

    /// A connection that keeps sending (Binding requests need no allocation) holds one
    /// idle check, not one per message.
    @Test func aBusyConnectionHoldsOneIdleCheck() {
        let net = Net()
        let socket = net.rawConnection()
        for i in 0..<100 {
            socket.send(STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 0, low: UInt64(i))).encoded())
            net.simulation.run(for: .milliseconds(10))
        }
        net.simulation.run(for: .milliseconds(100))
        #expect(net.server.core.counters.requests == 100)
        #expect(net.server.core.streamChecks.count == 1)
    }

    @Test func connectionsPerSourceAreBounded() {
        let net = Net { $0.maxStreamsPerSource = 3 }
        let sockets = (0..<5).map { _ in net.rawConnection() }
        net.simulation.run(for: .seconds(1))
        #expect(net.server.core.streams.count == 3)
        #expect(net.server.core.counters.streamsRefused == 2)
        #expect(sockets.filter { $0.state == .closeWait || $0.state == .closed }.count >= 2)
    }

    @Test func garbageClosesTheConnection() {
        let net = Net()
        let socket = net.rawConnection()
        var ended = false
        socket.onEvent = { event, _ in if case .peerClosed = event { ended = true } }
        socket.send([0xC0] + [UInt8](repeating: 0, count: 40))
        net.simulation.run(for: .seconds(1))
        #expect(ended)
        #expect(net.server.core.counters.dropped[.malformed] == 1)
        #expect(net.server.core.streams.isEmpty)
    }

    @Test func aRefusedConnectionFailsTheAllocationAtOnce() {
        // No TCP listener: the server's host answers the SYN with RST.
        let net = Net { $0.streamListening = [:] }
        net.serverHost.tcp = nil
        _ = TCPStack.install(on: net.serverHost)
        let (alice, events) = net.client(on: net.alice, "192.0.2.10:5000", user: "alice", password: "a")
        net.simulation.run(for: .seconds(1))
        #expect(events.all == [.allocationFailed(.connectionClosed)])
        #expect(alice.core.state == .closed)
    }

    /// A client that ends its TLS connection with close_notify (as coturn's and aioice's
    /// clients do) closes it cleanly: nothing is counted as malformed.
    @Test func aTLSCloseNotifyIsAnOrderlyEnd() throws {
        let tlsEndpoint = try Endpoint(parsing: "203.0.113.1:443")
        var rng = Xoshiro256(seed: 5)
        let identity = try TLSIdentity.generate(commonName: "turn.test", notBefore: 0, validity: .seconds(86_400 * 365 * 100), rng: &rng)
        let net = Net { configuration in
            configuration.streamListening[tlsEndpoint] = .tls
            configuration.tls = try! TLSContext(TLSConfiguration(role: .server, identity: identity))
            configuration.tlsSeeded = true
        }
        let client = TLSSession(context: try TLSContext(TLSConfiguration(role: .client, verifyPeer: false)),
                                randomness: .seeded(Xoshiro256(seed: 6)))
        let socket = net.rawConnection(to: tlsEndpoint)
        var established = false
        func pump() {
            while let output = client.poll() {
                switch output {
                case .transmit(let bytes): socket.send(bytes)
                case .established: established = true
                default: break
                }
            }
        }
        socket.onEvent = { event, socket in
            if case .dataReceived = event {
                client.receive(socket.receive(), now: net.simulation.now)
                pump()
            }
        }
        client.start(now: net.simulation.now)
        pump()
        net.simulation.run(for: .seconds(1))
        #expect(established)
        #expect(net.server.core.streams.count == 1)
        client.close(now: net.simulation.now)
        pump()
        net.simulation.run(for: .seconds(1))
        #expect(net.server.core.streams.isEmpty)
        #expect(net.server.core.counters.dropped[.malformed] == nil)
    }
}
