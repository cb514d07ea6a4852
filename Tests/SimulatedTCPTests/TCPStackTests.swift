import Foundation
import NetTypes
import Simulator
import SimulatedTCP
import TCP
import Testing
import TestSupport

/// TCP sockets on simulated hosts: demultiplexing, RSTs for closed ports, ICMP errors,
/// port bookkeeping, and whole transfers across routed paths.
@Suite struct TCPStackTests {
    /// A megabyte crosses a 10 Mbps bottleneck intact; both sides close, both stacks
    /// forget their connections (after TIME-WAIT) and the ports are free again.
    @Test(arguments: [false, true])
    func transferAndOrderlyClose(ipv6: Bool) throws {
        let path = TCPTestPath(middle: LinkConfig(latency: .milliseconds(10), bandwidth: .mbps(10),
                                                  queue: .bytes(75_000)), ipv6: ipv6)
        let listener = try path.bobTCP.listen(address: ipv6 ? .v6(.any) : nil, port: 5001)
        let server = SocketLog()
        listener.onConnection = { socket in
            server.attach(socket)
            let forward = socket.onEvent
            socket.onEvent = { event, socket in
                forward?(event, socket)
                if event == .peerClosed { socket.close() }
            }
        }
        let client = SocketLog()
        let socket = try path.aliceTCP.connect(to: Endpoint(path.bobAddress, 5001))
        client.attach(socket)
        let data = pattern(1_000_000)
        var offset = 0
        let pump = { offset += socket.send(Array(data[offset...])) }
        socket.onEvent = { [pump] event, s in
            client.events.append(event)
            if event == .connected || offset < data.count { pump() }
            if offset == data.count { s.close() }  // the FIN follows the queued data
        }
        path.simulation.run(until: Instant.zero + .seconds(3))
        let intact = server.read == data  // (a Bool: a failed comparison of megabyte arrays would print them)
        #expect(intact)
        #expect(client.events.first == .connected)
        let serverSawFIN = server.events.contains(.peerClosed)
        #expect(serverSawFIN)
        // Both ends closed; the active closer waits in TIME-WAIT (2·MSL = 240 s).
        path.simulation.run(until: Instant.zero + .seconds(300))
        #expect(client.events.last == .closed)
        #expect(server.events.last == .closed)
        #expect(path.aliceTCP.connectionCount == 0)
        #expect(path.bobTCP.connectionCount == 0)
        #expect(path.bobTCP.listenerCount == 1)
        listener.close()
        #expect(path.bobTCP.listenerCount == 0)
        _ = try path.bobTCP.listen(port: 5001)  // the port is free again
    }

    /// A SYN to a port nobody listens on draws an RST (RFC 9293 §3.10.7.1): the
    /// connection is refused after one round trip, not after the SYN retries.
    @Test func closedPortAnswersWithReset() throws {
        let path = TCPTestPath()
        let log = SocketLog()
        log.attach(try path.aliceTCP.connect(to: Endpoint(path.bobAddress, 81)))
        path.simulation.run(until: Instant.zero + .milliseconds(100))
        #expect(log.events == [.reset])
        #expect(path.bobTCP.resetsSent == 1)
        #expect(path.aliceTCP.connectionCount == 0)
    }

    /// Two bound ports connecting toward each other at once are one connection by
    /// simultaneous open (RFC 9293 §3.5 Figure 8) that carries data both ways; the bound
    /// port is kept from others until unbound, and a SYN to it with no connection toward
    /// its sender is refused like one to any port nobody listens on.
    @Test func boundPortsOpenSimultaneously() throws {
        let path = TCPTestPath()
        let aliceEnd = try path.aliceTCP.bind(address: path.aliceAddress, port: 7000)
        let bobEnd = try path.bobTCP.bind(address: path.bobAddress, port: 0)
        #expect(throws: SocketError.addressInUse(aliceEnd)) { try path.aliceTCP.bind(address: path.aliceAddress, port: 7000) }
        let alice = SocketLog(), bob = SocketLog()
        let aliceSocket = try path.aliceTCP.connect(to: bobEnd, from: aliceEnd)
        let bobSocket = try path.bobTCP.connect(to: aliceEnd, from: bobEnd)
        alice.attach(aliceSocket)
        bob.attach(bobSocket)
        _ = aliceSocket.send([1, 2, 3])
        _ = bobSocket.send([4, 5])
        path.simulation.run(until: Instant.zero + .milliseconds(200))
        #expect(alice.events.first == .connected && bob.events.first == .connected)
        #expect(alice.read == [4, 5] && bob.read == [1, 2, 3])
        #expect(aliceSocket.local == aliceEnd && bobSocket.local == bobEnd)
        #expect(path.aliceTCP.resetsSent == 0 && path.bobTCP.resetsSent == 0)
        // A third party's SYN to Bob's bound port finds no connection: RST.
        let stranger = SocketLog()
        stranger.attach(try path.aliceTCP.connect(to: bobEnd))
        path.simulation.run(until: Instant.zero + .milliseconds(400))
        #expect(stranger.events == [.reset] && path.bobTCP.resetsSent == 1)
        // Unbound, the port stays in use while its connection lives (a second unbind
        // releases nothing more); with the connection aborted it can be bound again.
        path.aliceTCP.unbind(aliceEnd)
        path.aliceTCP.unbind(aliceEnd)
        #expect(throws: SocketError.addressInUse(aliceEnd)) { try path.aliceTCP.bind(address: path.aliceAddress, port: 7000) }
        aliceSocket.abort()
        #expect(try path.aliceTCP.bind(address: path.aliceAddress, port: 7000) == aliceEnd)
    }

