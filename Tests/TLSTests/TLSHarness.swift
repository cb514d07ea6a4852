import NetTypes
import TLS

/// One end of an in-memory connection: a session and what its drains produced.
final class Peer {
    let session: TLSSession
    /// Ciphertext not yet delivered to the other end.
    var wire: [UInt8] = []
    /// Every byte this end transmitted, in order.
    var transcript: [UInt8] = []
    var received: [UInt8] = []
    var info: TLSConnectionInfo?
    var closed = false
    var failure: TLSError?
    /// Outputs polled after the session failed or closed (must be none).
    var outputsAfterEnd = 0

    init(_ session: TLSSession) { self.session = session }

    func drain() {
        while let output = session.poll() {
            if failure != nil { outputsAfterEnd += 1 }
            switch output {
            case .transmit(let bytes): wire += bytes; transcript += bytes
            case .received(let bytes): received += bytes
            case .established(let info): self.info = info
            case .closed: closed = true
            case .failed(let error): failure = error
            }
        }
    }
}

/// Fixtures: identities generated from fixed seeds, Unix time 2026-01-01 as the epoch.
enum Fixtures {
    static let epoch: Int64 = 1_767_225_600
    static let serverIdentity = makeIdentity(seed: 1, name: "turn.example.net", altNames: ["turn.example.net", "192.0.2.7"])
    static let otherIdentity = makeIdentity(seed: 2, name: "other.example.net", altNames: ["other.example.net"])

    static func makeIdentity(seed: UInt64, name: String, altNames: [String], notBefore: Int64 = epoch - 86_400,
                             validity: Duration = .seconds(30 * 86_400)) -> TLSIdentity {
        var rng = Xoshiro256(seed: seed)
        return try! TLSIdentity.generate(commonName: name, subjectAltNames: altNames, notBefore: notBefore,
                                         validity: validity, rng: &rng)
    }

    static let serverContext = try! TLSContext(TLSConfiguration(role: .server, identity: serverIdentity, alpn: ["stun.turn"],
                                                                verificationEpoch: epoch))
    static let clientContext = try! TLSContext(TLSConfiguration(role: .client, trusted: [serverIdentity.certificate],
                                                                serverName: "turn.example.net", alpn: ["stun.turn"],
                                                                verificationEpoch: epoch))
}

/// A client and a server joined in memory.
struct Connection {
    let client: Peer
    let server: Peer
    var now = Instant.zero

    init(client: TLSContext = Fixtures.clientContext, server: TLSContext = Fixtures.serverContext,
         clientRandom: TLSRandomness = .seeded(Xoshiro256(seed: 10)),
         serverRandom: TLSRandomness = .seeded(Xoshiro256(seed: 20)), serverName: String? = nil) {
        self.client = Peer(TLSSession(context: client, randomness: clientRandom, serverName: serverName))
        self.server = Peer(TLSSession(context: server, randomness: serverRandom))
    }

    /// Starts the client and moves bytes both ways until neither end has any to send;
    /// `chunks` splits each delivery (default: whole).
    mutating func handshake(chunks: (Int) -> [Int] = { [$0] }) {
        client.session.start(now: now)
        client.drain()
        server.session.start(now: now)
        server.drain()
        pump(chunks: chunks)
    }

    /// Delivers pending ciphertext both ways until quiet.
    mutating func pump(chunks: (Int) -> [Int] = { [$0] }) {
        var rounds = 0
        while !(client.wire.isEmpty && server.wire.isEmpty), rounds < 100 {
            rounds += 1
            now += .milliseconds(10)
            deliver(from: client, to: server, chunks: chunks)
            deliver(from: server, to: client, chunks: chunks)
        }
    }

    func deliver(from sender: Peer, to receiver: Peer, chunks: (Int) -> [Int]) {
        let bytes = sender.wire
        sender.wire = []
        var offset = 0
        for size in chunks(bytes.count) where size > 0 {
            receiver.session.receive(Array(bytes[offset..<min(offset + size, bytes.count)]), now: now)
            receiver.drain()
            offset += size
        }
        if offset < bytes.count {
            receiver.session.receive(Array(bytes[offset...]), now: now)
            receiver.drain()
        }
    }

    /// A handshake, data both ways, and a close: every byte either side sent.
    static func transcript(clientSeed: UInt64, serverSeed: UInt64, client: TLSContext = Fixtures.clientContext) -> [UInt8] {
        var connection = Connection(client: client, clientRandom: .seeded(Xoshiro256(seed: clientSeed)),
                                    serverRandom: .seeded(Xoshiro256(seed: serverSeed)))
        connection.exchange()
        return connection.client.transcript + [0xFF] + connection.server.transcript
    }

    /// Handshake, a request and an answer, then the client's close.
    mutating func exchange() {
        client.session.send(Array("hello from the client".utf8), now: now)
        client.drain()
        handshake()
        server.session.send(Array("hello from the server".utf8), now: now)
        server.drain()
        pump()
        client.session.close(now: now)
        client.drain()
        pump()
    }
}
