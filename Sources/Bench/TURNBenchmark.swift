import Live
import NetTypes
import STUN
import TLS
import TURN

/// `icelab bench turn`: allocations and relayed packets per second through the live TURN
/// server on loopback, relayed packets per second through the sans-IO core alone, and
/// allocations per second over fresh TLS connections through the cores alone.
public enum TURNBenchmark {
    public struct Sizes: Sendable {
        public var liveAllocations = 2_000
        public var livePackets = 100_000
        public var corePackets = 1_000_000
        public var tlsAllocations = 500
        public init() {}
        public static let tiny: Sizes = {
            var s = Sizes()
            s.liveAllocations = 40
            s.livePackets = 400
            s.corePackets = 2_000
            s.tlsAllocations = 4
            return s
        }()
    }

    static let loopback = IPAddress.v4(.loopback)

    public static func run(_ sizes: Sizes = Sizes(), repetitions: Int = 3) async throws -> BenchmarkReport {
        var report = BenchmarkReport()
        let churn = try await live(slots: 32, allocations: sizes.liveAllocations, packetsPerAllocation: 1, window: 1)
        report.add("live_allocations_per_s", Double(churn.completed) / churn.seconds,
                   label: "live server on loopback: allocate + channel + 1 echo + release / s")
        let slots = 8
        let flow = try await live(slots: slots, allocations: slots, packetsPerAllocation: sizes.livePackets / slots, window: 32)
        report.add("live_relayed_packets_per_s", Double(2 * flow.echoed) / flow.seconds,
                   label: "live server on loopback: packets relayed (ChannelData in, UDP out and back) / s")
        report.add("core_relayed_packets_per_s", coreRelayedPacketsPerSecond(sizes.corePackets, repetitions: repetitions),
                   label: "sans-IO server core alone: packets relayed / s")
        report.add("tls_allocations_per_s", try tlsAllocationsPerSecond(sizes.tlsAllocations, repetitions: repetitions),
                   label: "client and server cores alone, TURN over TLS: fresh TLS 1.3 handshake + 401 + Allocate / s")
        return report
    }

    /// A server configuration for load on loopback: one user without quota.
    static func loopbackConfiguration(port: UInt16) -> TURNServerConfiguration {
        TURNServerConfiguration(
            listening: [Endpoint(loopback, port)], realm: "bench", users: ["bench": "bench"], relayPorts: 20000...39999,
            maxAllocationsPerUser: 100_000, peerPolicy: TURNPeerPolicy(allow: [IPPrefix(loopback, length: 8)]))
    }

    /// Runs `TURNLoad` against a fresh live server; returns the outcome, the server's
    /// counters and its open sockets after the run.
    public static func liveRun(slots: Int, allocations: Int, packetsPerAllocation: Int, window: Int)
        async throws -> (outcome: TURNLoad.Outcome, server: TURNServerCounters, openSockets: Int) {
        let (server, listen) = try await startOnFreePort()
        let outcome = try await load(listen, username: "bench", password: "bench", slots: slots, allocations: allocations,
                                     packetsPerAllocation: packetsPerAllocation, window: window)
        // Let the server's event loop finish closing relayed sockets.
        try await Task.sleep(for: .milliseconds(50))
        let counters = await server.counters()
        let open = await server.socketCounters().openSockets
        await server.stop()
        return (outcome, counters, open)
    }