    /// A host without a TCP stack drops segments silently: the connect times out after
    /// its SYN retransmissions (1 + 2 + … + 32 s after RFC 6298's doubling, then 64 s).
    @Test func hostWithoutTCPDropsSegments() throws {
        let path = TCPTestPath()
        path.bob.tcp = nil
        let log = SocketLog()
        log.attach(try path.aliceTCP.connect(to: Endpoint(path.bobAddress, 80)))
        path.simulation.run(until: Instant.zero + .seconds(200))
        #expect(log.events == [.error(.timedOut(.synSent))])
        #expect(path.bob.stats.drops[.noListener] == 7)  // the SYN and its 6 retries
    }

    /// An ICMP hard error while connecting aborts the connection (RFC 5461 §4.1): a
    /// firewall that rejects TCP answers the SYN with "administratively prohibited".
    @Test func icmpHardErrorAbortsAConnect() throws {
        let simulation = Simulation(seed: 3)
        let alice = Host(simulation: simulation, name: "alice")
        let bob = Host(simulation: simulation, name: "bob")
        let firewall = Firewall(simulation: simulation, name: "fw",
                                policy: FirewallPolicy(rules: [FirewallRule(.reject, proto: .tcp)], defaultAction: .allow))
        simulation.connect(firewall, bob, config: LinkConfig(latency: .milliseconds(5)),
                           addressesA: TCPTestPath.addr("192.0.2.1/24"), addressesB: TCPTestPath.addr("192.0.2.2/24"))
        simulation.connect(alice, firewall, config: LinkConfig(latency: .milliseconds(5)),
                           addressesA: TCPTestPath.addr("10.0.0.2/24"), addressesB: TCPTestPath.addr("10.0.0.1/24"))
        alice.routes.addDefault(interface: 0)
        bob.routes.addDefault(interface: 0)
        firewall.routes.addDefault(interface: 0)
        let tcp = TCPStack.install(on: alice)
        TCPStack.install(on: bob)
        let log = SocketLog()
        let socket = try tcp.connect(to: Endpoint(try IPAddress(parsing: "192.0.2.2"), 443))
        log.attach(socket)
        simulation.run(until: Instant.zero + .seconds(1))
        #expect(log.events == [.error(.unreachable(.administrativelyProhibited))])
        #expect(socket.connection.statistics.icmpErrors == 1)
        #expect(tcp.connectionCount == 0)
    }

    /// Connections waiting in the backlog keep the data that arrives before `accept()`.
    @Test func acceptLaterKeepsEarlyData() throws {
        let path = TCPTestPath()
        let listener = try path.bobTCP.listen(port: 7000)
        let socket = try path.aliceTCP.connect(to: Endpoint(path.bobAddress, 7000))
        socket.onEvent = { event, s in if event == .connected { s.send(pattern(5000)) } }
        path.simulation.run(until: Instant.zero + .seconds(1))
        #expect(listener.listener.readyCount == 1)
        let accepted = try #require(listener.accept())
        #expect(accepted.remote == socket.local)
        #expect(accepted.receive() == pattern(5000))
        #expect(listener.accept() == nil)
    }

