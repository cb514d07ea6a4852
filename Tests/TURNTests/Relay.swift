import NetTypes
import STUN
@testable import TURN

/// An in-memory network around one TURN server core: clients, plain peers and the server
/// exchange datagrams instantly; time moves only when a test advances it.
struct Relay {
    static let serverEndpoint = try! Endpoint(parsing: "203.0.113.1:3478")
    static let realm = "icelab.test"

    var server: TURNServer
    var clients: [Endpoint: TURNClient] = [:]
    /// Events each client produced, in order.
    var events: [Endpoint: [TURNClientEvent]] = [:]
    var serverEvents: [TURNServerEvent] = []
    /// Relayed endpoints another socket of the "host" holds: binding them fails.
    var takenEndpoints: Set<Endpoint> = []
    /// When set, the server's bind requests wait in `bindRequests` until `answerBinds()`.
    var holdsBinds = false
    private(set) var bindRequests: [Endpoint] = []
    /// Datagrams plain peers received.
    var peerInbox: [Endpoint: [Datagram]] = [:]
    var now = Instant.zero
    private var deadlines: [Endpoint: Instant] = [:]
    private var serverDeadline = Instant.distantFuture

    init(_ configure: (inout TURNServerConfiguration) -> Void = { _ in }) {
        var configuration = TURNServerConfiguration(
            listening: [Relay.serverEndpoint], realm: Relay.realm, users: ["alice": "alice-pw", "bob": "bob-pw"],
            relayAddresses: [try! IPAddress(parsing: "203.0.113.1"), try! IPAddress(parsing: "2001:db8::1")])
        configure(&configuration)
        server = TURNServer(configuration: configuration, rng: Xoshiro256(seed: 42))
    }

    static func clientConfiguration(_ local: String, user: String = "alice", password: String? = nil,
                                    _ configure: (inout TURNClientConfiguration) -> Void = { _ in }) -> TURNClientConfiguration {
        var configuration = TURNClientConfiguration(server: serverEndpoint, local: try! Endpoint(parsing: local),
                                                    username: user, password: password ?? "\(user)-pw")
        configure(&configuration)
        return configuration
    }

    /// Adds a client and sends its Allocate.
    @discardableResult
    mutating func addClient(_ configuration: TURNClientConfiguration) -> Endpoint {
        let local = configuration.local
        clients[local] = TURNClient(configuration: configuration, rng: Xoshiro256(seed: UInt64(local.port)))
        withClient(local) { client, now in client.allocate(now: now) }
        return local
    }

    /// Drops a client without a word to the server (a crashed or vanished client).
    mutating func removeClient(_ local: Endpoint) {
        clients[local] = nil
        deadlines[local] = nil
    }

    mutating func withClient(_ local: Endpoint, _ body: (inout TURNClient, Instant) -> Void) {
        body(&clients[local]!, now)
        drainClient(local)
    }

    /// A peer (no TURN) sends `payload`.
    mutating func peerSend(from peer: Endpoint, to destination: Endpoint, _ payload: [UInt8]) {
        deliver(Datagram(source: peer, destination: destination, payload: payload))
    }

    /// A peer sends `datagram` as it is (its ECN field included).
    mutating func deliverPeer(_ datagram: Datagram) { deliver(datagram) }

    /// Delivers raw bytes to the server and returns what it sent back to `source`.
    mutating func raw(from source: Endpoint, _ payload: [UInt8]) -> [Datagram] {
        server.handle(Datagram(source: source, destination: Relay.serverEndpoint, payload: payload), now: now)
        var replies: [Datagram] = []
        while true {
            switch server.pollOutput() {
            case .transmit(let d): if d.destination == source { replies.append(d) } else { deliver(d) }
            case .event(let e): serverEvent(e)
            case .timeout(let t): serverDeadline = t; return replies
            }
        }
    }

    /// Moves time to `target`, firing every timer due on the way in order.
    mutating func advance(to target: Instant) {
        while true {
            let next = ([serverDeadline] + deadlines.values).min() ?? .distantFuture
            guard next <= target else { break }
            now = max(now, next)
            if serverDeadline <= now {
                server.handleTimeout(now: now)
                drainServer()
            }
            for (local, deadline) in deadlines.sorted(by: { $0.key < $1.key }) where deadline <= now {
                clients[local]!.handleTimeout(now: now)
                drainClient(local)
            }
        }
        now = target
    }

    mutating func advance(by span: Duration) { advance(to: now + span) }

    /// Answers the bind requests `holdsBinds` kept: each bound unless taken.
    mutating func answerBinds() {
        let requests = bindRequests
        bindRequests = []
        for endpoint in requests {
            answerBind(endpoint)
            drainServer()
        }
    }

    func relayed(_ local: Endpoint) -> Endpoint? { clients[local]?.allocation?.relayed.first }

    func data(at local: Endpoint) -> [[UInt8]] {
        events[local, default: []].compactMap { if case .data(_, let bytes, _) = $0 { bytes } else { nil } }
    }

    // MARK: Delivery

    private mutating func deliver(_ datagram: Datagram) {
        if datagram.destination == Relay.serverEndpoint || server.configuration.relayAddresses.contains(datagram.destination.address) {
            server.handle(datagram, now: now)
            drainServer()
        } else if clients[datagram.destination] != nil {
            clients[datagram.destination]!.handle(datagram, now: now)
            drainClient(datagram.destination)
        } else {
            peerInbox[datagram.destination, default: []].append(datagram)
        }
    }

    /// Records a server event; the driver's part of `.bindRelay`: bind unless taken.
    private mutating func serverEvent(_ event: TURNServerEvent) {
        serverEvents.append(event)
        guard case .bindRelay(let endpoint) = event else { return }
        if holdsBinds { bindRequests.append(endpoint) } else { answerBind(endpoint) }
    }

    private mutating func answerBind(_ endpoint: Endpoint) {
        if takenEndpoints.contains(endpoint) {
            server.relayUnavailable(endpoint, because: .addressInUse, now: now)
        } else {
            server.relayBound(endpoint, now: now)
        }
    }

    private mutating func drainServer() {
        while true {
            switch server.pollOutput() {
            case .transmit(let d): deliver(d)
            case .event(let e): serverEvent(e)
            case .timeout(let t): serverDeadline = t; return
            }
        }
    }

    private mutating func drainClient(_ local: Endpoint) {
        while true {
            switch clients[local]!.pollOutput() {
            case .transmit(let d): deliver(d)
            case .event(let e): events[local, default: []].append(e)
            case .timeout(let t): deadlines[local] = t; return
            }
        }
    }
}
