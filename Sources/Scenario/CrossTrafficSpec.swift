import NetTypes

/// A flow that competes with the sessions for capacity, from `from` to `to` (which must
/// be reachable from outside: a public host). `kind` picks what it is:
/// - `udp`: datagrams at a constant rate, or on/off with exponentially distributed
///   periods (`on` and `off` give their means);
/// - `tcp-bulk`: one long-lived TCP connection sending as fast as its congestion control
///   allows (RFC 8867 §5.6);
/// - `tcp-web`: short TCP transfers from on/off sources (RFC 8867 §5.7).
public struct CrossTrafficSpec: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case udp
        case tcpBulk = "tcp-bulk"
        case tcpWeb = "tcp-web"
    }

    public var location: SourceLocation
    public var kind: Kind
    /// The flow's label in results (`name`, default `KIND-INDEX`).
    public var name: String
    public var from: String
    public var to: String
    public var fromLocation: SourceLocation
    public var toLocation: SourceLocation
    public var start: Duration
    public var stop: Duration?
    /// `udp`: the sending rate and datagram payload size.
    public var rate: Bitrate
    public var packetSize: Int
    public var meanOn: Duration?
    public var meanOff: Duration?
    /// `tcp-bulk` and `tcp-web`: the TCP parameters.
    public var tcp: TCPTrafficSpec?

    static let commonKeys = ["kind", "name", "from", "to", "start", "stop"]
    static let udpKeys = ["rate", "packet-size", "on", "off"]

    init(_ node: YAMLNode, index: Int) throws(ScenarioError) {
        location = node.location
        let all = Self.commonKeys + Self.udpKeys + TCPTrafficSpec.bulkKeys + TCPTrafficSpec.webKeys
        let f = try node.fields(allowed: Array(Set(all)).sorted())
        kind = try f.optional("kind")?.choice(of: Kind.self) ?? .udp
        let allowed: [String]
        switch kind {
        case .udp: allowed = Self.commonKeys + Self.udpKeys
        case .tcpBulk: allowed = Self.commonKeys + TCPTrafficSpec.bulkKeys
        case .tcpWeb: allowed = Self.commonKeys + TCPTrafficSpec.webKeys
        }
        for key in all where !allowed.contains(key) {
            if let misplaced = f.optional(key) { throw misplaced.error("'\(key)' does not apply to \(kind.rawValue) cross traffic") }
        }
        name = try f.optional("name")?.string() ?? "\(kind.rawValue)-\(index)"
        let fromNode = try f.required("from"), toNode = try f.required("to")
        from = try fromNode.string()
        to = try toNode.string()
        fromLocation = fromNode.location
        toLocation = toNode.location
        start = try f.optional("start")?.duration() ?? .zero
        stop = try f.optional("stop")?.duration()
        if let stop, stop <= start { throw try f.required("stop").error("stop must come after start") }
        rate = Bitrate(bitsPerSecond: 0)
        packetSize = 1200
        if kind == .udp {
            try decodeUDP(f, node: node)
        } else {
            tcp = try TCPTrafficSpec(f, web: kind == .tcpWeb)
        }
    }

    private mutating func decodeUDP(_ f: Fields, node: YAMLNode) throws(ScenarioError) {
        rate = try f.required("rate").bitrate()
        guard rate.bitsPerSecond > 0 else { throw try f.required("rate").error("rate must be positive") }
        let size = try f.optional("packet-size")?.byteCount().bytes ?? 1200
        guard size >= 1, size <= 65_507 else { throw try f.required("packet-size").error("packet-size must be 1B to 65507B (a UDP payload)") }
        packetSize = Int(size)
        meanOn = try f.optional("on")?.duration()
        meanOff = try f.optional("off")?.duration()
        if (meanOn == nil) != (meanOff == nil) { throw node.error("an on/off flow needs both 'on' and 'off' (mean durations)") }
        if let on = meanOn, on <= .zero { throw try f.required("on").error("'on' must be positive") }
        if let off = meanOff, off <= .zero { throw try f.required("off").error("'off' must be positive") }
    }
}
