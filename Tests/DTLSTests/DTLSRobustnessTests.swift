import DTLS
import NetTypes
import Testing

/// Hostile and broken input: wrong fingerprints are refused with a typed error and a
/// fatal alert; invalid records are discarded (RFC 6347 §4.1.2.7); nothing traps.
@Suite struct DTLSRobustnessTests {
    static let wrongFingerprint = DTLSFingerprint(identity: DTLSFixtures.makeIdentity("mallory", seed: 666))

    @Test func clientRefusesAServerWithTheWrongFingerprint() throws {
        var pair = try DTLSPair(client: DTLSFixtures.configuration(.client) { $0.remoteFingerprint = Self.wrongFingerprint })
        pair.handshake(limit: .seconds(10))
        let error = try #require(pair.failure(ofClient: true))
        #expect(error == .fingerprintMismatch(expected: Self.wrongFingerprint.sdpValue,
                                              received: DTLSFingerprint(identity: DTLSFixtures.serverIdentity).sdpValue))
        #expect(pair.failure(ofClient: false) == .alertReceived(DTLSAlert(level: .fatal, reason: .badCertificate)))
        #expect(pair.client.state == .failed && pair.server.state == .failed)
        #expect(pair.clientConnection == nil && pair.serverConnection == nil)
    }

    @Test func serverRefusesAClientWithTheWrongFingerprint() throws {
        var pair = try DTLSPair(server: DTLSFixtures.configuration(.server) { $0.remoteFingerprint = Self.wrongFingerprint })
        pair.handshake(limit: .seconds(10))
        guard case .fingerprintMismatch = try #require(pair.failure(ofClient: false)) else {
            Issue.record("\(pair.serverEvents)")
            return
        }
        // The client has keys by then, so the alert is protected and reaches it.
        #expect(pair.failure(ofClient: true) == .alertReceived(DTLSAlert(level: .fatal, reason: .badCertificate)))
    }

    @Test func garbageDatagramsAreDiscardedOrTypedErrors() throws {
        var rng = Xoshiro256(seed: 9)
        for round in 0..<200 {
            var pair = try DTLSPair(seed: UInt64(round))
            pair.client.start(now: .zero)
            pair.drain(client: true)
            let length = Int(rng.next() % 300)
            var garbage = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if round % 2 == 0, !garbage.isEmpty { garbage[0] = 22 }  // looks like a handshake record
            pair.inject(garbage, toServer: round % 3 != 0)
            for case .failed(let error) in pair.clientEvents + pair.serverEvents {
                #expect(error.description.count > 0)
            }
        }
    }

    @Test func truncatedWrongVersionAndUnknownEpochRecordsAreDiscarded() throws {
        var pair = try DTLSPair()
        pair.handshake()
        let before = pair.server.counters.recordsDiscarded
        try pair.client.send([1, 2, 3], now: pair.now)
        var record: [UInt8] = []
        while case .transmit(let datagram) = pair.client.pollOutput() { record = datagram.payload }
        // Truncated, another version, epoch 2, a flipped ciphertext bit (bad MAC).
        pair.inject(Array(record.prefix(record.count - 1)), toServer: true)
        var version = record
        version[1] = 0x03; version[2] = 0x03
        pair.inject(version, toServer: true)
        var epoch = record
        epoch[4] = 2
        pair.inject(epoch, toServer: true)
        var flipped = record
        flipped[flipped.count - 3] ^= 1
        pair.inject(flipped, toServer: true)
        #expect(pair.server.counters.recordsDiscarded == before + 4)
        #expect(pair.received(byClient: false).isEmpty)
        // The genuine record still arrives once; its replay is discarded.
        pair.inject(record, toServer: true)
        pair.inject(record, toServer: true)
        #expect(pair.received(byClient: false) == [1, 2, 3])
        #expect(pair.server.counters.recordsDiscarded == before + 5)
        #expect(pair.server.state == .connected)
    }

    @Test func malformedHandshakeMessageFailsWithDecodeError() throws {
        var pair = try DTLSPair()
        // A ClientHello record whose body is cut short.
        var fragment: [UInt8] = [1, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 10]
        fragment += [0xFE, 0xFD, 1, 2, 3, 4, 5, 6, 7, 8]
        let record: [UInt8] = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(fragment.count)] + fragment
        pair.inject(record, toServer: true)
        guard case .decodeError = try #require(pair.failure(ofClient: false)) else {
            Issue.record("\(pair.serverEvents)")
            return
        }
        #expect(pair.server.state == .failed)
        // The fatal alert went out before the failure.
        #expect(pair.wire.last?.payload.prefix(1) == [21])
    }

    @Test func aClientHelloOfDTLS10IsRefused() throws {
        var pair = try DTLSPair()
        pair.client.start(now: .zero)
        guard case .transmit(let hello) = pair.client.pollOutput() else { Issue.record("no ClientHello"); return }
        var old = hello.payload
        old[25] = 0xFE; old[26] = 0xFF  // client_version, after the record and handshake headers
        pair.inject(old, toServer: true)
        #expect(pair.failure(ofClient: false) == .protocolVersion("the client offers only DTLS 1.0"))
        #expect(pair.wire.last?.payload.prefix(1) == [21])
    }

    @Test func unexpectedMessageAndApplicationDataBeforeKeys() throws {
        var pair = try DTLSPair()
        pair.client.start(now: .zero)
        pair.drain(client: true)
        // A Finished in epoch 0 where the client waits for ServerHello.
        let fragment: [UInt8] = [20, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 12] + [UInt8](repeating: 0, count: 12)
        pair.inject([22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(fragment.count)] + fragment, toServer: false)
        #expect(pair.failure(ofClient: true) == .unexpectedMessage("finished while expecting ServerHello"))
        // Unprotected application data at a waiting server is discarded.
        var server = try DTLSPair()
        server.inject([23, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3], toServer: true)
        #expect(server.server.counters.recordsDiscarded == 1 && server.server.state == .idle)
    }

    @Test func renegotiationIsRefusedWithAWarning() throws {
        var pair = try DTLSPair()
        pair.handshake()
        // A HelloRequest-like message in epoch 0 is unauthenticated: after the handshake
        // the endpoint still answers no_renegotiation and stays connected.
        let fragment: [UInt8] = [0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0]  // HelloRequest, the next message_seq
        pair.inject([22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 40, 0, UInt8(fragment.count)] + fragment, toServer: false)
        #expect(pair.client.state == .connected)
        pair.run(until: pair.now + .seconds(1))
        #expect(pair.serverEvents.last == .alert(DTLSAlert(level: .warning, reason: .noRenegotiation)))
        #expect(pair.server.state == .connected)
    }
}
