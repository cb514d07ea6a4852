import DTLS
import NetTypes
import Testing

/// Loss, duplication, reordering and small MTUs, all in simulated time: the handshake
/// recovers through the caller-driven retransmission timer (RFC 6347 §4.2.4).
@Suite struct DTLSRetransmissionTests {
    /// Dropping the n-th datagram (each flight of a clean handshake, with and without
    /// the cookie exchange) still completes, through a timer or a repeated flight.
    @Test(arguments: 0..<6, [false, true])
    func lossOfEachFlightRecovers(dropped: Int, cookie: Bool) throws {
        var pair = try DTLSPair(server: DTLSFixtures.configuration(.server) { $0.cookieExchange = cookie })
        pair.filter = { index, _, _ in index == dropped ? .drop : .deliver }
        pair.handshake()
        let client = try #require(pair.clientConnection, "client: \(pair.clientEvents)")
        let server = try #require(pair.serverConnection, "server: \(pair.serverEvents)")
        #expect(client.srtpKeyingMaterial == server.srtpKeyingMaterial)
        if dropped < (cookie ? 6 : 4) {
            #expect(pair.client.counters.retransmissions + pair.server.counters.retransmissions > 0)
            // Recovery took a retransmission timeout (1 s) at least.
            #expect(pair.now >= Instant.zero + .seconds(1))
        }
    }

    @Test func lossOfTheLastFlightIsRepairedByTheClientsRetransmission() throws {
        var pair = try DTLSPair()
        // The server's ChangeCipherSpec and Finished (the fourth datagram) are lost twice.
        var lost = 0
        pair.filter = { _, fromClient, payload in
            if !fromClient && payload.first == 20 && lost < 2 { lost += 1; return .drop }
            return .deliver
        }
        pair.handshake()
        #expect(pair.clientConnection != nil && pair.serverConnection != nil)
        // The client resent flight 5 twice (1 s, then 2 s later); the server answered each
        // with flight 6 again.
        #expect(pair.client.counters.retransmissions == 2)
        #expect(pair.server.counters.retransmissions == 2)
        #expect(pair.now > Instant.zero + .seconds(3))
    }

    @Test func duplicatedDatagramsAreHarmless() throws {
        var pair = try DTLSPair()
        pair.filter = { _, _, _ in .duplicate }
        pair.handshake()
        #expect(pair.clientConnection != nil && pair.serverConnection != nil)
        try pair.send([1, 2, 3], fromClient: true)
        pair.run(until: pair.now + .seconds(1))
        // The duplicate application record is a replay (RFC 6347 §4.1.2.6).
        #expect(pair.received(byClient: false) == [1, 2, 3])
        #expect(pair.server.counters.recordsDiscarded > 0)
        #expect(pair.failure(ofClient: true) == nil && pair.failure(ofClient: false) == nil)
    }

    @Test func reorderedFragmentsReassemble() throws {
        // A small MTU cuts the server's flight into many datagrams; deliver them in
        // reverse order within the flight.
        var pair = try DTLSPair(client: DTLSFixtures.configuration(.client) { $0.mtu = 200 },
                                server: DTLSFixtures.configuration(.server) { $0.mtu = 200 })
        pair.filter = { index, _, _ in .delay(.milliseconds(Int64(50 - index))) }
        pair.handshake()
        #expect(pair.clientConnection != nil && pair.serverConnection != nil)
        #expect(pair.client.counters.retransmissions == 0 && pair.server.counters.retransmissions == 0)
    }

    @Test(arguments: [300, 100], [false, true])
    func smallMTUFragmentsAndCompletes(mtu: Int, cookie: Bool) throws {
        // At 100 bytes even the ClientHello (113 bytes) is fragmented, before and after the cookie.
        var pair = try DTLSPair(client: DTLSFixtures.configuration(.client) { $0.mtu = mtu },
                                server: DTLSFixtures.configuration(.server) { $0.mtu = mtu; $0.cookieExchange = cookie })
        pair.handshake()
        #expect(pair.clientConnection != nil && pair.serverConnection != nil)
        #expect(pair.wire.allSatisfy { $0.payload.count <= mtu }, "\(pair.wire.map(\.payload.count))")
        #expect(pair.wire.count > 6)
        #expect(pair.clientConnection?.srtpKeyingMaterial == pair.serverConnection?.srtpKeyingMaterial)
    }

