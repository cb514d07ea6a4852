import ICE
import NetTypes
import STUN
import Simulator

/// The STUN and TURN servers of a run, running their real cores on simulated hosts.
final class ServerSet {
    /// What an ICE agent needs to use a server.
    struct Reference {
        var kind: ServerSpec.Kind
        var endpoint: Endpoint
        var realm: String
        var users: [(name: String, password: String)]
    }

    private(set) var references: [String: Reference] = [:]
    /// Builds the relay clients ICE agents use for relayed candidates.
    let relayFactory: ICERelayFactory? = nil
    private var stunServers: [String: SimCoreDriver<STUNServer>] = [:]
    private var down: Set<String> = []

    init(_ specs: [ServerSpec], network: SimulatedNetwork) throws(ScenarioError) {
        for spec in specs {
            guard let host = network.servers[spec.name] else { continue }
            let addresses = host.interfaces[0].addresses.map(\.address).filter { $0.family == .ipv4 }
            let primary = Endpoint(addresses[0], UInt16(spec.port))
            references[spec.name] = Reference(kind: spec.kind, endpoint: primary, realm: spec.realm, users: spec.users)
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
                throw ScenarioError(spec.location, "TURN servers are not available in this build")
            }
        }
    }

    /// Takes a server down (its host stops answering) or brings it back.
    func setServer(_ name: String, up: Bool, network: SimulatedNetwork) {
        guard let host = network.servers[name], let link = host.interfaces.first?.link else { return }
        var forward = link.forward.config, backward = link.backward.config
        forward.isUp = up
        backward.isUp = up
        link.forward.update(forward)
        link.backward.update(backward)
        if up { down.remove(name) } else { down.insert(name) }
    }
}
