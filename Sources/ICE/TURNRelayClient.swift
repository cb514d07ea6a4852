import NetTypes
import TURN

/// The TURN client (RFC 8656) as the agent's relay: one allocation per request, a
/// channel bound to each peer on first use (smaller than Send indications for media;
/// the permission comes with it), data in both directions.
public struct TURNRelayClient: ICERelayClient {
    private var client: TURNClient
    private var channelRequested: Set<Endpoint> = []
    private var events: [ICERelayEvent] = []

    public init(request: ICERelayRequest, rng: Xoshiro256) {
        var configuration = TURNClientConfiguration(
            server: request.server.endpoint, local: request.base, transport: request.server.transport,
            username: request.server.username, password: request.server.password, family: request.family)
        configuration.tls = request.server.tls
        configuration.tlsServerName = request.server.tlsServerName
        configuration.tlsSeeded = request.server.tlsSeeded
        client = TURNClient(configuration: configuration, rng: rng)
    }

    /// The factory to hand to `ICEAgent.init`.
    public static func make(_ request: ICERelayRequest, _ rng: Xoshiro256) -> any ICERelayClient {
        TURNRelayClient(request: request, rng: rng)
    }

    public mutating func start(now: Instant) { client.allocate(now: now) }

    public mutating func send(_ payload: [UInt8], to peer: Endpoint, ecn: ECNCodepoint, now: Instant) {
        if channelRequested.insert(peer).inserted { client.bindChannel(to: peer, now: now) }
        client.send(payload, to: peer, ecn: ecn, now: now)
    }

    public mutating func handle(_ datagram: Datagram, now: Instant) { client.handle(datagram, now: now) }

    public mutating func handleTimeout(now: Instant) { client.handleTimeout(now: now) }

    public mutating func streamClosed(now: Instant) {
        let configuration = client.configuration
        client.streamClosed(local: configuration.local, remote: configuration.server, transport: configuration.transport, now: now)
    }

    public mutating func pollOutput() -> CoreOutput<ICERelayEvent> {
        while true {
            switch client.pollOutput() {
            case .transmit(let datagram): return .transmit(datagram)
            case .timeout(let deadline): return .timeout(deadline)
            case .event(let event):
                switch event {
                case .allocated(let allocation):
                    guard let relayed = allocation.relayed.first else { return .event(.failed(reason: "no relayed address")) }
                    return .event(.allocated(relayed: relayed, mapped: allocation.mapped))
                case .allocationFailed(let failure): return .event(.failed(reason: "allocation failed: \(failure)"))
                case .allocationExpired: return .event(.failed(reason: "allocation expired"))
                case .data(let peer, let bytes, let ecn): return .event(.received(bytes, from: peer, ecn: ecn))
                default: continue
                }
            }
        }
    }
}
