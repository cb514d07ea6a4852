import NetTypes
import Simulator

/// Schedules a scenario's timeline events on the simulation.
enum Timeline {
    static func schedule(_ events: [TimelineEvent], network: SimulatedNetwork,
                         sessions: [SessionRunner], log: EventLog) {
        for event in events {
            network.simulation.schedule(at: .zero + event.at) { _ in
                apply(event.action, network: network, sessions: sessions, log: log)
            }
        }
    }

    static func apply(_ action: TimelineEvent.Action, network: SimulatedNetwork,
                      sessions: [SessionRunner], log: EventLog) {
        switch action {
        case .setLink(let name, let parameters, let directions):
            _ = network.updateLink(name, parameters, directions: directions)
            log.add(session: nil, source: "timeline", kind: "link", directions == .both ? "\(name) changed" : "\(name) \(directions.rawValue) changed")
        case .rebindNAT(let name):
            network.nats[name]?.rebind()
            log.add(session: nil, source: "timeline", kind: "nat", "\(name) rebind")
        case .renumberNAT(let name):
            if let nat = network.nats[name], let addresses = try? network.topology.renumber(nat, externalAddresses: nat.externalAddresses.count) {
                log.add(session: nil, source: "timeline", kind: "nat", "\(name) renumbered to \(addresses.map(\.description).joined(separator: ","))")
            }
        case .moveHost(let name, let placement):
            if network.moveHost(name, to: placement) {
                log.add(session: nil, source: "timeline", kind: "host", "\(name) moved")
                for session in sessions where session.involves(name) { session.hostMoved(name) }
            }
        case .setServer(let name, let up):
            network.setServer(name, up: up)
            log.add(session: nil, source: "timeline", kind: "server", "\(name) \(up ? "up" : "down")")
        case .restartICE(let name):
            sessions.first { $0.name == name }?.restartICE()
            log.add(session: name, source: "timeline", kind: "ice", "restart")
        case .setFlowRates(let name, let flow, let minRate, let maxRate):
            if let rates = sessions.first(where: { $0.name == name })?.constrain(flow: flow, minRate: minRate, maxRate: maxRate) {
                log.add(session: name, source: "timeline", kind: "media", "flow \(flow) rates \(rates.min)...\(rates.max)")
            }
        }
    }
}
