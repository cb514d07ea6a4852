import NetTypes
import TLS
import Testing

@Suite struct TLSSessionTests {
    @Test func handshakeDataBothWaysAndCloseNotify() {
        var connection = Connection()
        connection.exchange()
        let client = connection.client, server = connection.server
        #expect(client.failure == nil && server.failure == nil)
        #expect(client.info?.version == "TLSv1.3")
        #expect(client.info?.alpn == "stun.turn" && server.info?.alpn == "stun.turn")
        #expect(client.info?.peerCommonName == "turn.example.net")
        #expect(client.info?.peerCertificateDER == Fixtures.serverIdentity.certificateDER)
        #expect(server.info?.peerCommonName == nil)
        #expect(client.info?.cipherSuite.hasPrefix("TLS_") == true)
        #expect(String(decoding: server.received, as: UTF8.self) == "hello from the client")
        #expect(String(decoding: client.received, as: UTF8.self) == "hello from the server")
        #expect(server.closed && client.closed)
        #expect(client.session.state == .closed && server.session.state == .closed)
        #expect(client.session.counters.ciphertextOut == server.session.counters.ciphertextIn)
        #expect(server.session.counters.ciphertextOut == client.session.counters.ciphertextIn)
        #expect(client.session.counters.plaintextOut == 21 && server.session.counters.plaintextIn == 21)
    }

    @Test func tls12Handshake() throws {
        let client = try TLSContext(TLSConfiguration(role: .client, trusted: [Fixtures.serverIdentity.certificate],
                                                     serverName: "turn.example.net", maximumVersion: .tls12,
                                                     verificationEpoch: Fixtures.epoch))
        var connection = Connection(client: client)
        connection.exchange()
        #expect(connection.client.failure == nil && connection.server.failure == nil)
        #expect(connection.server.info?.version == "TLSv1.2")
        #expect(connection.client.info?.cipherSuite.hasPrefix("TLS_ECDHE_ECDSA_") == true)
        #expect(String(decoding: connection.server.received, as: UTF8.self) == "hello from the client")
        #expect(connection.client.closed && connection.server.closed)
    }

    @Test func versionFloorIsEnforced() throws {
        let server = try TLSContext(TLSConfiguration(role: .server, identity: Fixtures.serverIdentity, minimumVersion: .tls13))
        let client = try TLSContext(TLSConfiguration(role: .client, verifyPeer: false, maximumVersion: .tls12))
        var connection = Connection(client: client, server: server)
        connection.handshake()
        guard case .protocolError = connection.server.failure else { Issue.record("\(String(describing: connection.server.failure))"); return }
        #expect(connection.client.failure != nil)
    }

    @Test func everySplitOfTheFirstFlights() {
        // Byte by byte, all the way.
        var bytewise = Connection()
        bytewise.client.session.send(Array("early".utf8), now: .zero)
        bytewise.handshake { Array(repeating: 1, count: $0) }
        #expect(bytewise.client.info != nil && bytewise.server.info != nil)
        #expect(bytewise.server.received == Array("early".utf8))

        // The ClientHello and the server's flight cut once at every index.
        var reference = Connection()
        reference.handshake()
        let reference0 = reference.client.transcript + reference.server.transcript
        let clientHelloLength = Connection.firstFlightLengths().client
        let serverFlightLength = Connection.firstFlightLengths().server
        #expect(clientHelloLength > 100 && serverFlightLength > 300)
        for cut in 1..<clientHelloLength {
            var connection = Connection()
            var first = true
            connection.handshake { length in
                defer { first = false }
                return first ? [cut, length - cut] : [length]
            }
            #expect(connection.server.info != nil && connection.client.info != nil, "ClientHello cut at \(cut)")
            #expect(connection.client.transcript + connection.server.transcript == reference0)
        }
        for cut in 1..<serverFlightLength {
            var connection = Connection()
            var delivery = 0
            connection.handshake { length in
                defer { delivery += 1 }
                return delivery == 1 ? [cut, length - cut] : [length]
            }
            #expect(connection.server.info != nil && connection.client.info != nil, "server flight cut at \(cut)")
        }
    }

    @Test func queuedPlaintextBeyondTheCapFails() throws {
        let context = try TLSContext(TLSConfiguration(role: .client, verifyPeer: false, maximumQueuedPlaintext: 1000))
        let peer = Peer(TLSSession(context: context, randomness: .seeded(Xoshiro256(seed: 3))))
        peer.session.start(now: .zero)
        peer.session.send([UInt8](repeating: 1, count: 1000), now: .zero)
        peer.drain()
        #expect(peer.failure == nil)
        peer.session.send([1], now: .zero)
        peer.drain()
        #expect(peer.failure == .bufferLimit && peer.session.state == .failed)
        peer.session.receive([0x16, 3, 3, 0, 1, 0], now: .zero)
        peer.session.send([1], now: .zero)
        peer.drain()
        #expect(peer.outputsAfterEnd == 0)
    }

    @Test func unreadOutputBeyondTheCapFails() throws {
        let server = try TLSContext(TLSConfiguration(role: .server, identity: Fixtures.serverIdentity, maximumUnreadOutput: 64 * 1024))
        var connection = Connection(server: server)
        connection.handshake()
        connection.client.session.send([UInt8](repeating: 7, count: 100_000), now: connection.now)
        connection.client.drain()
        connection.pump()
        #expect(connection.server.failure == .bufferLimit)
    }

    @Test func closeBeforeTheHandshakeEndsQuietly() {
        let connection = Connection()
        connection.client.session.start(now: .zero)
        connection.client.session.close(now: .zero)
        connection.client.drain()
        #expect(connection.client.session.state == .closed)
    }

    @Test func serverWithoutIdentityAndBadALPNAreRefused() {
        #expect(throws: TLSError.invalidConfiguration("a server needs an identity (certificate and key)")) {
            try TLSContext(TLSConfiguration(role: .server))
        }
        #expect(throws: TLSError.self) { try TLSContext(TLSConfiguration(role: .client, alpn: [""])) }
    }

    @Test func alpnWithoutACommonProtocolFails() throws {
        let client = try TLSContext(TLSConfiguration(role: .client, trusted: [Fixtures.serverIdentity.certificate], alpn: ["h2"]))
        var connection = Connection(client: client)
        connection.handshake()
        #expect(connection.server.failure != nil)
        #expect(connection.client.failure != nil)
    }
}

extension Connection {
    /// Lengths of the ClientHello and of the server's first flight.
    static func firstFlightLengths() -> (client: Int, server: Int) {
        let connection = Connection()
        connection.client.session.start(now: .zero)
        connection.client.drain()
        let hello = connection.client.wire
        connection.server.session.receive(hello, now: .zero)
        connection.server.drain()
        return (hello.count, connection.server.wire.count)
    }
}
