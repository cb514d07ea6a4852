#if canImport(Glibc)
import Glibc
#endif
@testable import DataChannel
import NetTypes
@testable import SCTP

/// libFuzzer entry point for the SCTP decoders, the association and the data channel
/// layer. The first byte picks the victim; the rest is a sequence of packets, each a
/// 2-byte big-endian length and its bytes (a short last one takes what is left):
/// - mode 0: the decoders alone: packets (checksum on and off), DCEP messages, cookies;
/// - mode 1: a fresh association that has not connected (the packets play an initiator);
/// - mode 2: an established association with data in flight (the packets play its peer);
/// - mode 3: an established data channel endpoint with an open channel;
/// - mode 4: as mode 2 with user message interleaving (RFC 8260: I-DATA, I-FORWARD-TSN).
/// In modes 2 to 4 each packet's verification tag is overwritten with the victim's and
/// checksums are not verified, so that mutations reach the chunk handlers instead of
/// dying at the tag or CRC check. Each packet advances time by 150 ms and fires due timers.
/// Properties: no trap or sanitizer report; no event after `failed` or `closed`; the
/// reassembly buffer stays within the receive window plus one maximum message; the
/// out-of-order TSN list within its bound. `SCTP_FUZZ_SEEDS=DIR` writes the genuine
/// packets of a seeded association as seeds.
@_cdecl("LLVMFuzzerTestOneInput")
public func sctpFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let packets = FuzzInput.datagrams(bytes.dropFirst())
    switch bytes[0] % 5 {
    case 0: for packet in packets { decodeAll(packet) }
    case 1: feed(FuzzFixtures.fresh(), packets, patchTag: false)
    case 2: feed(FuzzFixtures.established(), packets, patchTag: true)
    case 3: feedChannels(packets)
    default: feed(FuzzFixtures.established(interleaving: true), packets, patchTag: true)
    }
    return 0
}

func decodeAll(_ bytes: [UInt8]) {
    _ = try? SCTPPacket(decoding: bytes)
    if let packet = try? SCTPPacket(decoding: bytes, verifyChecksum: false) {
        precondition((try? SCTPPacket(decoding: packet.encoded)) == packet, "re-encoded packet decodes differently")
    }
    _ = try? DataChannelMessage(decoding: bytes)
    _ = FuzzFixtures.signer.open(bytes)
}

func patched(_ packet: [UInt8], tag: UInt32) -> [UInt8] {
    guard packet.count >= 8 else { return packet }
    var bytes = packet
    bytes[4] = UInt8(tag >> 24); bytes[5] = UInt8(truncatingIfNeeded: tag >> 16)
    bytes[6] = UInt8(truncatingIfNeeded: tag >> 8); bytes[7] = UInt8(truncatingIfNeeded: tag)
    return bytes
}

func feed(_ victim: SCTPAssociation, _ packets: [[UInt8]], patchTag: Bool) {
    var association = victim
    var ended = false
    var now = Instant.zero + .seconds(1)
    func check() {
        while true {
            let output = association.pollOutput()
            if case .timeout = output { break }
            // Once ended only a SHUTDOWN COMPLETE may still go out (§8.4 item 5).
            if case .event = output { precondition(!ended, "event after .failed or .closed") }
            if case .event(.failed) = output { ended = true }
            if case .event(.closed) = output { ended = true }
        }
        let configuration = association.configuration
        precondition(association.receiveBufferedBytes <= configuration.receiveWindow + configuration.maxMessageSize + 65_536,
                     "reassembly holds \(association.receiveBufferedBytes) bytes")
        precondition(association.receivedAbove.count <= Int(UInt16.max), "out-of-order list unbounded")
    }
    for packet in packets {
        association.handle(packet: patchTag ? patched(packet, tag: association.localTag) : packet, now: now)
        check()
        now += .milliseconds(150)
        association.handleTimeout(now: now)
        check()
    }
    _ = try? association.send([1, 2, 3], stream: 1, ppid: 51, now: now)
    _ = try? association.resetStreams([1], now: now)
    association.shutdown(now: now)
    check()
}

func feedChannels(_ packets: [[UInt8]]) {
    var endpoint = FuzzFixtures.channelEndpoint()
    var now = Instant.zero + .seconds(1)
    for packet in packets {
        endpoint.handle(Datagram(source: endpoint.association.remote, destination: endpoint.association.local,
                                 payload: patched(packet, tag: endpoint.association.localTag)), now: now)
        now += .milliseconds(150)
        endpoint.handleTimeout(now: now)
        while true { if case .timeout = endpoint.pollOutput() { break } }
        _ = try? endpoint.send([7], isString: false, on: 0, now: now)
    }
}

/// Seeded associations and the genuine packets of their exchange, made once.
enum FuzzFixtures {
    static let a = Endpoint(IPAddress.v4(IPv4Address(192, 0, 2, 1)), 5000)
    static let b = Endpoint(IPAddress.v4(IPv4Address(192, 0, 2, 2)), 5000)
    static let signer = SCTPCookieSigner(secret: [UInt8](repeating: 1, count: 32))

    static func configuration(interleaving: Bool = false) -> SCTPConfiguration {
        var configuration = SCTPConfiguration()
        configuration.verifyChecksum = false
        configuration.receiveWindow = 64 * 1024
        configuration.interleaving = interleaving ? .offer : .off
        configuration.mtu = interleaving ? 512 : 1200  // more fragments per message
        return configuration
    }

