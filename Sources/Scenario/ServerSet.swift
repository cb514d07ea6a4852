import ICE
import NetTypes
import STUN
import SimulatedTCP
import Simulator
import TLS
import TURN

/// The STUN and TURN servers of a run, running their real cores on simulated hosts.
final class ServerSet {
    /// What an ICE agent needs to use a server.
    struct Reference {
        var kind: ServerSpec.Kind
        var endpoint: Endpoint
        var realm: String
        var users: [(name: String, password: String)]
        /// Where a TURN server accepts clients over TCP and over TLS, if it does.
        var tcpEndpoint: Endpoint?
        var tlsEndpoint: Endpoint?
        /// Over TLS: the clients' context (trusting the server's generated certificate)
        /// and the name the certificate carries.
        var tls: TLSContext?
        var tlsName: String?

        /// Where to reach the server over `transport`.
        func endpoint(for transport: TransportKind) -> Endpoint? {
            switch transport {
            case .tcp: return tcpEndpoint
            case .tls: return tlsEndpoint
            case .udp, .dtls: return endpoint
            }
        }
    }

    private(set) var references: [String: Reference] = [:]
    /// Builds the relay clients ICE agents use for relayed candidates.
    let relayFactory: ICERelayFactory = TURNRelayClient.make
    /// The wall-clock time (Unix seconds) simulated time 0 stands for, for certificate
    /// validity: 2026-01-01T00:00:00Z. Generated certificates are valid from a day
    /// before it for a year.
    static let certificateEpoch: Int64 = 1_767_225_600

    private var stunServers: [String: SimCoreDriver<STUNServer>] = [:]
    private var turnServers: [String: SimCoreDriver<TURNServer>] = [:]

    init(_ specs: [ServerSpec], network: SimulatedNetwork) throws(ScenarioError) {
        for spec in specs {
            guard let host = network.servers[spec.name] else { continue }
            let addresses = host.interfaces[0].addresses.map(\.address).filter { $0.family == .ipv4 }
            let primary = Endpoint(addresses[0], UInt16(spec.port))
            let tcp = spec.tcp ? primary : nil
            let tls = spec.tlsPort.map { Endpoint(addresses[0], UInt16($0)) }
            var reference = Reference(kind: spec.kind, endpoint: primary, realm: spec.realm, users: spec.users,
                                      tcpEndpoint: tcp, tlsEndpoint: tls)
            var serverTLS: TLSContext?
            if tls != nil {
                let name = "\(spec.name).icelab.test"
                var rng = network.simulation.randomStream(for: "tls-identity:\(spec.name)")
                do throws(TLSError) {
                    let identity = try TLSIdentity.generate(commonName: name, subjectAltNames: [name, primary.address.description],
                                                            notBefore: Self.certificateEpoch - 86_400, validity: .seconds(365 * 86_400), rng: &rng)
                    serverTLS = try TLSContext(TLSConfiguration(role: .server, identity: identity))
                    reference.tls = try TLSContext(TLSConfiguration(role: .client, trusted: [identity.certificate], serverName: name,
                                                                    verificationEpoch: Self.certificateEpoch))
                    reference.tlsName = name
                } catch {
                    throw ScenarioError(spec.location, "cannot make the TLS certificate of '\(spec.name)': \(error)")
                }
            }
            references[spec.name] = reference
            switch spec.kind {
            case .stun:
                let config = STUNServerConfiguration(primary: primary, alternateAddress: spec.alternate ? addresses[1] : nil,
                                                     alternatePort: spec.alternate ? UInt16(spec.port + 1) : nil)
                let driver = SimCoreDriver(host: host, core: STUNServer(configuration: config))
                do {
                    for endpoint in config.localEndpoints { try driver.bind(endpoint) }
                } catch {
                    throw ScenarioError(spec.location, "cannot start STUN server '\(spec.name)': \(error)")
                }
                stunServers[spec.name] = driver
            case .turn:
                var users: [String: String] = [:]
                for user in spec.users { users[user.name] = user.password }
                var config = TURNServerConfiguration(listening: [primary], realm: spec.realm, users: users, relayAddresses: [primary.address])
                if let tcp { config.streamListening[tcp] = .tcp }
                if let tls { config.streamListening[tls] = .tls }
                config.maxAllocationsPerUser = spec.maxAllocationsPerUser
                config.tls = serverTLS
                config.tlsSeeded = true
                let core = TURNServer(configuration: config, rng: network.simulation.randomStream(for: "turn:\(spec.name)"))
                do throws(SocketError) {
                    turnServers[spec.name] = try SimulatedTURNServer.start(core, on: host, listening: [primary])
                } catch {
                    throw ScenarioError(spec.location, "cannot start TURN server '\(spec.name)': \(error)")
                }
            }
        }
    }
}
