import NetTypes
import Simulator

/// The cross-traffic flows of a run: a sender and a sink per flow, and their counts in
/// the run's events at the end.
final class CrossTraffic {
    private var flows: [(spec: CrossTrafficSpec, source: ConstantBitrateSource, sink: UDPSink)] = []

    init(_ specs: [CrossTrafficSpec], network: SimulatedNetwork) throws(ScenarioError) {
        for spec in specs {
            guard let sender = network.hosts[spec.from], let receiver = network.hosts[spec.to],
                  let target = receiver.interfaces.last?.addresses.first(where: { $0.address.family == .ipv4 })?.address else {
                throw ScenarioError(spec.location, "cross traffic from '\(spec.from)' to '\(spec.to)' has no IPv4 path")
            }
            do {
                let socket = try sender.bindUDP()
                let sink = UDPSink(socket: try receiver.bindUDP())
                let pattern = spec.meanOn.flatMap { on in spec.meanOff.map { OnOffPattern(meanOn: on, meanOff: $0) } }
                let source = ConstantBitrateSource(
                    simulation: network.simulation, socket: socket, destination: Endpoint(target, sink.socket.local.port),
                    rate: spec.rate, payloadSize: spec.packetSize, start: .zero + spec.start,
                    stop: spec.stop.map { .zero + $0 } ?? .distantFuture, pattern: pattern)
                flows.append((spec, source, sink))
            } catch {
                throw ScenarioError(spec.location, "cannot start cross traffic: \(error)")
            }
        }
    }

    /// One event per flow: datagrams sent and received.
    func record(into log: EventLog) {
        for flow in flows {
            log.add(session: nil, source: "cross-traffic", kind: "flow",
                    "\(flow.spec.from)->\(flow.spec.to) sent \(flow.source.sent) received \(flow.sink.received)")
        }
    }
}
