import NetTypes
@testable import TLS
import Testing

/// Same seeds, same bytes: the ClientHello random, key shares, ECDSA signatures and every
/// record of a simulated connection follow from the sessions' seeds (docs/tls.md).
@Suite struct TLSDeterminismTests {
    @Test func equalSeedsGiveByteIdenticalTranscripts() {
        let first = Connection.transcript(clientSeed: 100, serverSeed: 200)
        let second = Connection.transcript(clientSeed: 100, serverSeed: 200)
        #expect(first.count > 1000)
        #expect(first == second)
    }

    @Test func tls12IsDeterministicToo() throws {
        let client = try TLSContext(TLSConfiguration(role: .client, trusted: [Fixtures.serverIdentity.certificate],
                                                     serverName: "turn.example.net", maximumVersion: .tls12,
                                                     verificationEpoch: Fixtures.epoch))
        let first = Connection.transcript(clientSeed: 1, serverSeed: 2, client: client)
        #expect(first == Connection.transcript(clientSeed: 1, serverSeed: 2, client: client))
        #expect(first != Connection.transcript(clientSeed: 1, serverSeed: 3, client: client))
    }

    @Test func differentSeedsGiveDifferentTranscripts() {
        let reference = Connection.transcript(clientSeed: 100, serverSeed: 200)
        #expect(Connection.transcript(clientSeed: 101, serverSeed: 200) != reference)
        #expect(Connection.transcript(clientSeed: 100, serverSeed: 201) != reference)
        // Only the server's seed changed: the client's first flight is the same.
        let clientHello = { (seed: UInt64) -> [UInt8] in
            let connection = Connection(clientRandom: .seeded(Xoshiro256(seed: seed)))
            connection.client.session.start(now: .zero)
            connection.client.drain()
            return connection.client.wire
        }
        #expect(clientHello(7) == clientHello(7))
        #expect(clientHello(7) != clientHello(8))
    }

    /// OpenSSL really draws from the session's generator: the RAND method's per-thread
    /// count of seeded bytes grows by a seeded exchange, and not by a system-random one.
    @Test func theRandMethodServesSeededSessions() {
        let before = TLSRandomMethod.seededBytesOnThisThread
        _ = Connection.transcript(clientSeed: 1, serverSeed: 2)
        let seeded = TLSRandomMethod.seededBytesOnThisThread - before
        // Two hello randoms, the legacy session id, two X25519 shares, an ECDSA nonce.
        #expect(seeded >= 5 * 32)
        var system = Connection(clientRandom: .system, serverRandom: .system)
        system.exchange()
        #expect(TLSRandomMethod.seededBytesOnThisThread - before == seeded)
        #expect(system.server.closed)
    }

    /// A live identity's key and serial come from OpenSSL's CSPRNG, not a seeded source:
    /// no seeded byte is drawn, and two are never alike; a seeded one repeats.
    @Test func systemIdentitiesDrawNoSeededBytes() throws {
        let before = TLSRandomMethod.seededBytesOnThisThread
        let first = try TLSIdentity.generate(commonName: "live", notBefore: 1_700_000_000, validity: .seconds(86_400), randomness: .system)
        let second = try TLSIdentity.generate(commonName: "live", notBefore: 1_700_000_000, validity: .seconds(86_400), randomness: .system)
        #expect(TLSRandomMethod.seededBytesOnThisThread == before)
        #expect(first.fingerprint != second.fingerprint && first.privateKeyPEM != second.privateKeyPEM)
        #expect(first.commonName == "live")
        var a = Xoshiro256(seed: 9), b = Xoshiro256(seed: 9)
        let seeded = try TLSIdentity.generate(commonName: "sim", notBefore: 1_700_000_000, validity: .seconds(86_400), rng: &a)
        #expect(try TLSIdentity.generate(commonName: "sim", notBefore: 1_700_000_000, validity: .seconds(86_400), rng: &b).certificateDER
                == seeded.certificateDER)
        #expect(TLSRandomMethod.seededBytesOnThisThread > before)
    }

    @Test func systemRandomnessDiffersEveryTime() {
        var first = Connection(clientRandom: .system, serverRandom: .system)
        first.exchange()
        var second = Connection(clientRandom: .system, serverRandom: .system)
        second.exchange()
        #expect(first.server.closed && second.server.closed)
        #expect(first.client.transcript != second.client.transcript)
        #expect(first.server.transcript != second.server.transcript)
    }

    @Test func identitiesFollowTheirSeed() throws {
        let a = Fixtures.makeIdentity(seed: 42, name: "a", altNames: ["a.example"])
        let b = Fixtures.makeIdentity(seed: 42, name: "a", altNames: ["a.example"])
        let c = Fixtures.makeIdentity(seed: 43, name: "a", altNames: ["a.example"])
        #expect(a.certificateDER == b.certificateDER)
        #expect(a.privateKeyPEM == b.privateKeyPEM)
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.certificateDER != c.certificateDER && a.privateKeyPEM != c.privateKeyPEM)
        var rng = Xoshiro256(seed: 9)
        _ = try TLSIdentity.generate(commonName: "x", notBefore: 0, validity: .seconds(60), rng: &rng)
        var expected = Xoshiro256(seed: 9)
        for _ in 0..<3 { _ = expected.next() }
        #expect(rng.next() == expected.next(), "generate draws exactly three numbers from the caller's generator")
    }

    /// The seeded source is per thread: sessions on many threads at once, seeded and
    /// system-random mixed, each reproduce the single-threaded transcript.
    @Test func determinismHoldsUnderConcurrency() async {
        let reference = Connection.transcript(clientSeed: 5, serverSeed: 6)
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<16 {
                group.addTask {
                    if task % 4 == 3 {
                        var noise = Connection(clientRandom: .system, serverRandom: .system)
                        noise.exchange()
                        return noise.server.closed
                    }
                    var same = true
                    for _ in 0..<5 { same = same && Connection.transcript(clientSeed: 5, serverSeed: 6) == reference }
                    return same
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
    }
}
