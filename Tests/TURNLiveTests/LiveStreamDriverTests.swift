import Foundation
import NIOCore
import NIOPosix
import NetTypes
import TestSupport
import Testing
@testable import Live

/// The live driver's TCP half against the `StreamCore` contract, with a core that only
/// records what the driver tells it and writes what a test asks.
@Suite(.serialized, .liveNetwork) struct LiveStreamDriverTests {
    static let loopback = Endpoint(.v4(.loopback), 0)

    /// A core that logs its stream inputs and sends what is queued in `outputs`; like any
    /// stream core it writes no more to a connection it was told has closed.
    struct PipeCore: StreamCore {
        enum Event: Sendable, Equatable {
            case opened(local: Endpoint, remote: Endpoint)
            case closed(local: Endpoint, remote: Endpoint)
            case bytes(from: Endpoint, to: Endpoint, TransportKind, [UInt8])
        }
        var outputs: [CoreOutput<Event>] = []
        var closed: Set<[Endpoint]> = []

        mutating func handle(_ datagram: Datagram, now: Instant) {
            outputs.append(.event(.bytes(from: datagram.source, to: datagram.destination, datagram.transport, datagram.payload)))
        }
        mutating func handleTimeout(now: Instant) {}
        mutating func pollOutput() -> CoreOutput<Event> { outputs.isEmpty ? .timeout(.distantFuture) : outputs.removeFirst() }
        mutating func streamOpened(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {
            outputs.append(.event(.opened(local: local, remote: remote)))
        }
        mutating func streamClosed(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {
            closed.insert([local, remote])
            outputs.append(.event(.closed(local: local, remote: remote)))
        }
        mutating func write(_ bytes: [UInt8], from source: Endpoint, to destination: Endpoint, transport: TransportKind = .tcp) {
            guard !closed.contains([source, destination]) else { return }
            outputs.append(.transmit(Datagram(source: source, destination: destination, transport: transport, payload: bytes)))
        }
    }

    /// A driver of a `PipeCore` and the events it produced.
    final class Pipe: @unchecked Sendable {
        let driver: UDPCoreDriver<PipeCore>
        private let lock = NSLock()
        private var log: [PipeCore.Event] = []

        init() {
            var holder: Pipe?
            driver = UDPCoreDriver(core: PipeCore()) { event, _ in holder?.record(event) }
            holder = self
        }

        private func record(_ event: PipeCore.Event) { lock.withLock { log.append(event) } }
        var events: [PipeCore.Event] { lock.withLock { log } }

        /// Every byte received so far, in order.
        var bytes: [UInt8] {
            events.flatMap { event -> [UInt8] in
                guard case .bytes(_, _, _, let bytes) = event else { return [] }
                return bytes
            }
        }

        func write(_ chunks: [[UInt8]], from source: Endpoint, to destination: Endpoint) async throws {
            try await driver.withCore { core, _ -> Void in
                for chunk in chunks { core.write(chunk, from: source, to: destination) }
            }.get()
        }

        func waitFor(seconds: Double = 5, _ done: @escaping ([PipeCore.Event]) -> Bool) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if done(events) { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return done(events)
        }

        func counters() async throws -> LiveCounters { try await driver.eventLoop.submit { self.driver.counters }.get() }
    }

    /// A connection opened on a write (from the source the core named, chunks written
    /// before it was up kept in order) is accepted by another driver, which hears of it
    /// before its bytes, tagged with the listener's transport; the answer comes back to
    /// the name the core gave the connection; an empty write closes it, reported to the
    /// other side only.
    @Test func openWriteAnswerAndClose() async throws {
        let server = Pipe(), client = Pipe()
        let listening = try await server.driver.listenStream(on: Self.loopback, transport: .tls)
        let name = Endpoint(.v4(.loopback), 7)   // any port: it only names the connection for the core
        try await client.write([Array("one ".utf8), Array("two ".utf8), Array("three".utf8)], from: name, to: listening)
        #expect(await server.waitFor { _ in server.bytes == Array("one two three".utf8) }, "\(server.events.count) events")
        guard case .opened(let local, let remote)? = server.events.first else {
            Issue.record("the first event is not the opening: \(String(describing: server.events.first))")
            return
        }
        #expect(local == listening && remote.address == name.address && remote.port != name.port)
        #expect(server.events.allSatisfy { if case .bytes(_, _, let transport, _) = $0 { transport == .tls } else { true } })

        let answer = Array(repeating: UInt8(0x5A), count: 200_000)
        try await server.write([answer, []], from: local, to: remote)
        #expect(await client.waitFor { _ in client.bytes.count == answer.count }, "\(client.bytes.count) of \(answer.count) bytes")
        #expect(client.events.allSatisfy { if case .bytes(let from, let to, _, _) = $0 { from == listening && to == name } else { true } })
        #expect(await client.waitFor { $0.contains(.closed(local: name, remote: listening)) }, "the client never heard of the close")
        #expect(!server.events.contains { if case .closed = $0 { true } else { false } }, "told of a close it asked for")
        #expect(try await server.driver.eventLoop.submit { server.driver.openStreams }.get() == 0)
        await client.driver.close()
        await server.driver.close()
    }

    /// A connection that cannot be opened is reported closed.
    @Test func refusedConnectionIsReportedClosed() async throws {
        let port = try await Subprocess.freeTCPAndUDPPort()
        let client = Pipe()
        let nobody = Endpoint(.v4(.loopback), port)
        try await client.write([[1, 2, 3]], from: Self.loopback, to: nobody)
        #expect(await client.waitFor { $0 == [.closed(local: Self.loopback, remote: nobody)] }, "\(client.events)")
        #expect(try await client.counters().streamConnectFailures == 1)
        await client.driver.close()
    }

    /// A peer that does not read while the core keeps writing: past the bound on unsent
    /// bytes the connection is closed and reported, and the core's memory stays bounded.
    @Test func unreadBytesPastTheBoundCloseTheConnection() async throws {
        let server = Pipe()
        try await server.driver.eventLoop.submit { server.driver.streams.maxUnsentBytes = 256 << 10 }.get()
        let listening = try await server.driver.listenStream(on: Self.loopback, transport: .tcp)
        let reader = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: false)
            .connect(host: "127.0.0.1", port: Int(listening.port)).get()
        #expect(await server.waitFor { $0.contains { if case .opened = $0 { true } else { false } } })
        guard case .opened(let local, let remote)? = server.events.first else { return }
        let chunk = Array(repeating: UInt8(7), count: 64 << 10)
        for _ in 0..<40 where server.events.count == 1 {   // kernel buffers take megabytes first
            try await server.write(Array(repeating: chunk, count: 16), from: local, to: remote)
        }
        #expect(await server.waitFor { $0.contains(.closed(local: local, remote: remote)) }, "\(server.events.count) events")
        let counters = try await server.counters()
        #expect(counters.streamOverflows == 1 && counters.streamConnectFailures == 0, "\(counters)")
        #expect(server.events.filter { if case .closed = $0 { true } else { false } }.count == 1)
        try? await reader.close()
        await server.driver.close()
    }
}
