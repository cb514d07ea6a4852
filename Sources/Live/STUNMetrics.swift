import STUN

/// The Prometheus metrics of a live STUN server, mirrored from its core's and sockets'
/// counters at each scrape (as `TURNMetrics`; docs/operations.md lists them).
public final class STUNMetrics: Sendable {
    private let mirror = PrometheusMirror()

    public init() {}

    /// The exposition text for the counters read now.
    public func render(counters: STUNServerCounters, sockets: LiveCounters) -> String {
        mirror.render { m in
            m.counter("icelab_stun_requests_total", [("result", "success")], "Requests answered, by result.", counters.successResponses)
            m.counter("icelab_stun_requests_total", [("result", "error")], "Requests answered, by result.", counters.errorResponses)
            for reason in STUNServerDropReason.allCases {
                m.counter("icelab_stun_dropped_total", [("reason", PrometheusMirror.label(reason.rawValue))],
                          "Datagrams dropped unanswered, by reason.", counters.dropped[reason, default: 0])
            }
            for (key, listener) in sockets.listeners.sorted(by: { $0.key < $1.key }) {
                let labels = [("listener", key.endpoint.description), ("transport", key.transport.rawValue)]
                for (direction, packets, bytes) in [("in", listener.packetsReceived, listener.bytesReceived), ("out", listener.packetsSent, listener.bytesSent)] {
                    m.counter("icelab_stun_listener_packets_total", labels + [("direction", direction)], "Datagrams on a listener.", packets)
                    m.counter("icelab_stun_listener_bytes_total", labels + [("direction", direction)], "UDP payload bytes on a listener.", bytes)
                }
            }
        }
    }
}
