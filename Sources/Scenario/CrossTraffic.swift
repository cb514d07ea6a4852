import NetTypes
import Records
import SimulatedTCP
import Simulator

/// The cross-traffic flows of a run: for UDP a sender and a sink per flow, for TCP a
/// `TCPTrafficFlow` over the hosts' TCP stacks (installed on first use, one per host);
/// their counts go into the run's events at the end, TCP flows' series and connections
/// into its results.
final class CrossTraffic {
    private var udpFlows: [(spec: CrossTrafficSpec, source: ConstantBitrateSource, sink: UDPSink)] = []
    private var tcpFlows: [(spec: CrossTrafficSpec, flow: TCPTrafficFlow)] = []

    init(_ specs: [CrossTrafficSpec], network: SimulatedNetwork) throws(ScenarioError) {
        for spec in specs {
            guard let sender = network.hosts[spec.from], let receiver = network.hosts[spec.to],
                  let target = receiver.interfaces.last?.addresses.first(where: { $0.address.family == .ipv4 })?.address else {
                throw ScenarioError(spec.location, "cross traffic from '\(spec.from)' to '\(spec.to)' has no IPv4 path")
            }
            do {
                if let tcp = spec.tcp {
                    let flow = try TCPTrafficFlow(spec, tcp: tcp, sender: Self.stack(on: sender), receiver: Self.stack(on: receiver), target: target)
                    tcpFlows.append((spec, flow))
                } else {
                    udpFlows.append(try Self.udpFlow(spec, sender: sender, receiver: receiver, target: target, simulation: network.simulation))
                }
            } catch {
                throw ScenarioError(spec.location, "cannot start cross traffic: \(error)")
            }
        }
    }

    private static func udpFlow(_ spec: CrossTrafficSpec, sender: Host, receiver: Host, target: IPAddress,
                                simulation: Simulation) throws -> (spec: CrossTrafficSpec, source: ConstantBitrateSource, sink: UDPSink) {
        let socket = try sender.bindUDP()
        let sink = UDPSink(socket: try receiver.bindUDP())
        let pattern = spec.meanOn.flatMap { on in spec.meanOff.map { OnOffPattern(meanOn: on, meanOff: $0) } }
        let source = ConstantBitrateSource(
            simulation: simulation, socket: socket, destination: Endpoint(target, sink.socket.local.port),
            rate: spec.rate, payloadSize: spec.packetSize, start: .zero + spec.start,
            stop: spec.stop.map { .zero + $0 } ?? .distantFuture, pattern: pattern)
        return (spec, source, sink)
    }

    /// The host's TCP stack, installed the first time a flow needs it.
    private static func stack(on host: Host) -> TCPStack {
        (host.tcp as? TCPStack) ?? TCPStack.install(on: host)
    }

    /// Call when the run's simulated time is over: TCP flows still running take their
    /// last sample and abort their connections.
    func endOfRun() {
        for flow in tcpFlows { flow.flow.endOfRun() }
    }

    /// One event per flow: datagrams sent and received, or TCP bytes delivered.
    func record(into log: EventLog) {
        for flow in udpFlows {
            log.add(session: nil, source: "cross-traffic", kind: "flow",
                    "\(flow.spec.from)->\(flow.spec.to) sent \(flow.source.sent) received \(flow.sink.received)")
        }
        for flow in tcpFlows {
            log.add(session: flow.spec.name, source: "cross-traffic", kind: "tcp-flow", flow.flow.summary)
        }
    }

    /// The TCP flows' time series.
    var series: [SeriesSample] { tcpFlows.flatMap(\.flow.samples) }

    /// The TCP flows' connections.
    var connections: [TCPFlowResult] { tcpFlows.flatMap(\.flow.results) }
}
