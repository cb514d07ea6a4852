import NetTypes

/// A UDP flow that competes with the sessions: constant rate, or on/off with
/// exponentially distributed periods (`on` and `off` give their means). The receiver
/// must be reachable from outside: a public host.
public struct CrossTrafficSpec: Sendable {
    public var location: SourceLocation
    public var from: String
    public var to: String
    public var fromLocation: SourceLocation
    public var toLocation: SourceLocation
    public var rate: Bitrate
    public var packetSize: Int
    public var start: Duration
    public var stop: Duration?
    public var meanOn: Duration?
    public var meanOff: Duration?

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: ["from", "to", "rate", "packet-size", "start", "stop", "on", "off"])
        let fromNode = try f.required("from"), toNode = try f.required("to")
        from = try fromNode.string()
        to = try toNode.string()
        fromLocation = fromNode.location
        toLocation = toNode.location
        rate = try f.required("rate").bitrate()
        guard rate.bitsPerSecond > 0 else { throw try f.required("rate").error("rate must be positive") }
        let size = try f.optional("packet-size")?.byteCount().bytes ?? 1200
        guard size >= 1, size <= 65_507 else { throw try f.required("packet-size").error("packet-size must be 1B to 65507B (a UDP payload)") }
        packetSize = Int(size)
        start = try f.optional("start")?.duration() ?? .zero
        stop = try f.optional("stop")?.duration()
        meanOn = try f.optional("on")?.duration()
        meanOff = try f.optional("off")?.duration()
        if (meanOn == nil) != (meanOff == nil) { throw node.error("an on/off flow needs both 'on' and 'off' (mean durations)") }
        if let on = meanOn, on <= .zero { throw try f.required("on").error("'on' must be positive") }
        if let off = meanOff, off <= .zero { throw try f.required("off").error("'off' must be positive") }
        if let stop, stop <= start { throw try f.required("stop").error("stop must come after start") }
    }
}
