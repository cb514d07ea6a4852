import NIOCore
import NIOPosix
import NetTypes
import STUN
import TestSupport
import Testing
@testable import Live

/// The STUN server and the NAT probe on real loopback sockets.
@Suite(.serialized, .liveNetwork) struct LiveSTUNTests {
    static func freePort() async throws -> UInt16 {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = UInt16(channel.localAddress!.port!)
        try await channel.close()
        return port
    }

    @Test func probeThroughLoopbackFindsNoNAT() async throws {
        let p1 = try await Self.freePort(), p2 = try await Self.freePort()
        let config = STUNServerConfiguration(primary: try Endpoint(parsing: "127.0.0.1:\(p1)"),
                                             alternateAddress: try IPAddress(parsing: "127.0.0.2"), alternatePort: p2)
        let server = try await LiveSTUNServer.start(config)
        defer { Task { await server.stop() } }
        #expect(await server.localEndpoints.count == 4)
        var fast = STUNTransactionConfiguration()
        fast.initialRTO = .milliseconds(100)
        let report = try await LiveNATProbe.run(server: config.primary, configuration: fast)
        #expect(report.classic == .openInternet, "\(report)")
        #expect(report.mappedAddress?.address == config.primary.address)
        #expect(report.otherAddress == Endpoint(try IPAddress(parsing: "127.0.0.2"), p2))
        let counters = await server.counters()
        #expect(counters.requests >= 1 && counters.successResponses == counters.requests)
        await server.stop()
    }

    @Test func garbageIsCountedAndShortTermAuthIsEnforced() async throws {
        let port = try await Self.freePort()
        let primary = try Endpoint(parsing: "127.0.0.1:\(port)")
        let server = try await LiveSTUNServer.start(STUNServerConfiguration(
            primary: primary, shortTermCredential: STUNShortTermCredential(username: "alice:bob", password: "s3cret")))
        let replies = AsyncStream.makeStream(of: [UInt8].self)
        let client = UDPCoreDriver(core: Collector(), eventLoop: MultiThreadedEventLoopGroup.singleton.next()) { bytes, _ in
            replies.continuation.yield(bytes)
        }
        let local = try await client.bind(try Endpoint(parsing: "127.0.0.1:0"))
        var iterator = replies.stream.makeAsyncIterator()
        func send(_ payload: [UInt8]) async throws -> [UInt8]? {
            _ = try await client.withCore { core, _ in core.outbox.append(Datagram(source: local, destination: primary, payload: payload)) }.get()
            return await iterator.next()
        }
        // Garbage first: dropped, never answered; the server keeps working.
        _ = try await client.withCore { core, _ in
            core.outbox.append(Datagram(source: local, destination: primary, payload: [0x00, 0x01, 0xFF]))
            core.outbox.append(Datagram(source: local, destination: primary, payload: Array(repeating: 0x80, count: 40)))
        }.get()
        var rng = Xoshiro256(seed: 9)
        let id = STUNTransactionID(using: &rng)
        let signed = STUNMessage(type: .bindingRequest, transactionID: id, attributes: [.username("alice:bob")])
            .encoded(authenticator: STUNAuthenticator(key: .shortTerm(password: "s3cret")))
        let ok = try #require(try await send(signed))
        let decoded = try DecodedSTUNMessage(decoding: ok)
        #expect(decoded.message.type == .bindingSuccess)
        #expect(decoded.checkIntegrity(STUNAuthenticator(key: .shortTerm(password: "s3cret"))) == .valid)
        let forged = STUNMessage(type: .bindingRequest, transactionID: id, attributes: [.username("alice:bob")])
            .encoded(authenticator: STUNAuthenticator(key: .shortTerm(password: "wrong")))
        let rejected = try #require(try await send(forged))
        #expect(try STUNMessage(decoding: rejected).errorCode?.code == 401)
        let counters = await server.counters()
        #expect(counters.droppedTotal == 2)
        // The same counts as Prometheus metrics (docs/operations.md).
        let metrics = STUNMetrics().render(counters: counters, sockets: await server.socketCounters())
        let samples: [String] = metrics.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        #expect(samples.contains(#"icelab_stun_requests_total{result="success"} 1"#))
        #expect(samples.contains(#"icelab_stun_requests_total{result="error"} 1"#))
        let drops: [Int] = samples.filter { $0.hasPrefix("icelab_stun_dropped_total{") }.compactMap { Int($0.split(separator: " ").last ?? "") }
        #expect(drops.reduce(0, +) == 2)
        let received = #"icelab_stun_listener_packets_total{listener="\#(primary)",transport="udp",direction="in"} 4"#
        #expect(samples.contains(received), "\(metrics)")
        await client.close()
        await server.stop()
    }
}

/// A test core that sends what is put in its outbox and reports every datagram received.
struct Collector: SansIOCore {
    var outbox: [Datagram] = []
    var inbox: [[UInt8]] = []

    mutating func handle(_ datagram: Datagram, now: Instant) { inbox.append(datagram.payload) }
    mutating func handleTimeout(now: Instant) {}
    mutating func pollOutput() -> CoreOutput<[UInt8]> {
        if !outbox.isEmpty { return .transmit(outbox.removeFirst()) }
        if !inbox.isEmpty { return .event(inbox.removeFirst()) }
        return .timeout(.distantFuture)
    }
}
