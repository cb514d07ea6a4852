import Signaling

/// The Prometheus metrics of a live signaling server, mirrored from its rooms' counters
/// at each scrape (as `STUNMetrics`; docs/operations.md lists them).
public final class SignalingMetrics: Sendable {
    private let mirror = PrometheusMirror()

    public init() {}

    /// The exposition text for the counters read now.
    public func render(_ counters: SignalingCounters) -> String {
        mirror.render { m in
            m.gauge("icelab_signal_clients", [], "WebSocket clients connected now.", counters.clients)
            m.counter("icelab_signal_clients_total", [], "WebSocket clients that connected.", counters.clientsTotal)
            m.gauge("icelab_signal_rooms", [], "Rooms open now.", counters.rooms)
            m.counter("icelab_signal_relayed_total", [], "Messages relayed to another room member.", counters.relayed)
            for (reason, count) in counters.refused.sorted(by: { $0.key < $1.key }) {
                m.counter("icelab_signal_refused_total", [("reason", reason)], "Clients closed for bad input, by reason.", count)
            }
        }
    }
}