    /// Binding rules: exact and wildcard listeners on one port conflict; a listener on a
    /// foreign address is refused; an exact bind wins over a wildcard one on arrival.
    @Test func bindingRules() throws {
        let path = TCPTestPath()
        _ = try path.bobTCP.listen(port: 80)
        #expect(throws: SocketError.addressInUse(Endpoint(path.bobAddress, 80))) {
            try path.bobTCP.listen(address: path.bobAddress, port: 80)
        }
        let foreign = try IPAddress(parsing: "198.51.100.7")
        #expect(throws: SocketError.addressNotLocal(foreign)) { try path.bobTCP.listen(address: foreign, port: 81) }
        let v6 = try path.bobTCP.listen(address: .v6(.any), port: 80)  // another family: no conflict
        v6.close()
        let ephemeral = try path.bobTCP.listen(port: 0)
        #expect(path.bob.ephemeralPorts.contains(ephemeral.local.port))
        #expect(throws: SocketError.noRoute(foreign)) {
            let isolated = Host(simulation: path.simulation, name: "isolated")
            _ = try TCPStack.install(on: isolated).connect(to: Endpoint(foreign, 80))
        }
    }

    /// Same seed, same bytes: a lossy transfer's capture is identical run to run, and
    /// tshark decodes it as TCP with good checksums, no malformed packet and no error.
    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func captureIsDeterministicAndDecodesCleanly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-simtcp-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func run(_ name: String) throws -> (path: String, read: [UInt8]) {
            let path = TCPTestPath(seed: 9, middle: LinkConfig(latency: .milliseconds(10), loss: .bernoulli(0.02),
                                                               bandwidth: .mbps(5), queue: .bytes(45_000)))
            let file = directory.appendingPathComponent(name).path
            let capture = try path.simulation.capture(path.links[1], to: file)
            let server = try path.transferPattern(300_000, until: .seconds(10))
            try capture.writer.close()
            return (file, server.read)
        }
        let first = try run("a.pcap")
        let second = try run("b.pcap")
        let intact = first.read == pattern(300_000)
        #expect(intact)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path)) == Data(contentsOf: URL(fileURLWithPath: second.path)))
        let tshark = try #require(Tshark())
        let (lines, status) = try tshark.run(first.path, ["-o", "tcp.check_checksum:TRUE", "-T", "fields", "-e", "frame.protocols",
                                                          "-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "tcp.checksum.status",
                                                          "-e", "tcp.analysis.retransmission"])
        #expect(status == 0)
        #expect(lines.count > 200)
        let errorSeverity = "8388608"
        var retransmissions = 0
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(fields[0].hasPrefix("raw:ip:tcp"), "\(line)")
            #expect(!line.contains("malformed"), "\(line)")
            #expect(!fields[2].split(separator: ",").contains { $0 == errorSeverity }, "\(line)")
            #expect(fields[3] == "1", "\(line)")
            if !fields[4].isEmpty { retransmissions += 1 }
        }
        #expect(retransmissions > 0)  // the 2% loss was recovered by retransmissions tshark sees
    }
}

/// TCP across NATs (RFC 5382): a client behind a home NAT behind a carrier-grade NAT
/// fetches from a public server; the server sees the outer NAT's address.
@Suite struct TCPThroughNATTests {
    @Test(arguments: ["linux-masquerade", "symmetric"])
    func transferThroughANATChain(innerPreset: String) throws {
        let simulation = Simulation(seed: 4)
        let topology = Topology(simulation: simulation)
        let cgnat = try topology.addNAT("cgnat", behavior: .cgnat)
        let home = try topology.addNAT("home", behavior: try NATBehavior.preset(named: innerPreset), behind: cgnat)
        let client = try topology.addHost("client", behind: home)
        let server = try topology.addHost("server")
        let serverAddress = try #require(server.interfaces.last?.addresses.first { $0.address.family == .ipv4 }?.address)
        let listener = try TCPStack.install(on: server).listen(port: 443)
        let received = SocketLog()
        var peer: Endpoint?
        listener.onConnection = { socket in
            peer = socket.remote
            received.attach(socket)
        }
        let socket = try TCPStack.install(on: client).connect(to: Endpoint(serverAddress, 443))
        socket.onEvent = { event, s in
            if event == .connected {
                s.send(pattern(200_000))
                s.close()
            }
        }
        simulation.run(until: .zero + .seconds(5))
        let intact = received.read == pattern(200_000)
        #expect(intact)
        #expect(peer?.address == cgnat.externalAddresses.first)
        #expect(socket.connection.statistics.malformed == 0)  // every rewritten checksum verified
        #expect(home.natStats.outboundTranslated > 0 && cgnat.natStats.inboundTranslated > 0)
    }
}
