import DTLS
import NetTypes
import TLS
import Testing

/// Two endpoints in memory: the handshake in both roles and with both SRTP profiles,
/// keying material, application data and close_notify.
@Suite struct DTLSHandshakeTests {
    @Test(arguments: [DTLSSRTPProfile.aes128CMHMACSHA1_80, .aeadAES128GCM], [false, true])
    func handshakeNegotiatesProfileAndKeys(profile: DTLSSRTPProfile, cookie: Bool) throws {
        var pair = try DTLSPair(client: DTLSFixtures.configuration(.client) { $0.srtpProfiles = [profile] },
                                server: DTLSFixtures.configuration(.server) { $0.cookieExchange = cookie })
        pair.handshake()
        let client = try #require(pair.clientConnection, "\(pair.clientEvents)")
        let server = try #require(pair.serverConnection, "\(pair.serverEvents)")
        #expect(client.srtpProfile == profile && server.srtpProfile == profile)
        #expect(client.srtpKeyingMaterial.count == profile.keyingMaterialLength)
        #expect(profile.keyingMaterialLength == (profile == .aes128CMHMACSHA1_80 ? 60 : 56))
        #expect(client.srtpKeyingMaterial == server.srtpKeyingMaterial)
        #expect(client.peerFingerprint == DTLSFingerprint(identity: DTLSFixtures.serverIdentity))
        #expect(server.peerFingerprint == DTLSFingerprint(identity: DTLSFixtures.clientIdentity))
        #expect(client.group == .x25519 && client.cipherSuite == 0xC02B)
        #expect(client.role == .client && server.role == .server)
        // With the cookie, the client sends its hello twice: one datagram more each way.
        #expect(pair.wire.count == (cookie ? 6 : 4), "\(pair.wire.map(\.payload.count))")
        #expect(pair.client.nextDeadline == .distantFuture && pair.server.nextDeadline == .distantFuture)
    }

    @Test func serverPicksItsPreferredProfileAndGroup() throws {
        var pair = try DTLSPair(
            client: DTLSFixtures.configuration(.client) { $0.srtpProfiles = [.aes128CMHMACSHA1_80, .aeadAES128GCM]; $0.groups = [.secp256r1, .x25519] },
            server: DTLSFixtures.configuration(.server) { $0.srtpProfiles = [.aeadAES128GCM, .aes128CMHMACSHA1_80]; $0.groups = [.secp256r1] })
        pair.handshake()
        #expect(pair.clientConnection?.srtpProfile == .aeadAES128GCM)
        #expect(pair.clientConnection?.group == .secp256r1)
        #expect(pair.serverConnection?.srtpKeyingMaterial == pair.clientConnection?.srtpKeyingMaterial)
    }

    @Test func noCommonProfileFailsBothSides() throws {
        var pair = try DTLSPair(client: DTLSFixtures.configuration(.client) { $0.srtpProfiles = [.aes128CMHMACSHA1_80] },
                                server: DTLSFixtures.configuration(.server) { $0.srtpProfiles = [.aeadAES128GCM] })
        pair.handshake(limit: .seconds(5))
        #expect(pair.failure(ofClient: false) == .handshakeFailure("no common SRTP profile (RFC 5764 §4.1.1)"))
        #expect(pair.failure(ofClient: true) == .alertReceived(DTLSAlert(level: .fatal, reason: .handshakeFailure)))
    }

    @Test func exporterMatchesOnBothSidesAndDependsOnLabelAndContext() throws {
        var pair = try DTLSPair()
        pair.handshake()
        let label = "EXTRACTOR-dtls_srtp"
        let client = try pair.client.exportKeyingMaterial(label: label, length: 60)
        #expect(client == (try pair.server.exportKeyingMaterial(label: label, length: 60)))
        #expect(Array(client.prefix(56)) == pair.clientConnection?.srtpKeyingMaterial)
        #expect(try pair.client.exportKeyingMaterial(label: "EXPORTER-other", length: 60) != client)
        let withContext = try pair.client.exportKeyingMaterial(label: label, context: [1, 2], length: 60)
        #expect(withContext != client)
        #expect(withContext == (try pair.server.exportKeyingMaterial(label: label, context: [1, 2], length: 60)))
        #expect(throws: DTLSError.invalidConfiguration("an export of 0 bytes")) { try pair.client.exportKeyingMaterial(label: label, length: 0) }
    }

