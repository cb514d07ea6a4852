import DTLS
import NetTypes
import Testing

/// Seeded randomness makes the whole exchange repeat byte for byte (docs/dtls.md).
@Suite struct DTLSDeterminismTests {
    static func transcript(seed: UInt64, cookie: Bool = true) throws -> [[UInt8]] {
        var pair = try DTLSPair(seed: seed, server: DTLSFixtures.configuration(.server) { $0.cookieExchange = cookie })
        pair.filter = { index, _, _ in index == 3 ? .drop : .deliver }  // a retransmission too
        pair.handshake()
        try pair.send(Array("data".utf8), fromClient: true)
        try pair.send(Array("back".utf8), fromClient: false)
        pair.close(fromClient: false)
        pair.run(until: pair.now + .seconds(1))
        return pair.wire.map(\.payload)
    }

    @Test func sameSeedSameDatagrams() throws {
        let first = try Self.transcript(seed: 5)
        let second = try Self.transcript(seed: 5)
        #expect(first.count == second.count && first.count > 8)
        let differing = zip(first, second).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(differing == nil, "the transcripts differ at datagram \(differing ?? -1)")
        let other = try Self.transcript(seed: 6)
        #expect(other.count == first.count)
        #expect(zip(first, other).filter { $0 == $1 }.count < first.count / 2)
    }

    @Test func systemRandomnessDiffers() throws {
        func hello() throws -> [UInt8] {
            var endpoint = try DTLSEndpoint(configuration: DTLSFixtures.configuration(.client), local: DTLSFixtures.clientAddress,
                                            remote: DTLSFixtures.serverAddress, randomness: .system)
            endpoint.start(now: .zero)
            guard case .transmit(let datagram) = endpoint.pollOutput() else { return [] }
            return datagram.payload
        }
        #expect(try hello() != hello())
    }
}
