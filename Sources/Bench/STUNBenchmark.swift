import Live
import NetTypes
import STUN

/// `icelab bench stun`: codec and live server figures.
public enum STUNBenchmark {
    public struct Sizes: Sendable {
        public var codecMessages = 1_000_000
        public var liveRequests = 200_000
        public init() {}
        public static let tiny: Sizes = {
            var s = Sizes()
            s.codecMessages = 2_000
            s.liveRequests = 500
            return s
        }()
    }

    static let client = Endpoint(.v4(IPv4Address(192, 0, 2, 1)), 50000)

    public static func run(_ sizes: Sizes = Sizes(), repetitions: Int = 3) async throws -> BenchmarkReport {
        var report = BenchmarkReport()
        let authenticator = STUNAuthenticator(key: .shortTerm(password: "VOkJxbRl1RmTxUk/WvJxBt"))
        let request = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 1, low: 2),
                                  attributes: [.username("evtj:h6vY"), .priority(0x6E00_01FF), .iceControlled(0x932F_F9B1_5126_3B36)])
        var sink = 0
        let encodeSeconds = WallClock.bestSeconds(repetitions: repetitions) {
            var message = request
            for i in 0..<sizes.codecMessages {
                message.transactionID.low = UInt64(i)
                sink &+= message.encoded(authenticator: authenticator).count
            }
        }
        report.add("encode_integrity_per_s", Double(sizes.codecMessages) / encodeSeconds,
                   label: "binding requests encoded with integrity + fingerprint / s")
        let wire = request.encoded(authenticator: authenticator)
        let decodeSeconds = WallClock.bestSeconds(repetitions: repetitions) {
            for _ in 0..<sizes.codecMessages {
                if let decoded = try? DecodedSTUNMessage(decoding: wire) { sink &+= decoded.message.attributes.count }
            }
        }
        report.add("decode_per_s", Double(sizes.codecMessages) / decodeSeconds, label: "binding requests decoded / s")
        let verifySeconds = WallClock.bestSeconds(repetitions: repetitions) {
            for _ in 0..<sizes.codecMessages {
                if let decoded = try? DecodedSTUNMessage(decoding: wire), decoded.checkIntegrity(authenticator) == .valid,
                   decoded.fingerprintCheck == .valid { sink &+= 1 }
            }
        }
        report.add("decode_verify_per_s", Double(sizes.codecMessages) / verifySeconds,
                   label: "binding requests decoded and verified / s")
        precondition(sink != 0)
        report.add("live_requests_per_s", try await liveRequestsPerSecond(count: sizes.liveRequests),
                   label: "live server on loopback, answered requests / s")
        return report
    }

    /// Answered requests per second of a live server on loopback, with a client keeping
    /// `window` requests outstanding.
    static func liveRequestsPerSecond(count: Int, window: Int = 64) async throws -> Double {
        let server = try await startOnFreePort()
        defer { Task { await server.stop() } }
        let target = await server.localEndpoints[0]
        let done = AsyncStream.makeStream(of: Double.self)
        let driver = UDPCoreDriver(core: LoadClient(target: target, total: count, window: window), onEvent: { seconds, _ in
            done.continuation.yield(seconds)
        })
        let local = try await driver.bind(try Endpoint(parsing: "127.0.0.1:0"))
        _ = driver.withCore { core, now in core.start(local: local, now: now) }
        var iterator = done.stream.makeAsyncIterator()
        let seconds = await iterator.next() ?? .infinity
        await driver.close()
        await server.stop()
        return Double(count) / seconds
    }

    static func startOnFreePort() async throws -> LiveSTUNServer {
        var lastError: Error?
        for port in UInt16(40000)..<UInt16(40100) {
            do {
                return try await LiveSTUNServer.start(STUNServerConfiguration(primary: Endpoint(.v4(.loopback), port)))
            } catch { lastError = error }
        }
        throw lastError!
    }

    /// Keeps `window` Binding requests in flight and reports the elapsed seconds once
    /// `total` responses arrived.
    struct LoadClient: SansIOCore {
        let target: Endpoint
        let total: Int
        let window: Int
        var local = Endpoint(.v4(.any), 0)
        var sent = 0
        var answered = 0
        var started = Instant.zero
        var outbox: [Datagram] = []
        var finished: Double?
        var lastActivity = Instant.zero
        var rng = Xoshiro256(seed: 7)

        init(target: Endpoint, total: Int, window: Int) {
            self.target = target
            self.total = total
            self.window = window
        }

        mutating func start(local: Endpoint, now: Instant) {
            self.local = local
            started = now
            lastActivity = now
            for _ in 0..<min(window, total) { sendOne() }
        }

        mutating func sendOne() {
            let message = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(using: &rng))
            outbox.append(Datagram(source: local, destination: target, payload: message.encoded()))
            sent += 1
        }

        mutating func handle(_ datagram: Datagram, now: Instant) {
            lastActivity = now
            answered += 1
            if answered == total { finished = (now - started).seconds } else if sent < total { sendOne() }
        }

        /// A second without answers: the socket buffers dropped the window; send it again.
        mutating func handleTimeout(now: Instant) {
            guard answered < total, now - lastActivity >= .seconds(1) else { return }
            lastActivity = now
            for _ in 0..<window { sendOne() }
        }

        mutating func pollOutput() -> CoreOutput<Double> {
            if !outbox.isEmpty { return .transmit(outbox.removeFirst()) }
            if let finished { self.finished = nil; return .event(finished) }
            return answered < total ? .timeout(lastActivity + .seconds(1)) : .timeout(.distantFuture)
        }
    }
}
