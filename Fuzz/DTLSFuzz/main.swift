#if canImport(Glibc)
import Glibc
#endif
@testable import DTLS
import NetTypes
import TLS

/// libFuzzer entry point for the DTLS decoders and endpoint. The first byte picks the
/// victim; the rest is a sequence of datagrams, each a 2-byte big-endian length and its
/// bytes (a short last one takes what is left):
/// - mode 0: the decoders alone: records, handshake fragments, every message decoder
///   and alerts on each record body;
/// - mode 1: a fresh server with the cookie exchange (the datagrams play a client);
/// - mode 2: a client that sent its ClientHello (they play the server's flights);
/// - mode 3: a server that answered a genuine ClientHello (they play the client's
///   second flight);
/// - mode 4: a connected client (they play a connected server).
/// Properties: no trap or sanitizer report; nothing after `.failed` or `.closed`; a
/// failed endpoint says so in `state`; `.connected` at most once and before any data.
/// Endpoints are seeded, so a finding reproduces from its input. `DTLS_FUZZ_SEEDS=DIR`
/// writes the genuine flights as seeds.
@_cdecl("LLVMFuzzerTestOneInput")
public func dtlsFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let datagrams = FuzzInput.datagrams(bytes.dropFirst())
    switch bytes[0] % 5 {
    case 0: for datagram in datagrams { decodeAll(datagram) }
    case 1: feed(FuzzFixtures.freshServer(), datagrams)
    case 2: feed(FuzzFixtures.waitingClient(), datagrams)
    case 3: feed(FuzzFixtures.answeringServer(), datagrams)
    default: feed(FuzzFixtures.connectedClient(), datagrams)
    }
    return 0
}

func decodeAll(_ datagram: [UInt8]) {
    for record in DTLSRecord.records(in: datagram[...]).records {
        let body = Array(record.body)
        _ = try? DTLSAlert(decoding: record.body)
        guard let fragments = try? DTLSHandshakeFragment.fragments(in: record.body) else { continue }
        var reassembler = DTLSReassembler()
        for fragment in fragments {
            _ = reassembler.add(fragment, epoch: record.epoch)
            let message = Array(fragment.data)
            _ = try? DTLSClientHello(decoding: message)
            _ = try? DTLSServerHello(decoding: message)
            _ = try? DTLSHelloVerifyRequest(decoding: message)
            _ = try? DTLSCertificateMessage(decoding: message)
            _ = try? DTLSServerKeyExchange(decoding: message)
            _ = try? DTLSCertificateRequest(decoding: message)
            _ = try? DTLSDigitallySigned(decoding: message)
            _ = try? DTLSClientKeyExchange.decode(message)
        }
        while reassembler.next() != nil {}
        _ = try? DTLSClientHello(decoding: body)
    }
}

func feed(_ victim: DTLSEndpoint, _ datagrams: [[UInt8]]) {
    var endpoint = victim
    var connected = endpoint.state == .connected, data = false, ended = false
    var now = Instant.zero + .milliseconds(100)
    for datagram in datagrams {
        endpoint.handle(Datagram(source: endpoint.remote, destination: endpoint.local, payload: datagram), now: now)
        now += .milliseconds(300)
        if endpoint.nextDeadline <= now { endpoint.handleTimeout(now: now) }
        while true {
            let output = endpoint.pollOutput()
            if case .timeout = output { break }
            precondition(!ended, "output after .failed or .closed")
            switch output {
            case .event(.failed): ended = true; precondition(endpoint.state == .failed, "failed, state \(endpoint.state)")
            case .event(.closed): ended = true
            case .event(.connected):
                precondition(!connected && !data, "connected twice, or after data")
                connected = true
            case .event(.data): precondition(connected, "data before the handshake"); data = true
            default: break
            }
        }
    }
    _ = try? endpoint.send([1, 2, 3], now: now)
    endpoint.close(now: now)
    while true { if case .timeout = endpoint.pollOutput() { break } }
}