    @Test func applicationDataBothWaysThenCloseNotify() throws {
        var pair = try DTLSPair()
        #expect(throws: DTLSError.notConnected) { try pair.client.send([1], now: .zero) }
        pair.handshake()
        try pair.send(Array("hello server".utf8), fromClient: true)
        try pair.send(Array("hello client".utf8), fromClient: false)
        try pair.send([UInt8](repeating: 7, count: DTLSEndpoint.maximumDataSize), fromClient: true)
        #expect(throws: DTLSError.dataTooLarge(16_385)) { try pair.client.send([UInt8](repeating: 0, count: 16_385), now: pair.now) }
        pair.run(until: pair.now + .seconds(1))
        let atServer = pair.received(byClient: false)
        #expect(atServer.count == 12 + 16_384)
        #expect(atServer.prefix(12) == Array("hello server".utf8)[...] && atServer.dropFirst(12).allSatisfy { $0 == 7 })
        #expect(pair.received(byClient: true) == Array("hello client".utf8))
        #expect(pair.client.counters.applicationBytesSent == 12 + 16_384)
        pair.close(fromClient: true)
        pair.run(until: pair.now + .seconds(1))
        #expect(pair.client.state == .closed && pair.server.state == .closed)
        #expect(pair.serverEvents.last == .closed)
        #expect(throws: DTLSError.notConnected) { try pair.server.send([1], now: pair.now) }
        #expect(throws: DTLSError.notConnected) { try pair.client.exportKeyingMaterial(label: "x", length: 1) }
    }

    @Test func handshakeRecordsAreWhatTheRFCsSay() throws {
        var pair = try DTLSPair()
        pair.handshake()
        let hello = pair.wire[0].payload
        // Record: handshake(22), DTLS 1.2 (FE FD), epoch 0, sequence 0.
        #expect(Array(hello.prefix(11)) == [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0])
        // Handshake header: client_hello(1), message_seq 0, offset 0, one fragment.
        #expect(hello[13] == 1 && hello[17] == 0 && hello[18] == 0 && Array(hello[19...21]) == [0, 0, 0])
        #expect(Array(hello[14...16]) == Array(hello[22...24]))
        // The server's flight fits in one 1200-byte datagram; the client's last flight
        // ends with ChangeCipherSpec and an epoch-1 record.
        #expect(pair.wire.allSatisfy { $0.payload.count <= 1200 })
        #expect(pair.wire[2].fromClient && pair.wire[2].payload.contains(20))
    }

    @Test func configurationIsValidated() {
        #expect(throws: DTLSError.invalidConfiguration("an MTU of 40 is below 64")) {
            try DTLSEndpoint(configuration: DTLSFixtures.configuration(.client) { $0.mtu = 40 },
                             local: DTLSFixtures.clientAddress, remote: DTLSFixtures.serverAddress, randomness: .system)
        }
        #expect(throws: DTLSError.self) {
            try DTLSEndpoint(configuration: DTLSFixtures.configuration(.client) { $0.groups = [] },
                             local: DTLSFixtures.clientAddress, remote: DTLSFixtures.serverAddress, randomness: .system)
        }
    }

    @Test func systemRandomnessHandshakes() throws {
        var pair = try DTLSPair()
        pair.client = try DTLSEndpoint(configuration: DTLSFixtures.configuration(.client), local: DTLSFixtures.clientAddress,
                                       remote: DTLSFixtures.serverAddress, randomness: .system)
        pair.handshake()
        #expect(pair.clientConnection != nil && pair.serverConnection != nil)
    }
}
