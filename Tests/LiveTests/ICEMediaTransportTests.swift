import DTLS
import DataChannel
import ICE
import NetTypes
import RTP
@testable import SCTP
import STUN
import TLS
import Testing
@testable import Live

/// `ICEMediaTransport` as the sans-IO core it is: two of them wired in memory on a virtual
/// clock, so timers and losses are exact. The DTLS endpoint's retransmission deadline is
/// the transport's deadline (the driver's one timer), and a lost flight is sent again when
/// that timer fires.
@Suite struct ICEMediaTransportTests {
    static let serverBase = Endpoint(.v4(.loopback), 40_000)
    static let clientBase = Endpoint(.v4(.loopback), 40_001)

    /// The client's first DTLS flights are lost: the handshake completes after the DTLS
    /// core's 1 s retransmission timeout, reached only through the transport's deadline,
    /// and SRTP then flows both ways.
    @Test func aLostFlightIsRetransmittedOnTheTransportsDeadline() throws {
        var pair = try Pair()
        var droppedClientHellos = 0
        let begin = pair.now
        pair.run(until: { $0.server.dtls?.state == .connected && $0.client.dtls?.state == .connected }) { datagram, fromClient, now in
            // Drop the client's ClientHello, however often it is sent within the first 500 ms.
            guard fromClient, PacketKind(classifying: datagram.payload) == .dtls, now - begin < .milliseconds(500) else { return true }
            droppedClientHellos += 1
            return false
        }
        #expect(droppedClientHellos == 1)
        #expect(pair.client.dtls?.counters.retransmissions == 1)
        // Virtual time: connected after the 1 s timeout (RFC 6347 §4.2.4.1) and right after
        // it, not at some later timer of the agent's.
        #expect(pair.now - begin >= .seconds(1) && pair.now - begin < .milliseconds(1_100), "connected at \(pair.now - begin)")
        #expect(pair.client.srtpProfile == .aeadAes128Gcm && pair.server.srtpProfile == .aeadAes128Gcm)

        let packet = RTPPacket(payloadType: 96, sequenceNumber: 7, timestamp: 960, ssrc: 42, payload: Array("both ways".utf8)).encoded()
        try pair.client.sendRTP(packet, now: pair.now)
        try pair.server.sendRTP(packet, now: pair.now)
        let received = pair.run(until: { _ in false }, limit: .milliseconds(10)) { _, _, _ in true }
        #expect(received.server == [packet] && received.client == [packet])
        #expect(pair.client.counters.rtpReceived == 1 && pair.server.counters.rtpReceived == 1)
    }

    /// Media before the keys and datagrams of no carried kind are dropped and counted.
    @Test func mediaBeforeTheKeysAndOtherKindsAreCounted() throws {
        var pair = try Pair()
        pair.run(until: { $0.client.agent.selectedPair(component: 1) != nil }) { datagram, _, _ in
            PacketKind(classifying: datagram.payload) != .dtls   // no handshake: no keys
        }
        let now = pair.now
        let sent = pair.client.withAgent(now: now) { agent in
            [agent.send([0x80] + Array(repeating: 1, count: 30), component: 1, now: now),   // RTP range
             agent.send([0x30, 0x5A], component: 1, now: now),                              // DTLS range, garbage
             agent.send([0x55, 0x5A], component: 1, now: now)]                              // QUIC range
        }
        #expect(sent == [true, true, true])
        pair.run(until: { _ in false }, limit: .milliseconds(10)) { datagram, _, _ in
            PacketKind(classifying: datagram.payload) != .dtls || datagram.payload == [0x30, 0x5A]   // no handshake
        }
        #expect(pair.server.counters.mediaBeforeKeys == 1 && pair.server.counters.otherDropped == 1)
        #expect(pair.server.dtls?.counters.datagramsReceived == 1, "the DTLS-range datagram went to the DTLS endpoint")
        #expect(throws: MediaTransportError.self) { try pair.client.sendRTP(Array(repeating: 0x80, count: 20), now: pair.now) }
    }

