import ICE
import NetTypes
import STUN
import SimulatedTCP
import Simulator
import TLS
import TURN

/// The STUN, TURN and signaling servers of a run, running their real cores on simulated hosts.
final class ServerSet {
    /// What an ICE agent needs to use a server.
    struct Reference {
        var kind: ServerSpec.Kind
        var realm: String
        var users: [(name: String, password: String)]
        /// Where the server listens, by client transport (`ServerSpec.port(for:)`): UDP
        /// always, TCP and TLS when a TURN server offers them.
        var endpoints: [TransportKind: Endpoint]
        /// Where the server listens on IPv6 (UDP), with `ipv6: true`.
        var ipv6Endpoint: Endpoint?
        /// Over TLS: the clients' context (trusting the server's generated certificate)
        /// and the name the certificate carries.
        var tls: TLSContext?
        var tlsName: String?

        /// The endpoints a client with addresses of `families` uses over `transport`, each
        /// with the relayed family to request from a TURN server there: the IPv4 endpoint
        /// when the client has IPv4, the IPv6 one (UDP) when both have IPv6. A client
        /// without IPv4 whose server has no IPv6 gets the IPv4 endpoint embedded in the
        /// well-known NAT64 prefix, as its network's DNS64 synthesises the AAAA record
        /// (RFC 6147 §5.1.7); the server sees it from the NAT64's IPv4 address and relays
        /// over IPv4.
        func endpoints(over transport: TransportKind, forClientWith families: Set<AddressFamily>)
            -> [(endpoint: Endpoint, relayFamily: AddressFamily)] {
            guard let ipv4 = endpoints[transport] else { return [] }
            var chosen: [(Endpoint, AddressFamily)] = []
            if families.contains(.ipv4) { chosen.append((ipv4, .ipv4)) }
            if families.contains(.ipv6), transport == .udp, let ipv6Endpoint { chosen.append((ipv6Endpoint, .ipv6)) }
            if chosen.isEmpty, families.contains(.ipv6), case .v4(let address) = ipv4.address {
                chosen.append((Endpoint(.v6(NAT64Prefix.wellKnown.embed(address)), ipv4.port), .ipv4))
            }
            return chosen
        }
    }

    private(set) var references: [String: Reference] = [:]
    /// Builds the relay clients ICE agents use for relayed candidates.
    let relayFactory: ICERelayFactory = TURNRelayClient.make
    /// The wall-clock time (Unix seconds) simulated time 0 stands for, for certificate
    /// validity: 2026-01-01T00:00:00Z. Generated certificates are valid from a day
    /// before it for a year.
    static let certificateEpoch: Int64 = 1_767_225_600

    /// Per server, one per family it listens on.
    private var stunServers: [String: [SimCoreDriver<STUNServer>]] = [:]
    private var turnServers: [String: SimCoreDriver<TURNServer>] = [:]
    private var signalingServers: [String: SimulatedSignalingServer] = [:]

    init(_ specs: [ServerSpec], network: SimulatedNetwork) throws(ScenarioError) {
        for spec in specs {
            guard let host = network.servers[spec.name] else { continue }
            let addresses = host.interfaces[0].addresses.map(\.address).filter { $0.family == .ipv4 }
            var endpoints: [TransportKind: Endpoint] = [:]
            for transport in [TransportKind.udp, .tcp, .tls] {
                if let port = spec.port(for: transport) { endpoints[transport] = Endpoint(addresses[0], UInt16(port)) }
            }
            if spec.kind == .signaling {
                references[spec.name] = Reference(kind: spec.kind, realm: spec.realm, users: [], endpoints: endpoints)
                do throws(SocketError) {
                    signalingServers[spec.name] = try SimulatedSignalingServer(on: host, port: UInt16(spec.port))
                } catch {
                    throw ScenarioError(spec.location, "cannot start signaling server '\(spec.name)': \(error)")
                }
                continue
            }
            let primary = endpoints[.udp]!
            var reference = Reference(kind: spec.kind, realm: spec.realm, users: spec.users, endpoints: endpoints)
            if spec.ipv6, let address = host.interfaces[0].address(of: .ipv6) {
                reference.ipv6Endpoint = Endpoint(address, UInt16(spec.port))
            }
            var serverTLS: TLSContext?
            if endpoints[.tls] != nil {
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
                let configs = [config] + (reference.ipv6Endpoint.map { [STUNServerConfiguration(primary: $0)] } ?? [])
                for config in configs {
                    let driver = SimCoreDriver(host: host, core: STUNServer(configuration: config))
                    do {
                        for endpoint in config.localEndpoints { try driver.bind(endpoint) }
                    } catch {
                        throw ScenarioError(spec.location, "cannot start STUN server '\(spec.name)': \(error)")
                    }
                    stunServers[spec.name, default: []].append(driver)
                }
            case .signaling:
                break
            case .turn:
                var users: [String: String] = [:]
                for user in spec.users { users[user.name] = user.password }
                let listening = [primary] + (reference.ipv6Endpoint.map { [$0] } ?? [])
                var config = TURNServerConfiguration(listening: listening, realm: spec.realm, users: users, relayAddresses: listening.map(\.address))
                for (transport, endpoint) in endpoints where transport.isReliable { config.streamListening[endpoint] = transport }
                config.maxAllocationsPerUser = spec.maxAllocationsPerUser
                config.tls = serverTLS
                config.tlsSeeded = true
                let core = TURNServer(configuration: config, rng: network.simulation.randomStream(for: "turn:\(spec.name)"))
                do throws(SocketError) {
                    turnServers[spec.name] = try SimulatedTURNServer.start(core, on: host, listening: listening)
                } catch {
                    throw ScenarioError(spec.location, "cannot start TURN server '\(spec.name)': \(error)")
                }
            }
        }
    }
}
