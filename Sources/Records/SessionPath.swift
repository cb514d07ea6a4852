/// How a connected session's media travels, as reports group sessions and `path:`
/// expectations name it: `direct` (UDP), `direct/tcp` (ICE-TCP, RFC 6544), `relayed`
/// (TURN over UDP), `relayed/tcp` or `relayed/tls` (TURN reached over TCP or TLS,
/// RFC 8656 §3.1; `relayed/tcp+udp` when the two ends relay differently).
public enum SessionPath {
    /// Every path name a single transport gives, in the order reports list them.
    public static let names = ["direct", "direct/tcp", "relayed", "relayed/tcp", "relayed/tls"]

    /// The path of a session; nil when it did not connect. `transport` is the selected
    /// pair's (`udp`, `tcp`), `relayProtocol` how its relays reach their servers.
    public static func name(connected: Bool, relayUsed: Bool, transport: String?, relayProtocol: String?) -> String? {
        guard connected else { return nil }
        guard relayUsed else { return transport == "tcp" ? "direct/tcp" : "direct" }
        return relayProtocol.map { $0 == "udp" ? "relayed" : "relayed/\($0)" } ?? "relayed"
    }
}

extension SessionResult {
    /// The session's path (`SessionPath`); nil when it did not connect.
    public var path: String? {
        SessionPath.name(connected: connected, relayUsed: relayUsed, transport: selectedProtocol, relayProtocol: relayProtocol)
    }
}