    /// Data channels ride DTLS in the same drain: both associations come up after the
    /// handshake, a channel opens with DCEP, and a lost DATA packet is sent again when the
    /// SCTP retransmission timer (T3-rtx, at least the 1 s minimum RTO, RFC 9260 §6.3)
    /// fires through the transport's deadline, once.
    @Test func dataChannelsRideDTLSAndTheirTimerIsTheTransportsDeadline() throws {
        var pair = try Pair(dataChannels: true, peerMaxMessageSize: 1_024)
        pair.run(until: { $0.server.dataChannels?.association.state == .established
                          && $0.client.dataChannels?.association.state == .established }) { _, _, _ in true }
        #expect(pair.client.dataChannels?.role == .client && pair.server.dataChannels?.role == .server)
        let id = try pair.client.openChannel(DataChannelParameters(label: "chat"), now: pair.now)
        pair.run(until: { $0.dataEvents.server.contains { if case .channelOpened(let info) = $0 { info.id == id } else { false } } }) { _, _, _ in true }

        #expect(throws: MediaTransportError.self, "beyond the peer's max-message-size") {
            try pair.client.sendMessage(Array(repeating: 1, count: 1_025), isString: false, on: id, now: pair.now)
        }
        try pair.client.sendMessage(Array("hello".utf8), isString: true, on: id, now: pair.now)
        let sent = pair.now
        var dropped = 0
        pair.run(until: { $0.dataEvents.server.contains(.message(channel: id, bytes: Array("hello".utf8), isString: true)) }) { datagram, fromClient, _ in
            guard fromClient, dropped == 0, PacketKind(classifying: datagram.payload) == .dtls else { return true }
            dropped += 1
            return false
        }
        #expect(dropped == 1)
        #expect(pair.now - sent >= .seconds(1) && pair.now - sent < .seconds(2), "delivered at \(pair.now - sent)")
        #expect(pair.client.dataChannels?.association.statistics.retransmissions == 1)
        #expect(pair.server.counters.otherDropped == 0 && pair.client.counters.sctpSendFailures == 0)
    }

    /// `bufferedAmountLow` fires once, when the unsent bytes fall to the threshold: the
    /// buffered amount counts only what `send` queued and the association has not yet
    /// handed to DTLS (W3C webrtc-pc §6.2), so it fires while the last of those bytes are
    /// still in flight, not when their acknowledgements arrive.
    @Test func bufferedAmountLowFiresWhenUnsentBytesCrossTheThreshold() throws {
        var pair = try Pair(dataChannels: true)
        pair.run(until: { $0.server.dataChannels?.association.state == .established
                          && $0.client.dataChannels?.association.state == .established }) { _, _, _ in true }
        let id = try pair.client.openChannel(DataChannelParameters(label: "file"), now: pair.now)
        pair.run(until: { $0.dataEvents.server.contains { if case .channelOpened(let info) = $0 { info.id == id } else { false } } }) { _, _, _ in true }
        pair.client.bufferedAmountLowThreshold = 16_384
        for _ in 0..<8 { try pair.client.sendMessage(Array(repeating: 5, count: 8_192), isString: false, on: id, now: pair.now) }
        #expect(pair.client.bufferedAmount > 16_384 && pair.lows.client.isEmpty)
        var before: [Int] = []
        pair.run(until: { pair in
            if pair.lows.client.isEmpty { before.append(pair.client.bufferedAmount) }
            return pair.dataEvents.server.count(where: { if case .message = $0 { true } else { false } }) == 8
        }) { _, _, _ in true }
        #expect(pair.lows.client.count == 1)
        let low = try #require(pair.lows.client.first)
        // Queued-and-unacknowledged bytes were still above the threshold: counting them, as
        // before, would have fired later.
        #expect(low.buffered <= 16_384 && low.held > 16_384, "fired at \(low)")
        #expect(before.last.map { $0 > 16_384 } == true, "the amount before the event: \(before.suffix(3))")
        #expect(pair.client.bufferedAmount == 0)
    }

    /// Two transports on loopback endpoints, the server controlling and actpass, the
    /// client controlled and active, after the exchange of descriptions.
    struct Pair {
        var server: ICEMediaTransport
        var client: ICEMediaTransport
        var now = Instant(nanoseconds: 1_000_000_000)
        private var deadlines: (server: Instant, client: Instant) = (.distantFuture, .distantFuture)
        private var wire: [(Datagram, fromClient: Bool)] = []
        /// The data channel events each side reported.
        private(set) var dataEvents: (server: [DataChannelEvent], client: [DataChannelEvent]) = ([], [])
        /// Each side's buffered amount, and the bytes its association held (queued, and
        /// sent but not yet acknowledged), when it reported `bufferedAmountLow`.
        private(set) var lows: (server: [(buffered: Int, held: Int)], client: [(buffered: Int, held: Int)]) = ([], [])

        init(dataChannels: Bool = false, peerMaxMessageSize: Int? = nil) throws {
            var rng = Xoshiro256(seed: 7)
            func transport(_ role: ICERole) -> ICEMediaTransport {
                var ice = ICEConfiguration()
                ice.components = 1
                var transport = ICEMediaTransport(agent: ICEAgent(configuration: ice, role: role, rng: Xoshiro256(seed: rng.next())))
                transport.expectDTLS()
                if dataChannels {
                    transport.carryDataChannels(SCTPConfiguration(), seed: rng.next(), peerMaxMessageSize: peerMaxMessageSize)
                }
                return transport
            }
            server = transport(.controlling)
            client = transport(.controlled)
            let identities = try (0..<2).map { _ in
                try TLSIdentity.generate(commonName: "test", notBefore: 0, validity: .seconds(86_400), rng: &rng)
            }
            let now = now
            server.withAgent(now: now) { $0.startGathering(hostBases: [ICEHostBase(endpoint: ICEMediaTransportTests.serverBase, component: 1)], now: now) }
            client.withAgent(now: now) { $0.startGathering(hostBases: [ICEHostBase(endpoint: ICEMediaTransportTests.clientBase, component: 1)], now: now) }
            drain()
            try server.secure(DTLSConfiguration(role: .server, identity: identities[0], remoteFingerprint: DTLSFingerprint(identity: identities[1])), now: now)
            try client.secure(DTLSConfiguration(role: .client, identity: identities[1], remoteFingerprint: DTLSFingerprint(identity: identities[0])), now: now)
            let (serverAgent, clientAgent) = (server.agent, client.agent)
            server.withAgent(now: now) { Self.learn(clientAgent, into: &$0, now: now) }
            client.withAgent(now: now) { Self.learn(serverAgent, into: &$0, now: now) }
            drain()
        }

        private static func learn(_ remote: ICEAgent, into agent: inout ICEAgent, now: Instant) {
            agent.setRemoteCredentials(remote.localCredentials, now: now)
            for candidate in remote.localCandidates { agent.addRemoteCandidate(candidate, now: now) }
            agent.endOfRemoteCandidates(now: now)
        }

        /// Delivers what is on the wire (when `deliver` says so) and fires timers in
        /// virtual time until `done` holds or `limit` passes; the RTP packets each side
        /// received.
        @discardableResult
        mutating func run(until done: (Pair) -> Bool, limit: Duration = .seconds(30),
                          deliver: (Datagram, _ fromClient: Bool, _ now: Instant) -> Bool) -> (server: [[UInt8]], client: [[UInt8]]) {
            // What calls made outside (`sendRTP`) queued goes first.
            var received = drain()
            let end = now + limit
            while !done(self) {
                if !wire.isEmpty {
                    let (datagram, fromClient) = wire.removeFirst()
                    guard deliver(datagram, fromClient, now) else { continue }
                    if fromClient { server.handle(datagram, now: now) } else { client.handle(datagram, now: now) }
                } else if now < end {
                    now = max(now, min(deadlines.server, deadlines.client, end))
                    if deadlines.server <= now { server.handleTimeout(now: now) }
                    if deadlines.client <= now { client.handleTimeout(now: now) }
                } else {
                    break
                }
                let more = drain()
                received.server += more.server
                received.client += more.client
            }
            return received
        }

        static func held(_ endpoint: DataChannelEndpoint) -> Int {
            endpoint.association.queuedBytes + endpoint.association.outstandingBytes
        }

        /// Drains both transports: datagrams onto the wire; the RTP packets each received.
        @discardableResult
        private mutating func drain() -> (server: [[UInt8]], client: [[UInt8]]) {
            var rtp: (server: [[UInt8]], client: [[UInt8]]) = ([], [])
            let loop = CoreDrain()
            deadlines.server = loop.run(poll: { server.pollOutput() }, transmit: { wire.append(($0, fromClient: false)) }) {
                if case .rtp(let packet) = $0 { rtp.server.append(packet) }
                if case .dataChannel(let event) = $0 { dataEvents.server.append(event) }
                if case .bufferedAmountLow = $0 { lows.server.append((server.bufferedAmount, server.dataChannels.map(Self.held) ?? 0)) }
            }
            deadlines.client = loop.run(poll: { client.pollOutput() }, transmit: { wire.append(($0, fromClient: true)) }) {
                if case .rtp(let packet) = $0 { rtp.client.append(packet) }
                if case .dataChannel(let event) = $0 { dataEvents.client.append(event) }
                if case .bufferedAmountLow = $0 { lows.client.append((client.bufferedAmount, client.dataChannels.map(Self.held) ?? 0)) }
            }
            return rtp
        }
    }
}
