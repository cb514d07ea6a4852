import NetTypes
import TURN

/// The Prometheus metrics of a live TURN server (text exposition format), mirrored from a
/// `TURNServerSnapshot` at each scrape: the sans-IO core only counts (`TURNServerCounters`)
/// and the driver only reads those counts, so no metrics call runs on the packet path and
/// no global metrics system is bootstrapped. Names follow Prometheus' conventions
/// (`icelab_turn_` prefix, `_total` for counters, `_bytes` units) so that Grafana's
/// `rate()` applies as is; docs/operations.md lists them.
public final class TURNMetrics: Sendable {
    private let mirror = PrometheusMirror()

    public init() {}

    /// The exposition text for `snapshot`.
    public func render(_ snapshot: TURNServerSnapshot) -> String {
        mirror.render { Self.update($0, snapshot) }
    }

    private static func update(_ m: PrometheusMirror, _ s: TURNServerSnapshot) {
        let c = s.counters
        for (kind, count) in c.responses {
            m.counter("icelab_turn_requests_total", [("method", Self.snakeCase(kind.method)), ("result", kind.errorCode.map(String.init) ?? "success")],
                    "Requests answered, by method and result (success or the error code).", count)
        }
        m.gauge("icelab_turn_allocations_active", [], "Allocations that exist now.", c.allocationsActive)
        m.counter("icelab_turn_allocations_total", [], "Allocations created.", c.allocationsTotal)
        m.gauge("icelab_turn_permissions_active", [], "Permissions live now, over all allocations.", s.permissions)
        m.counter("icelab_turn_permissions_installed_total", [], "Permissions installed or refreshed (CreatePermission peers and ChannelBinds).",
                c.permissionsInstalled)
        m.gauge("icelab_turn_channels_active", [], "Channel bindings live now.", s.channels)
        m.counter("icelab_turn_channel_binds_total", [], "Channels bound or refreshed.", c.channelsBound)
        for (direction, packets, bytes) in [("to_peer", c.packetsToPeers, c.bytesToPeers), ("to_client", c.packetsToClients, c.bytesToClients)] {
            m.counter("icelab_turn_relayed_packets_total", [("direction", direction)], "Packets relayed, by direction.", packets)
            m.counter("icelab_turn_relayed_bytes_total", [("direction", direction)], "Application bytes relayed, by direction.", bytes)
        }
        m.counter("icelab_turn_refused_peers_total", [], "Peers refused by the peer policy: 403 answers and forbidden-peer drops.",
                c.errorResponses[403, default: 0] + c.dropped[.forbiddenPeer, default: 0])
        m.counter("icelab_turn_auth_failures_total", [], "Signed requests refused 401 (unknown user, wrong password, expired REST username).",
                c.authFailures)
        for reason in TURNServerDropReason.allCases {
            m.counter("icelab_turn_dropped_total", [("reason", PrometheusMirror.label(reason.rawValue))],
                    "Datagrams dropped unanswered, by reason.", c.dropped[reason, default: 0])
        }
        m.counter("icelab_turn_connections_refused_total", [], "TCP/TLS connections closed over the per-source or total bound.", c.streamsRefused)
        m.counter("icelab_turn_connections_timed_out_total", [], "TCP/TLS connections closed idle without an allocation.", c.streamsTimedOut)
        m.gauge("icelab_turn_sockets_open", [], "UDP sockets open, listening and relayed.", s.openSockets)
        m.gauge("icelab_turn_draining", [], "1 while a graceful shutdown refuses new allocations.", s.draining ? 1 : 0)
        for (key, listener) in s.sockets.listeners.sorted(by: { $0.key < $1.key }) {
            let labels = [("listener", key.endpoint.description), ("transport", key.transport.rawValue)]
            for (direction, packets, bytes) in [("in", listener.packetsReceived, listener.bytesReceived), ("out", listener.packetsSent, listener.bytesSent)] {
                m.counter("icelab_turn_listener_packets_total", labels + [("direction", direction)],
                        "Datagrams (UDP) or stream reads and writes (TCP/TLS) on a listener.", packets)
                m.counter("icelab_turn_listener_bytes_total", labels + [("direction", direction)],
                        "Bytes on a listener: UDP payloads, or stream bytes with TLS records.", bytes)
            }
            if key.transport.isReliable {
                m.counter("icelab_turn_listener_connections_total", labels, "Connections a TCP/TLS listener accepted.", listener.connectionsAccepted)
                m.gauge("icelab_turn_listener_connections_open", labels, "Connections of a TCP/TLS listener open now.",
                      s.openConnections[key.endpoint, default: 0])
            }
        }
    }

    /// `CreatePermission` → `create_permission`.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase && !out.isEmpty { out += "_" }
            out += character.lowercased()
        }
        return out
    }
}