/// Identities and the genuine flights of one seeded handshake, made once.
enum FuzzFixtures {
    static let client = identity("client", 1)
    static let server = identity("server", 2)
    static let clientAddress = Endpoint(IPAddress.v4(IPv4Address(192, 0, 2, 1)), 1)
    static let serverAddress = Endpoint(IPAddress.v4(IPv4Address(192, 0, 2, 2)), 2)

    static func identity(_ name: String, _ seed: UInt64) -> TLSIdentity {
        var rng = Xoshiro256(seed: seed)
        return try! TLSIdentity.generate(commonName: name, notBefore: 0, validity: .seconds(86_400), rng: &rng)
    }

    static func endpoint(_ role: DTLSRole, cookie: Bool = false) -> DTLSEndpoint {
        let configuration = DTLSConfiguration(role: role, identity: role == .client ? client : server,
                                              remoteFingerprint: DTLSFingerprint(identity: role == .client ? server : client),
                                              mtu: 400, cookieExchange: cookie)
        return try! DTLSEndpoint(configuration: configuration, local: role == .client ? clientAddress : serverAddress,
                                 remote: role == .client ? serverAddress : clientAddress,
                                 randomness: .seeded(Xoshiro256(seed: role == .client ? 11 : 12)))
    }

    static func transmitted(_ endpoint: inout DTLSEndpoint) -> [[UInt8]] {
        var found: [[UInt8]] = []
        while true {
            switch endpoint.pollOutput() {
            case .transmit(let datagram): found.append(datagram.payload)
            case .event: continue
            case .timeout: return found
            }
        }
    }

    static func deliver(_ datagrams: [[UInt8]], to endpoint: inout DTLSEndpoint) -> [[UInt8]] {
        for payload in datagrams { endpoint.handle(Datagram(source: endpoint.remote, destination: endpoint.local, payload: payload), now: .zero) }
        return transmitted(&endpoint)
    }

    /// The genuine flights: client hello, server flight, client second flight, server finished.
    static let flights: (hello: [[UInt8]], serverFlight: [[UInt8]], clientFlight: [[UInt8]], serverFinished: [[UInt8]]) = {
        var client = endpoint(.client), server = endpoint(.server)
        client.start(now: .zero)
        let hello = transmitted(&client)
        let serverFlight = deliver(hello, to: &server)
        let clientFlight = deliver(serverFlight, to: &client)
        let serverFinished = deliver(clientFlight, to: &server)
        _ = deliver(serverFinished, to: &client)
        precondition(client.state == .connected && server.state == .connected, "the fixture handshake failed")
        return (hello, serverFlight, clientFlight, serverFinished)
    }()

    static func freshServer() -> DTLSEndpoint { endpoint(.server, cookie: true) }

    static func waitingClient() -> DTLSEndpoint {
        var client = endpoint(.client)
        client.start(now: .zero)
        _ = transmitted(&client)
        return client
    }

    static func answeringServer() -> DTLSEndpoint {
        var server = endpoint(.server)
        _ = deliver(flights.hello, to: &server)
        return server
    }

    static func connectedClient() -> DTLSEndpoint {
        var client = waitingClient()
        _ = deliver(flights.serverFlight, to: &client)
        _ = deliver(flights.serverFinished, to: &client)
        return client
    }
}

/// With `DTLS_FUZZ_SEEDS=DIR` set, writes the genuine flights each mode expects as seeds.
@_cdecl("LLVMFuzzerInitialize")
public func dtlsFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    guard let directory = getenv("DTLS_FUZZ_SEEDS").map({ String(cString: $0) }) else { return 0 }
    let flights = FuzzFixtures.flights
    let seeds: [(String, [UInt8])] = [
        ("decode-server-flight", FuzzInput.encode(mode: 0, flights.serverFlight)),
        ("server-hello", FuzzInput.encode(mode: 1, flights.hello)),
        ("client-server-flight", FuzzInput.encode(mode: 2, flights.serverFlight + flights.serverFinished)),
        ("server-client-flight", FuzzInput.encode(mode: 3, flights.clientFlight)),
        ("connected-finished", FuzzInput.encode(mode: 4, flights.serverFinished)),
    ]
    FuzzInput.write(seeds, to: directory)
    return 0
}