    @Test func unansweredClientGivesUpWithATypedFailure() throws {
        var pair = try DTLSPair(client: DTLSFixtures.configuration(.client) { $0.maximumRetransmissions = 4 })
        pair.filter = { _, fromClient, _ in fromClient ? .drop : .deliver }
        var deadlines: [Instant] = []
        pair.client.start(now: .zero)
        pair.drain(client: true)
        while pair.client.state == .handshaking {
            let deadline = pair.client.nextDeadline
            deadlines.append(deadline)
            pair.now = deadline
            pair.client.handleTimeout(now: deadline)
            pair.drain(client: true)
        }
        // 1 s, doubling: sent at 0, 1, 3, 7, 15; given up at 31.
        #expect(deadlines.map(\.seconds) == [1, 3, 7, 15, 31])
        #expect(pair.client.state == .failed)
        #expect(pair.failure(ofClient: true) == .retransmissionLimit(4))
        #expect(pair.wire.count == 5)
        #expect(pair.client.nextDeadline == .distantFuture)
    }

    @Test func timeoutDoublesUpToTheCap() throws {
        var pair = try DTLSPair(client: DTLSFixtures.configuration(.client) {
            $0.maximumRetransmissions = 10
            $0.maximumRetransmissionTimeout = .seconds(8)
        })
        pair.client.start(now: .zero)
        pair.drain(client: true)
        var gaps: [Double] = []
        var last = Instant.zero
        while pair.client.state == .handshaking {
            let deadline = pair.client.nextDeadline
            gaps.append((deadline - last).seconds)
            last = deadline
            pair.client.handleTimeout(now: deadline)
            pair.drain(client: true)
        }
        #expect(gaps == [1, 2, 4, 8, 8, 8, 8, 8, 8, 8, 8])
    }

    @Test func earlyTimeoutsDoNothing() throws {
        var pair = try DTLSPair()
        pair.client.start(now: .zero)
        pair.drain(client: true)
        pair.client.handleTimeout(now: Instant.zero + .milliseconds(500))
        pair.drain(client: true)
        #expect(pair.wire.count == 1 && pair.client.counters.retransmissions == 0)
    }

    /// A path that drops datagrams above 600 bytes (a tunnel's small MTU): after two
    /// unanswered retransmissions the flights go at the 548-byte fallback and the
    /// handshake completes (RFC 6347 §4.1.1.1); without a fallback it gives up.
    @Test(arguments: [true, false])
    func smallPathMTUFallsBack(fallback: Bool) throws {
        func configure(_ configuration: inout DTLSConfiguration) {
            configuration.fallbackMTU = fallback ? 548 : nil
            configuration.maximumRetransmissions = 4
        }
        var pair = try DTLSPair(client: DTLSFixtures.configuration(.client, configure), server: DTLSFixtures.configuration(.server, configure))
        pair.filter = { _, _, payload in payload.count > 600 ? .drop : .deliver }
        pair.handshake()
        if fallback {
            #expect(pair.clientConnection != nil && pair.serverConnection != nil)
            #expect(pair.client.mtu == 548 || pair.server.mtu == 548)
            // The large flight was lost three times (1 + 2 + 4 s) before it went small.
            #expect(pair.now > Instant.zero + .seconds(7))
            let lastBig = try #require(pair.wire.lastIndex { $0.payload.count > 600 })
            #expect(pair.wire[(lastBig + 1)...].allSatisfy { $0.payload.count <= 548 })
        } else {
            #expect(pair.clientConnection == nil)
            #expect(pair.failure(ofClient: true) == .retransmissionLimit(4) || pair.failure(ofClient: false) == .retransmissionLimit(4))
            #expect(pair.client.mtu == 1200 && pair.server.mtu == 1200)
        }
    }
}