    static func pair(interleaving: Bool = false) -> (SCTPAssociation, SCTPAssociation) {
        (SCTPAssociation(configuration: configuration(interleaving: interleaving), local: a, remote: b, rng: Xoshiro256(seed: 1)),
         SCTPAssociation(configuration: configuration(interleaving: interleaving), local: b, remote: a, rng: Xoshiro256(seed: 2)))
    }

    static func transmitted(_ association: inout SCTPAssociation) -> [[UInt8]] {
        var found: [[UInt8]] = []
        while true {
            switch association.pollOutput() {
            case .transmit(let datagram): found.append(datagram.payload)
            case .event: continue
            case .timeout: return found
            }
        }
    }

    static func deliver(_ packets: [[UInt8]], to association: inout SCTPAssociation) -> [[UInt8]] {
        for packet in packets { association.handle(packet: packet, now: .zero) }
        return transmitted(&association)
    }

    /// The genuine exchange: INIT, INIT ACK, COOKIE ECHO, COOKIE ACK, then B's DATA
    /// (a fragmented message, an unordered one) and A's SACK.
    static let exchange = makeExchange(interleaving: false)
    /// The same with I-DATA: the two messages' fragments interleaved.
    static let interleavedExchange = makeExchange(interleaving: true)

    static func makeExchange(interleaving: Bool) -> (initiate: [[UInt8]], answer: [[UInt8]], echo: [[UInt8]], data: [[UInt8]], sack: [[UInt8]]) {
        var (client, server) = pair(interleaving: interleaving)
        client.connect(now: .zero)
        let initiate = transmitted(&client)
        let answer = deliver(initiate, to: &server)
        let echo = deliver(answer, to: &client)
        _ = deliver(deliver(echo, to: &server), to: &client)
        try! server.send([UInt8](repeating: 5, count: 3000), stream: 1, ppid: 53, now: .zero)
        try! server.send([6], stream: 2, ppid: 51, unordered: true, now: .zero)
        let data = transmitted(&server)
        let sack = deliver(data, to: &client)
        precondition(client.state == .established && server.state == .established, "the fixture handshake failed")
        precondition(client.interleaving == interleaving, "the fixture negotiated the wrong data chunk")
        return (initiate, answer, echo, data, sack)
    }

    static func fresh() -> SCTPAssociation { pair().1 }

    /// Client A established, with data of its own in flight.
    static func established(interleaving: Bool = false) -> SCTPAssociation {
        var (client, server) = pair(interleaving: interleaving)
        client.connect(now: .zero)
        let echo = deliver(deliver(transmitted(&client), to: &server), to: &client)
        _ = deliver(deliver(echo, to: &server), to: &client)
        try? client.send([UInt8](repeating: 9, count: 5000), stream: 3, ppid: 53, reliability: .maxRetransmits(1), now: .zero)
        if interleaving { try? client.send([UInt8](repeating: 8, count: 2000), stream: 4, ppid: 53, unordered: true, now: .zero) }
        _ = transmitted(&client)
        return client
    }

    static func channelEndpoint() -> DataChannelEndpoint {
        var endpoint = DataChannelEndpoint(role: .client, configuration: configuration(), local: a, remote: b, rng: Xoshiro256(seed: 1))
        var (_, server) = pair()
        endpoint.connect(now: .zero)
        var packets: [[UInt8]] = []
        func drain() {
            packets = []
            while true {
                switch endpoint.pollOutput() {
                case .transmit(let datagram): packets.append(datagram.payload)
                case .event: continue
                case .timeout: return
                }
            }
        }
        drain()
        for _ in 0..<3 {
            let answer = deliver(packets, to: &server)
            for packet in answer { endpoint.handle(Datagram(source: b, destination: a, payload: packet), now: .zero) }
            drain()
        }
        _ = try? endpoint.openChannel(DataChannelParameters(label: "fuzz"), now: .zero)
        drain()
        return endpoint
    }
}

/// With `SCTP_FUZZ_SEEDS=DIR` set, writes the genuine packets each mode expects as seeds.
@_cdecl("LLVMFuzzerInitialize")
public func sctpFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    guard let directory = getenv("SCTP_FUZZ_SEEDS").map({ String(cString: $0) }) else { return 0 }
    let e = FuzzFixtures.exchange
    let seeds: [(String, [UInt8])] = [
        ("decode-all", FuzzInput.encode(mode: 0, e.initiate + e.answer + e.echo + e.data + e.sack)),
        ("fresh-init-echo", FuzzInput.encode(mode: 1, e.initiate + e.echo)),
        ("established-data", FuzzInput.encode(mode: 2, e.data + e.sack)),
        ("channels-data", FuzzInput.encode(mode: 3, e.data + e.sack)),
        ("interleaved-data", FuzzInput.encode(mode: 4, FuzzFixtures.interleavedExchange.data + FuzzFixtures.interleavedExchange.sack)),
        ("interleaved-decode", FuzzInput.encode(mode: 0, FuzzFixtures.interleavedExchange.data)),
    ]
    FuzzInput.write(seeds, to: directory)
    return 0
}
