import DTLS
import NetTypes
import TLS

/// Identities for the tests, generated once (P-256 key generation is the slow part).
enum DTLSFixtures {
    static let clientIdentity = makeIdentity("client", seed: 101)
    static let serverIdentity = makeIdentity("server", seed: 202)
    static let clientAddress = Endpoint(IPAddress.v4(IPv4Address(192, 0, 2, 1)), 50_000)
    static let serverAddress = Endpoint(IPAddress.v4(IPv4Address(198, 51, 100, 2)), 50_001)

    static func makeIdentity(_ name: String, seed: UInt64) -> TLSIdentity {
        var rng = Xoshiro256(seed: seed)
        // Fixtures: generation with valid inputs cannot fail.
        return try! TLSIdentity.generate(commonName: name, notBefore: 1_700_000_000, validity: .seconds(30 * 86_400), rng: &rng)
    }

    static func configuration(_ role: DTLSRole, _ change: (inout DTLSConfiguration) -> Void = { _ in }) -> DTLSConfiguration {
        var configuration = DTLSConfiguration(
            role: role, identity: role == .client ? clientIdentity : serverIdentity,
            remoteFingerprint: DTLSFingerprint(identity: role == .client ? serverIdentity : clientIdentity))
        change(&configuration)
        return configuration
    }
}

/// What the network does with one datagram.
enum DTLSLinkAction {
    case deliver
    case drop
    case duplicate
    /// Deliver after this extra delay (reordering).
    case delay(Duration)
}

/// Two endpoints joined by an in-memory link in simulated time: a tiny event loop that
/// delivers datagrams after `latency` (or as `filter` says) and fires the endpoints'
/// timers, recording every datagram sent.
struct DTLSPair {
    var client: DTLSEndpoint
    var server: DTLSEndpoint
    var now = Instant.zero
    var latency = Duration.milliseconds(10)
    /// Every datagram sent, in order: (from the client, payload).
    var wire: [(fromClient: Bool, payload: [UInt8])] = []
    var clientEvents: [DTLSEvent] = []
    var serverEvents: [DTLSEvent] = []
    /// Decides each datagram's fate from its index in `wire`, its direction and bytes.
    var filter: (Int, Bool, [UInt8]) -> DTLSLinkAction = { _, _, _ in .deliver }

    private var inFlight: [(at: Instant, order: Int, toServer: Bool, payload: [UInt8])] = []
    private var scheduled = 0
    private var clientDeadline = Instant.distantFuture
    private var serverDeadline = Instant.distantFuture

    init(seed: UInt64 = 1, client: DTLSConfiguration = DTLSFixtures.configuration(.client),
         server: DTLSConfiguration = DTLSFixtures.configuration(.server)) throws {
        self.client = try DTLSEndpoint(configuration: client, local: DTLSFixtures.clientAddress, remote: DTLSFixtures.serverAddress,
                                       randomness: .seeded(Xoshiro256.stream(seed: seed, id: 1)))
        self.server = try DTLSEndpoint(configuration: server, local: DTLSFixtures.serverAddress, remote: DTLSFixtures.clientAddress,
                                       randomness: .seeded(Xoshiro256.stream(seed: seed, id: 2)))
    }

    var clientConnection: DTLSConnection? { client.connection }
    var serverConnection: DTLSConnection? { server.connection }

    /// Starts the client and runs until both are connected, one has failed, or `limit`.
    mutating func handshake(limit: Duration = .seconds(600)) {
        client.start(now: now)
        drain(client: true)
        server.start(now: now)
        drain(client: false)
        run(until: Instant.zero + limit) { pair in
            pair.client.state == .connected && pair.server.state == .connected
        }
    }

    /// Runs the loop until `done` holds, nothing is left to do, or `limit`.
    mutating func run(until limit: Instant, done: (DTLSPair) -> Bool = { _ in false }) {
        while !done(self) {
            let nextDelivery = inFlight.min { ($0.at, $0.order) < ($1.at, $1.order) }
            let next = min(nextDelivery?.at ?? .distantFuture, clientDeadline, serverDeadline)
            guard next != .distantFuture, next <= limit else { return }
            now = max(now, next)
            if let delivery = nextDelivery, delivery.at == next {
                inFlight.removeAll { $0.order == delivery.order }
                let datagram = Datagram(source: delivery.toServer ? DTLSFixtures.clientAddress : DTLSFixtures.serverAddress,
                                        destination: delivery.toServer ? DTLSFixtures.serverAddress : DTLSFixtures.clientAddress,
                                        payload: delivery.payload)
                if delivery.toServer { server.handle(datagram, now: now) } else { client.handle(datagram, now: now) }
                drain(client: !delivery.toServer)
            } else if clientDeadline == next {
                client.handleTimeout(now: now)
                drain(client: true)
            } else {
                server.handleTimeout(now: now)
                drain(client: false)
            }
        }
    }

    /// Sends application data from one side and drains it.
    mutating func send(_ data: [UInt8], fromClient: Bool) throws {
        if fromClient { try client.send(data, now: now) } else { try server.send(data, now: now) }
        drain(client: fromClient)
    }

    mutating func close(fromClient: Bool) {
        if fromClient { client.close(now: now) } else { server.close(now: now) }
        drain(client: fromClient)
    }

    /// Delivers a datagram straight to one side (hostile input), then drains.
    mutating func inject(_ payload: [UInt8], toServer: Bool) {
        let datagram = Datagram(source: toServer ? DTLSFixtures.clientAddress : DTLSFixtures.serverAddress,
                                destination: toServer ? DTLSFixtures.serverAddress : DTLSFixtures.clientAddress, payload: payload)
        if toServer { server.handle(datagram, now: now) } else { client.handle(datagram, now: now) }
        drain(client: !toServer)
    }

    mutating func drain(client fromClient: Bool) {
        while true {
            let output = fromClient ? client.pollOutput() : server.pollOutput()
            switch output {
            case .transmit(let datagram):
                let index = wire.count
                wire.append((fromClient, datagram.payload))
                switch filter(index, fromClient, datagram.payload) {
                case .deliver: schedule(datagram.payload, toServer: fromClient, after: latency)
                case .drop: break
                case .duplicate:
                    schedule(datagram.payload, toServer: fromClient, after: latency)
                    schedule(datagram.payload, toServer: fromClient, after: latency + .milliseconds(1))
                case .delay(let extra): schedule(datagram.payload, toServer: fromClient, after: latency + extra)
                }
            case .event(let event):
                if fromClient { clientEvents.append(event) } else { serverEvents.append(event) }
            case .timeout(let deadline):
                if fromClient { clientDeadline = deadline } else { serverDeadline = deadline }
                return
            }
        }
    }

    private mutating func schedule(_ payload: [UInt8], toServer: Bool, after delay: Duration) {
        scheduled += 1
        inFlight.append((now + delay, scheduled, toServer, payload))
    }

    /// The application data one side received, concatenated.
    func received(byClient: Bool) -> [UInt8] {
        (byClient ? clientEvents : serverEvents).flatMap { event -> [UInt8] in
            if case .data(let bytes) = event { return bytes }
            return []
        }
    }

    /// The failure one side reported, if any.
    func failure(ofClient: Bool) -> DTLSError? {
        for case .failed(let error) in ofClient ? clientEvents : serverEvents { return error }
        return nil
    }
}
