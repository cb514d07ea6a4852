#if canImport(Glibc)
import Glibc
#endif
import NetTypes
import TLS

/// libFuzzer entry point for a TLS session fed hostile bytes. The first byte picks the
/// victim and how the rest is split into `receive` calls:
/// - mode 0: a fresh server (the bytes play a client's first flight);
/// - mode 1: a server that already answered a genuine ClientHello (the bytes play the
///   client's second flight);
/// - mode 2: a client that sent its ClientHello (the bytes play the server's flight).
/// Properties: no trap; nothing is output after `.failed` or `.closed`; a `.failed`
/// session's state says so; `.established` comes at most once and before any plaintext.
/// Sessions are seeded, so a crash reproduces from its input alone (and the genuine
/// flights of `FuzzFixtures` complete a handshake: the seeds written by
/// `TLS_FUZZ_SEEDS=DIR` start the corpus from real traffic).
@_cdecl("LLVMFuzzerTestOneInput")
public func tlsFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let mode = Int(bytes[0] % 3), splitting = Int(bytes[0] / 3)
    let body = Array(bytes[1...])
    let victim: TLSSession
    switch mode {
    case 0:
        victim = TLSSession(context: FuzzFixtures.server, randomness: .seeded(Xoshiro256(seed: 2)))
    case 1:
        victim = TLSSession(context: FuzzFixtures.server, randomness: .seeded(Xoshiro256(seed: 2)))
        victim.receive(FuzzFixtures.clientHello, now: .zero)
    default:
        victim = TLSSession(context: FuzzFixtures.client, randomness: .seeded(Xoshiro256(seed: 1)))
        victim.start(now: .zero)
    }
    while victim.poll() != nil {}
    var offset = 0, chunk = 0, established = false, received = false
    while offset < body.count {
        // splitting 0: all at once; otherwise chunks of 1 + (splitting · k) mod 97 bytes.
        let size = splitting == 0 ? body.count : 1 + (splitting * (chunk + 1) * 7) % 97
        let end = min(body.count, offset + size)
        victim.receive(Array(body[offset..<end]), now: .zero)
        offset = end
        chunk += 1
        var ended = false
        while let output = victim.poll() {
            precondition(!ended, "output after .failed or .closed")
            switch output {
            case .failed: ended = true; precondition(victim.state == .failed, "failed output, state \(victim.state)")
            case .closed: ended = true
            case .established:
                precondition(!established && !received, "established twice, or after plaintext")
                established = true
            case .received: precondition(established, "plaintext before the handshake"); received = true
            case .transmit: break
            }
        }
    }
    victim.send([1, 2, 3], now: .zero)
    victim.close(now: .zero)
    while victim.poll() != nil {}
    return 0
}

/// With `TLS_FUZZ_SEEDS=DIR` set, writes one seed per mode to DIR: the genuine flight
/// each victim expects (a ClientHello; the client's Finished; the server's flight).
@_cdecl("LLVMFuzzerInitialize")
public func tlsFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    guard let directory = getenv("TLS_FUZZ_SEEDS").map({ String(cString: $0) }) else { return 0 }
    let client = TLSSession(context: FuzzFixtures.client, randomness: .seeded(Xoshiro256(seed: 1)))
    let server = TLSSession(context: FuzzFixtures.server, randomness: .seeded(Xoshiro256(seed: 2)))
    func transmitted(_ session: TLSSession) -> [UInt8] {
        var bytes: [UInt8] = []
        while let output = session.poll() { if case .transmit(let chunk) = output { bytes += chunk } }
        return bytes
    }
    client.start(now: .zero)
    let hello = transmitted(client)
    server.receive(hello, now: .zero)
    let serverFlight = transmitted(server)
    client.receive(serverFlight, now: .zero)
    let finished = transmitted(client)
    for (name, seed) in [("client-hello", [0] + hello), ("client-finished", [1] + finished), ("server-flight", [2] + serverFlight),
                         ("client-hello-split", [3] + hello)] {
        guard let file = fopen(directory + "/" + name, "w") else { continue }
        _ = seed.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
    return 0
}

/// Contexts and the genuine ClientHello, built once.
enum FuzzFixtures {
    static let identity: TLSIdentity = {
        var rng = Xoshiro256(seed: 1)
        return try! TLSIdentity.generate(commonName: "fuzz.example", subjectAltNames: ["fuzz.example"], notBefore: 0,
                                         validity: .seconds(86_400), rng: &rng)
    }()
    static let server = try! TLSContext(TLSConfiguration(role: .server, identity: identity, alpn: ["stun.turn"]))
    static let client = try! TLSContext(TLSConfiguration(role: .client, trusted: [identity.certificate], serverName: "fuzz.example",
                                                         alpn: ["stun.turn"], verificationEpoch: 3600))
    static let clientHello: [UInt8] = {
        let session = TLSSession(context: client, randomness: .seeded(Xoshiro256(seed: 1)))
        session.start(now: .zero)
        var hello: [UInt8] = []
        while let output = session.poll() { if case .transmit(let bytes) = output { hello += bytes } }
        return hello
    }()
}