    /// The live figures against a TURN server already running at `server` on loopback
    /// (icelab's `turn-server`, coturn's `turnserver`, …), with the same client load as
    /// `run`: the server must accept `username`/`password` without a quota in the way and
    /// relay to loopback peers. Each figure is the median of `repetitions` runs.
    public static func runAgainst(_ server: Endpoint, username: String, password: String, sizes: Sizes = Sizes(),
                                  repetitions: Int = 3) async throws -> BenchmarkReport {
        var allocations: [Double] = [], packets: [Double] = [], failed = 0
        for _ in 0..<max(1, repetitions) {
            let churn = try await load(server, username: username, password: password, slots: 32, allocations: sizes.liveAllocations,
                                       packetsPerAllocation: 1, window: 1, portPerAllocation: true)
            allocations.append(Double(churn.completed) / churn.seconds)
            failed += churn.failed
            let slots = 8
            let flow = try await load(server, username: username, password: password, slots: slots, allocations: slots,
                                      packetsPerAllocation: sizes.livePackets / slots, window: 32)
            packets.append(Double(2 * flow.echoed) / flow.seconds)
        }
        var report = BenchmarkReport()
        report.add("live_allocations_per_s", median(allocations), label: "server at \(server): allocate + channel + 1 echo + release / s (median)")
        report.add("live_relayed_packets_per_s", median(packets), label: "server at \(server): packets relayed (ChannelData in, UDP out and back) / s (median)")
        report.add("live_failed_allocations", Double(failed), label: "server at \(server): allocations that failed or expired in the churn runs (all repetitions)")
        return report
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Runs `TURNLoad` from `slots` loopback sockets against `server` until `allocations`
    /// allocations are done (with `portPerAllocation`, from a socket of its own each, bound
    /// in advance); its peer is one more loopback socket.
    static func load(_ server: Endpoint, username: String, password: String, slots: Int, allocations: Int,
                     packetsPerAllocation: Int, window: Int, portPerAllocation: Bool = false) async throws -> TURNLoad.Outcome {
        let listen = server
        let placeholder = TURNLoad.Plan(server: listen, username: username, password: password, locals: [], peer: listen,
                                        allocations: 0, packetsPerAllocation: 0, window: 1)
        let done = AsyncStream.makeStream(of: TURNLoad.Outcome.self)
        let driver = UDPCoreDriver(core: TURNLoad(plan: placeholder)) { outcome, _ in done.continuation.yield(outcome) }
        var locals: [Endpoint] = []
        for _ in 0..<(portPerAllocation ? max(slots, allocations) : slots) { locals.append(try await driver.bind(Endpoint(loopback, 0))) }
        let peer = try await driver.bind(Endpoint(loopback, 0))
        let plan = TURNLoad.Plan(server: listen, username: username, password: password, locals: locals, peer: peer,
                                 allocations: allocations, packetsPerAllocation: packetsPerAllocation, window: window, concurrency: slots)
        _ = driver.withCore { core, now in
            core = TURNLoad(plan: plan)
            core.start(now: now)
        }
        var iterator = done.stream.makeAsyncIterator()
        let outcome = await iterator.next() ?? TURNLoad.Outcome()
        await driver.close()
        return outcome
    }

    static func live(slots: Int, allocations: Int, packetsPerAllocation: Int, window: Int) async throws -> TURNLoad.Outcome {
        try await liveRun(slots: slots, allocations: allocations, packetsPerAllocation: packetsPerAllocation, window: window).outcome
    }

    static func startOnFreePort() async throws -> (LiveTURNServer, Endpoint) {
        var lastError: Error?
        for port in UInt16(41000)..<UInt16(41100) {
            do {
                return (try await LiveTURNServer.start(loopbackConfiguration(port: port)), Endpoint(loopback, port))
            } catch { lastError = error }
        }
        throw lastError!
    }

    /// Relayed packets per second of the core alone: ChannelData from a client to a peer
    /// and the peer's answer back, fed and drained in memory.
    static func coreRelayedPacketsPerSecond(_ packets: Int, repetitions: Int) -> Double {
        let listen = Endpoint(.v4(IPv4Address(203, 0, 113, 1)), 3478)
        let clientEndpoint = Endpoint(.v4(IPv4Address(192, 0, 2, 1)), 40000)
        let peer = Endpoint(.v4(IPv4Address(198, 51, 100, 1)), 50000)
        var configuration = loopbackConfiguration(port: 3478)
        configuration.listening = [listen]
        var server = TURNServer(configuration: configuration, rng: Xoshiro256(seed: 1))
        var client = TURNClient(configuration: TURNClientConfiguration(server: listen, local: clientEndpoint, username: "bench",
                                                                       password: "bench"), rng: Xoshiro256(seed: 2))
        let now = Instant.zero
        client.allocate(now: now)
        shuttle(&client, &server, now: now)
        guard let relayed = client.allocation?.relayed.first else { return 0 }
        client.bindChannel(to: peer, now: now)
        shuttle(&client, &server, now: now)
        let channelData = Datagram(source: clientEndpoint, destination: listen,
                                   payload: ChannelData(channelNumber: 0x4000, data: [UInt8](repeating: 7, count: 100)).encoded(stream: false))
        let fromPeer = Datagram(source: peer, destination: relayed, payload: [UInt8](repeating: 9, count: 100))
        var delivered = 0
        let seconds = WallClock.bestSeconds(repetitions: repetitions) {
            for _ in 0..<packets / 2 {
                server.handle(channelData, now: now)
                if case .transmit = server.pollOutput() { delivered += 1 }
                server.handle(fromPeer, now: now)
                if case .transmit = server.pollOutput() { delivered += 1 }
            }
        }
        precondition(delivered > 0, "the core relayed nothing")
        return Double(packets / 2 * 2) / seconds
    }

    /// Allocations per second over fresh TLS connections, cores only: each client is new
    /// (its own address, connection and TLS session: ECDHE and the server's ECDSA
    /// signature each time), against one server core, until it holds its allocation.
    static func tlsAllocationsPerSecond(_ allocations: Int, repetitions: Int) throws -> Double {
        let listen = Endpoint(.v4(IPv4Address(203, 0, 113, 1)), 443)
        var rng = Xoshiro256(seed: 3)
        let identity = try TLSIdentity.generate(commonName: "turn.bench", notBefore: 0, validity: .seconds(100 * 365 * 86_400), rng: &rng)
        var configuration = loopbackConfiguration(port: 3478)
        configuration.listening = []
        configuration.streamListening = [listen: .tls]
        configuration.tls = try TLSContext(TLSConfiguration(role: .server, identity: identity))
        configuration.maxStreams = .max
        let clientContext = try TLSContext(TLSConfiguration(role: .client, trusted: [identity.certificate], serverName: "turn.bench"))
        var allocated = 0
        var round: UInt32 = 0
        let seconds = WallClock.bestSeconds(repetitions: repetitions) {
            var server = TURNServer(configuration: configuration, rng: Xoshiro256(seed: 1))
            round += 1
            for i in 0..<allocations {
                let local = Endpoint(.v4(IPv4Address(10, UInt8(truncatingIfNeeded: round), UInt8(i >> 8 & 0xFF), UInt8(i & 0xFF))), 40000)
                var clientConfiguration = TURNClientConfiguration(server: listen, local: local, transport: .tls,
                                                                  username: "bench", password: "bench")
                clientConfiguration.tls = clientContext
                var client = TURNClient(configuration: clientConfiguration, rng: Xoshiro256(seed: UInt64(i)))
                client.allocate(now: .zero)
                shuttle(&client, &server, now: .zero)
                if client.state == .allocated { allocated += 1 }
            }
        }
        precondition(allocated == allocations * repetitions, "TLS allocations failed: \(allocated) of \(allocations * repetitions)")
        return Double(allocations) / seconds
    }

    /// Moves datagrams between `client` and `server` (in memory, instantly) until neither
    /// sends more; relayed endpoints are bound at once.
    static func shuttle(_ client: inout TURNClient, _ server: inout TURNServer, now: Instant) {
        var moved = true
        while moved {
            moved = false
            while case let output = client.pollOutput(), !isTimeout(output) {
                if case .transmit(let d) = output, !d.payload.isEmpty {
                    server.handle(d, now: now)
                    moved = true
                }
            }
            while case let output = server.pollOutput(), !isTimeout(output) {
                if case .transmit(let d) = output, d.destination == client.configuration.local, !d.payload.isEmpty {
                    client.handle(d, now: now)
                    moved = true
                }
                if case .event(.bindRelay(let endpoint)) = output { server.relayBound(endpoint, now: now) }
            }
        }
    }

    private static func isTimeout<E>(_ output: CoreOutput<E>) -> Bool {
        if case .timeout = output { return true }
        return false
    }
}
