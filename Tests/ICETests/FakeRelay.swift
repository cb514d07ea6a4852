import ICE
import NetTypes

/// A minimal stand-in for a TURN server and client until the TURN module lands: the
/// client asks the server for a relayed address, then sends and receives through it.
/// Wire format (first byte 0x40, in the ChannelData range, never STUN):
/// allocate `40 01`; allocated `40 02 relayed(6) mapped(6)`; send `40 03 peer(6) data`;
/// data `40 04 peer(6) data`. IPv4 only.
enum FakeRelayWire {
    static func encode(_ e: Endpoint) -> [UInt8] { e.address.bytes + [UInt8(e.port >> 8), UInt8(e.port & 0xFF)] }
    static func decode(_ bytes: ArraySlice<UInt8>) -> Endpoint? {
        guard bytes.count >= 6, let address = IPAddress(bytes: bytes.prefix(4)) else { return nil }
        let i = bytes.startIndex + 4
        return Endpoint(address, UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
    }
}

/// The relay server: `listen` for clients, one address of `pool` per allocation.
struct FakeRelayServer: SansIOCore {
    typealias Event = Never
    let listen: Endpoint
    var pool: [Endpoint]
    var allocations: [Endpoint: Endpoint] = [:]
    var outputs: [Datagram] = []
    private(set) var relayedDatagrams = 0

    mutating func handle(_ d: Datagram, now: Instant) {
        let p = d.payload
        if d.destination == listen, p.count >= 2, p[0] == 0x40 {
            if p[1] == 1 {
                let relayed = allocations[d.source] ?? pool.removeFirst()
                allocations[d.source] = relayed
                outputs.append(Datagram(source: listen, destination: d.source,
                                        payload: [0x40, 2] + FakeRelayWire.encode(relayed) + FakeRelayWire.encode(d.source)))
            } else if p[1] == 3, let relayed = allocations[d.source], let peer = FakeRelayWire.decode(p[2...]) {
                relayedDatagrams += 1
                outputs.append(Datagram(source: relayed, destination: peer, payload: Array(p[8...])))
            }
        } else if let client = allocations.first(where: { $0.value == d.destination })?.key {
            relayedDatagrams += 1
            outputs.append(Datagram(source: listen, destination: client, payload: [0x40, 4] + FakeRelayWire.encode(d.source) + d.payload))
        }
    }

    mutating func handleTimeout(now: Instant) {}

    mutating func pollOutput() -> CoreOutput<Never> {
        outputs.isEmpty ? .timeout(.distantFuture) : .transmit(outputs.removeFirst())
    }
}

/// The relay client the agent embeds through `ICERelayClient`.
struct FakeRelayClient: ICERelayClient {
    let request: ICERelayRequest
    var outputs: [CoreOutput<ICERelayEvent>] = []

    init(request: ICERelayRequest) { self.request = request }

    static func make(_ request: ICERelayRequest, _: Xoshiro256) -> any ICERelayClient { FakeRelayClient(request: request) }

    mutating func start(now: Instant) { toServer([0x40, 1]) }

    mutating func send(_ payload: [UInt8], to peer: Endpoint, ecn: ECNCodepoint, now: Instant) {
        toServer([0x40, 3] + FakeRelayWire.encode(peer) + payload)
    }

    mutating func handle(_ d: Datagram, now: Instant) {
        let p = d.payload
        guard p.count >= 8, p[0] == 0x40 else { return }
        if p[1] == 2, let relayed = FakeRelayWire.decode(p[2...]) {
            outputs.append(.event(.allocated(relayed: relayed, mapped: FakeRelayWire.decode(p[8...]))))
        } else if p[1] == 4, let peer = FakeRelayWire.decode(p[2...]) {
            outputs.append(.event(.received(Array(p[8...]), from: peer, ecn: d.ecn)))
        }
    }

    mutating func handleTimeout(now: Instant) {}

    mutating func pollOutput() -> CoreOutput<ICERelayEvent> {
        outputs.isEmpty ? .timeout(.distantFuture) : outputs.removeFirst()
    }

    private mutating func toServer(_ payload: [UInt8]) {
        outputs.append(.transmit(Datagram(source: request.base, destination: request.server.endpoint, payload: payload)))
    }
}
