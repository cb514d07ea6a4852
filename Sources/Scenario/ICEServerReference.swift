import NetTypes

/// One entry of a session's `ice-servers`: a server of the scenario's network by name, or
/// a STUN/TURN URI naming it (RFC 7064, RFC 7065) to say how the agent reaches it:
///
/// - `turn1`: the server as its kind says (STUN; TURN over UDP)
/// - `stun:stun1`, `turn:turn1`, `turn:turn1?transport=udp`: the same, spelled out
/// - `turn:turn1?transport=tcp`: TURN over TCP (the server needs `tcp: true`)
/// - `turns:turn1`, `turns:turn1?transport=tcp`: TURN over TLS (the server needs `tls-port`)
///
/// A port after the name (`turns:turn1:443`) must be the one the server listens on for
/// that transport. `turns:` with `transport=udp` would be DTLS, which TURN servers here do
/// not offer.
public struct ICEServerReference: Hashable, Sendable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case stun, turn, turns }

    /// The server's name in `network.servers`.
    public var name: String
    /// nil for a bare name (the server's kind decides).
    public var scheme: Scheme?
    /// How a TURN server is reached: `.udp`, `.tcp` or `.tls`.
    public var transport: TransportKind
    /// The port the URI names, if any.
    public var port: Int?
    /// The entry as written.
    public var text: String

    /// Parses one entry; `node` gives errors their place.
    init(_ node: YAMLNode) throws(ScenarioError) {
        text = try node.string()
        guard let colon = text.firstIndex(of: ":") else {
            name = text
            transport = .udp
            return
        }
        guard let scheme = Scheme(rawValue: String(text[..<colon])) else {
            throw node.error("'\(text)' is not a server name or a stun:, turn: or turns: URI (RFC 7065)")
        }
        self.scheme = scheme
        var rest = Substring(text[text.index(after: colon)...])
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty else { throw node.error("'\(text)': expected SCHEME:NAME[:PORT]") }
        name = String(parts[0])
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65535).contains(port) else { throw node.error("'\(text)': the port must be 1-65535") }
            self.port = port
        }
        var requested: TransportKind?
        if let query {
            guard query.hasPrefix("transport="), let kind = TransportKind(rawValue: String(query.dropFirst("transport=".count))),
                  kind == .udp || kind == .tcp else {
                throw node.error("'\(text)': the only query is transport=udp or transport=tcp (RFC 7065 §3.1)")
            }
            guard scheme != .stun else { throw node.error("'\(text)': stun: URIs take no transport (RFC 7064)") }
            requested = kind
        }
        switch scheme {
        case .stun, .turn: transport = requested ?? .udp
        case .turns:
            guard requested != .udp else { throw node.error("'\(text)': turns: over UDP would be DTLS, which is not offered; use turns:NAME or ?transport=tcp") }
            transport = .tls
        }
    }

    public var description: String { text }
}
