import NetTypes
import Simulator

/// The `network:` section: middleboxes, hosts, servers and link parameters.
///
/// Addresses are planned automatically (see `AddressPlan`); a user writes names and
/// behavior, not addresses.
public struct NetworkSpec: Sendable {
    public var nats: [NATSpec] = []
    public var firewalls: [FirewallSpec] = []
    public var hosts: [HostSpec] = []
    public var servers: [ServerSpec] = []
    public var links: [LinkSpec] = []

    static let keys = ["nats", "firewalls", "hosts", "servers", "links"]

    init(_ node: YAMLNode) throws(ScenarioError) {
        let fields = try node.fields(allowed: NetworkSpec.keys)
        if let nats = fields.optional("nats") {
            for (name, keyNode, value) in try nats.mapping() { self.nats.append(try NATSpec(name: name, at: keyNode, value)) }
        }
        if let firewalls = fields.optional("firewalls") {
            for (name, keyNode, value) in try firewalls.mapping() { self.firewalls.append(try FirewallSpec(name: name, at: keyNode, value)) }
        }
        if let hosts = fields.optional("hosts") {
            for (name, keyNode, value) in try hosts.mapping() { self.hosts.append(try HostSpec(name: name, at: keyNode, value)) }
        }
        if let servers = fields.optional("servers") {
            for (name, keyNode, value) in try servers.mapping() { self.servers.append(try ServerSpec(name: name, at: keyNode, value)) }
        }
        if let links = fields.optional("links") {
            self.links = try links.sequence().map { node throws(ScenarioError) in try LinkSpec(node) }
        }
        guard !hosts.isEmpty else { throw node.error("the network needs at least one host") }
    }

    /// Every named element with its kind, for reference checks.
    var namedElements: [(name: String, kind: String, location: SourceLocation)] {
        nats.map { ($0.name, "NAT", $0.location) } + firewalls.map { ($0.name, "firewall", $0.location) }
            + hosts.map { ($0.name, "host", $0.location) } + servers.map { ($0.name, "server", $0.location) }
    }
}

/// Names must be usable in sweep paths and link names.
func checkName(_ name: String, at node: YAMLNode) throws(ScenarioError) {
    let allowed = name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    guard !name.isEmpty, allowed, name != "internet" else {
        throw node.error("'\(name)' is not a valid name: use letters, digits, '-' and '_' ('internet' is reserved)")
    }
}

/// Where a host, NAT or firewall sits: on the public internet or behind a NAT/firewall.
public enum Placement: Hashable, Sendable {
    case internet
    case behind(String)

    init(_ node: YAMLNode?) throws(ScenarioError) {
        guard let node else { self = .internet; return }
        let name = try node.string()
        self = name == "internet" ? .internet : .behind(name)
    }
}

/// A NAT: a preset and/or individual RFC 4787 behaviors overriding it.
public struct NATSpec: Sendable {
    public var name: String
    public var location: SourceLocation
    /// How `port-assignment` is written; `sequential` steps by `port-step`.
    public enum PortAssignment: String, CaseIterable, Sendable { case preserve, sequential, random }
    /// The source of hairpinned packets (RFC 4787 §6): the sender's external or internal endpoint.
    public enum HairpinSource: String, CaseIterable, Sendable {
        case external, `internal`

        var hairpinning: NATBehavior.Hairpinning {
            switch self {
            case .external: return .externalSource
            case .internal: return .internalSource
            }
        }
    }

    public var preset: String?
    public var mapping: EndpointDependence?
    public var filtering: EndpointDependence?
    public var portAssignment: PortAssignment?
    public var portStep: Int?
    public var portParity: Bool?
    public var portRange: ClosedRange<Int>?
    public var lowPorts: NATBehavior.LowPorts?
    public var externalAddresses: Int?
    public var pooling: NATBehavior.AddressPooling?
    public var hairpinning: Bool?
    public var hairpinSource: HairpinSource?
    public var mappingTimeout: Duration?
    public var establishedTimeout: Duration?
    public var inboundRefresh: Bool?
    /// `conntrack-refused`: refused inbound packets leave entries that move a later flow's port.
    public var tracksRefusedInbound: Bool?
    /// `port-overloading`: hosts share an external port while reply tuples stay unique (netfilter).
    public var portOverloading: Bool?
    public var maxMappings: Int?
    public var maxMappingsPerHost: Int?
    /// `port-blocks: { size: PORTS, per-subscriber: N }` (RFC 7422 port-block allocation).
    public var portBlocks: NATPortBlocks?
    public var filteredAction: NATBehavior.UnsolicitedResponse?
    public var exhaustedAction: NATBehavior.ExhaustionResponse?
    /// TCP's own behavior (RFC 5382); the top-level `mapping`, `filtering` and `filtered`
    /// apply to TCP too unless given here.
    public var tcp: NATTCPSpec?
    /// `ipv6: true`: the LAN also has a global IPv6 /64, routed untranslated (dual-stack).
    public var ipv6: Bool
    /// `ipv6-firewall: PRESET`: a firewall preset (e.g. `allow-outbound-only`, what RFC
    /// 6092 recommends) filtering the LAN's IPv6 as a home router does.
    public var ipv6Firewall: String?
    /// `nat64: true`: the LAN is IPv6-only and the NAT translates it to IPv4 through the
    /// well-known prefix 64:ff9b::/96 (RFC 6146, RFC 6052); hosts behind it resolve
    /// IPv4-only servers to synthesised addresses (DNS64, RFC 6147).
    public var nat64: Bool
    public var behind: Placement
    /// Positions of each written key, to report problems found later (at build time).
    public var keyLocations: [String: SourceLocation] = [:]

    static let keys = ["preset", "mapping", "filtering", "port-assignment", "port-step", "port-parity", "port-range",
                       "low-ports", "external-addresses", "pooling", "hairpinning", "hairpin-source", "mapping-timeout",
                       "established-timeout", "inbound-refresh", "conntrack-refused", "port-overloading", "max-mappings", "max-mappings-per-host", "port-blocks", "filtered",
                       "exhausted", "tcp", "ipv6", "ipv6-firewall", "nat64", "behind"]

    init(name: String, at keyNode: YAMLNode, _ node: YAMLNode) throws(ScenarioError) {
        try checkName(name, at: keyNode)
        self.name = name
        location = keyNode.location
        let f = try node.fields(allowed: NATSpec.keys)
        for key in NATSpec.keys { if let v = f.optional(key) { keyLocations[key] = v.location } }
        preset = try f.optional("preset")?.string()
        mapping = try f.optional("mapping")?.choice(of: EndpointDependence.self)
        filtering = try f.optional("filtering")?.choice(of: EndpointDependence.self)
        portAssignment = try f.optional("port-assignment")?.choice(of: PortAssignment.self)
        portStep = try f.optional("port-step")?.int(in: 1...1000)
        portParity = try f.optional("port-parity")?.bool()
        if let range = f.optional("port-range") { portRange = try NATSpec.portRange(range) }
        lowPorts = try f.optional("low-ports")?.choice(of: NATBehavior.LowPorts.self)
        externalAddresses = try f.optional("external-addresses")?.int(in: 1...64)
        pooling = try f.optional("pooling")?.choice(of: NATBehavior.AddressPooling.self)
        hairpinning = try f.optional("hairpinning")?.bool()
        hairpinSource = try f.optional("hairpin-source")?.choice(of: HairpinSource.self)
        mappingTimeout = try f.optional("mapping-timeout")?.duration()
        establishedTimeout = try f.optional("established-timeout")?.duration()
        inboundRefresh = try f.optional("inbound-refresh")?.bool()
        tracksRefusedInbound = try f.optional("conntrack-refused")?.bool()
        portOverloading = try f.optional("port-overloading")?.bool()
        maxMappings = try f.optional("max-mappings")?.int(in: 1...1_000_000)
        maxMappingsPerHost = try f.optional("max-mappings-per-host")?.int(in: 1...1_000_000)
        if let blocks = f.optional("port-blocks") {
            let b = try blocks.fields(allowed: ["size", "per-subscriber"])
            portBlocks = NATPortBlocks(size: UInt16(try b.required("size").int(in: 1...65535)),
                                       perSubscriber: try b.required("per-subscriber").int(in: 1...65535))
        }
        filteredAction = try f.optional("filtered")?.choice(of: NATBehavior.UnsolicitedResponse.self)
        exhaustedAction = try f.optional("exhausted")?.choice(of: NATBehavior.ExhaustionResponse.self)
        tcp = try f.optional("tcp").map { node throws(ScenarioError) in try NATTCPSpec(node) }
        ipv6 = try f.optional("ipv6")?.bool() ?? false
        ipv6Firewall = try f.optional("ipv6-firewall")?.string()
        nat64 = try f.optional("nat64")?.bool() ?? false
        if nat64 && f.has("ipv6") { throw try f.required("ipv6").error("a nat64 network is IPv6-only already; leave out 'ipv6'") }
        if ipv6Firewall != nil && !ipv6 && !nat64 {
            throw try f.required("ipv6-firewall").error("'ipv6-firewall' filters the LAN's IPv6: add 'ipv6: true' (or 'nat64: true')")
        }
        behind = try Placement(f.optional("behind"))
        if preset == nil && (mapping == nil || filtering == nil) {
            throw node.error("NAT '\(name)' needs a 'preset' or both 'mapping' and 'filtering'")
        }
    }

    static func portRange(_ node: YAMLNode) throws(ScenarioError) -> ClosedRange<Int> {
        let text = try node.string()
        let parts = text.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts[0] >= 1, parts[0] <= parts[1], parts[1] <= 65535 else {
            throw node.error("port-range must be LOW-HIGH within 1-65535, found '\(text)'")
        }
        return parts[0]...parts[1]
    }
}

/// A stateful firewall: a preset or ordered rules.
public struct FirewallSpec: Sendable {
    public var name: String
    public var location: SourceLocation
    public var preset: String?
    /// UDP ports for the `allow-udp-ports` preset.
    public var ports: [Int]
    public var rules: [FirewallRuleSpec]
    public var defaultAction: FirewallAction?
    public var behind: Placement
    public var keyLocations: [String: SourceLocation] = [:]

    static let keys = ["preset", "ports", "rules", "default", "behind"]

    init(name: String, at keyNode: YAMLNode, _ node: YAMLNode) throws(ScenarioError) {
        try checkName(name, at: keyNode)
        self.name = name
        location = keyNode.location
        let f = try node.fields(allowed: FirewallSpec.keys)
        for key in FirewallSpec.keys { if let v = f.optional(key) { keyLocations[key] = v.location } }
        preset = try f.optional("preset")?.string()
        ports = try f.optional("ports")?.sequence().map { node throws(ScenarioError) in try node.int(in: 1...65535) } ?? []
        rules = try f.optional("rules")?.sequence().map { node throws(ScenarioError) in try FirewallRuleSpec(node) } ?? []
        defaultAction = try f.optional("default")?.choice(of: FirewallAction.self)
        behind = try Placement(f.optional("behind"))
        if preset == nil && rules.isEmpty && defaultAction == nil {
            throw node.error("firewall '\(name)' needs a 'preset', 'rules' or a 'default' action")
        }
    }
}

/// One ordered firewall rule.
public struct FirewallRuleSpec: Sendable {
    public var action: FirewallAction
    public var direction: TrafficDirection?
    public var proto: FirewallProtocol?
    public var source: IPPrefix?
    public var destination: IPPrefix?
    public var ports: ClosedRange<Int>?

    init(_ node: YAMLNode) throws(ScenarioError) {
        let f = try node.fields(allowed: ["action", "direction", "protocol", "from", "to", "ports"])
        action = try f.required("action").choice(of: FirewallAction.self)
        direction = try f.optional("direction")?.choice(of: TrafficDirection.self)
        proto = try f.optional("protocol")?.choice(of: FirewallProtocol.self)
        source = try f.optional("from")?.prefix()
        destination = try f.optional("to")?.prefix()
        if let p = f.optional("ports") {
            if let single = try? p.int(in: 1...65535) { ports = single...single } else { ports = try NATSpec.portRange(p) }
        }
    }
}

/// An end host that runs ICE agents. Public hosts are dual-stack (IPv4 and IPv6);
/// hosts behind a NAT have an IPv4 address on its LAN and, when the NAT's LAN has IPv6
/// (`ipv6`, `nat64`), an IPv6 address.
public struct HostSpec: Sendable {
    public var name: String
    public var location: SourceLocation
    public var behind: Placement
    /// `clat: true`: 464XLAT (RFC 6877) on a host behind a `nat64` NAT: it also gets the
    /// IPv4 address 192.0.0.2, whose packets its CLAT translates to IPv6 towards the NAT64.
    public var clat: Bool
    public var keyLocations: [String: SourceLocation] = [:]

    init(name: String, at keyNode: YAMLNode, _ node: YAMLNode) throws(ScenarioError) {
        try checkName(name, at: keyNode)
        self.name = name
        location = keyNode.location
        let f = try node.fields(allowed: ["behind", "clat"])
        for key in ["behind", "clat"] { if let v = f.optional(key) { keyLocations[key] = v.location } }
        behind = try Placement(f.optional("behind"))
        clat = try f.optional("clat")?.bool() ?? false
    }
}

/// A STUN, TURN or signaling server on the public internet.
public struct ServerSpec: Sendable {
    /// `signaling`: a WebSocket signaling server (rooms as `icelab signal-server` keeps
    /// them) on TCP `port`, 80 by default, that sessions name in `signaling.server`.
    public enum Kind: String, CaseIterable, Sendable { case stun, turn, signaling }

    public var name: String
    public var location: SourceLocation
    public var kind: Kind
    /// A second public address and port (RFC 5780 behavior discovery), STUN only.
    public var alternate: Bool
    public var port: Int
    /// TURN long-term credentials.
    public var users: [(name: String, password: String)]
    public var realm: String
    /// TURN: also accept clients over TCP on `port` (RFC 8656 §3.1; `turn:NAME?transport=tcp`).
    public var tcp: Bool
    /// TURN: accept clients over TLS on this port (`turns:NAME`; 443 passes web-only
    /// firewalls). The certificate is generated from the run's seed.
    public var tlsPort: Int?
    /// TURN: allocations one user may hold at once (486 beyond; default 10).
    public var maxAllocationsPerUser: Int
    /// `ipv6: true`: the server also serves clients on its IPv6 address (UDP), and a TURN
    /// server relays from IPv6 too (REQUESTED-ADDRESS-FAMILY, RFC 8656 §7.1). Without it
    /// the server has no AAAA record: IPv6-only clients reach it through DNS64/NAT64.
    public var ipv6: Bool

    init(name: String, at keyNode: YAMLNode, _ node: YAMLNode) throws(ScenarioError) {
        try checkName(name, at: keyNode)
        self.name = name
        location = keyNode.location
        let f = try node.fields(allowed: ["kind", "alternate", "port", "users", "realm", "tcp", "tls-port",
                                                 "max-allocations-per-user", "ipv6"])
        kind = try f.required("kind").choice(of: Kind.self)
        alternate = try f.optional("alternate")?.bool() ?? false
        port = try f.optional("port")?.int(in: 1...65535) ?? (kind == .signaling ? 80 : 3478)
        users = []
        if let u = f.optional("users") {
            for (user, _, password) in try u.mapping() { users.append((user, try password.string())) }
        }
        realm = try f.optional("realm")?.string() ?? "icelab.test"
        tcp = try f.optional("tcp")?.bool() ?? false
        tlsPort = try f.optional("tls-port")?.int(in: 1...65535)
        maxAllocationsPerUser = try f.optional("max-allocations-per-user")?.int(in: 1...100_000) ?? 10
        ipv6 = try f.optional("ipv6")?.bool() ?? false
        if ipv6 && alternate { throw try f.required("ipv6").error("'ipv6' and 'alternate' do not combine (RFC 5780 discovery runs over IPv4 here)") }
        if kind == .signaling, let key = ["alternate", "users", "realm", "tcp", "tls-port", "max-allocations-per-user", "ipv6"].first(where: f.has) {
            throw try f.required(key).error("'\(key)' does not apply to signaling servers")
        }
        if kind == .stun, let key = ["tcp", "tls-port", "max-allocations-per-user"].first(where: f.has) {
            throw try f.required(key).error("'\(key)' applies to TURN servers only")
        }
        if let tlsPort, tcp && tlsPort == port { throw try f.required("tls-port").error("tls-port \(tlsPort) is the TCP port too") }
        if kind == .turn && users.isEmpty { throw node.error("TURN server '\(name)' needs 'users' (name: password)") }
        if kind == .stun && f.has("users") { throw try f.required("users").error("'users' applies to TURN servers only") }
        if kind == .turn && alternate { throw try f.required("alternate").error("'alternate' applies to STUN servers only") }
    }

    /// Why this server cannot be used as `entry` says, or nil when it can.
    func cannotServe(_ entry: ICEServerReference) -> String? {
        switch (entry.scheme, kind) {
        case (_, .signaling): return "'\(name)' is a signaling server (sessions use it in signaling.server)"
        case (.stun?, .turn): return "'\(name)' is a TURN server (use turn: or turns:)"
        case (.turn?, .stun), (.turns?, .stun): return "'\(name)' is a STUN server (use stun: or the bare name)"
        default: break
        }
        guard let expected = port(for: entry.transport) else {
            return entry.transport == .tls ? "TURN server '\(name)' does not listen on TLS (add 'tls-port', e.g. 443)"
                : "TURN server '\(name)' does not listen on TCP (add 'tcp: true')"
        }
        if let given = entry.port, given != expected { return "'\(name)' listens on \(expected) for \(entry.transport), not \(given)" }
        return nil
    }

    /// The port the server listens on for clients over `transport`, nil when it does not:
    /// UDP on `port`, TCP there too with `tcp`, TLS on `tls-port`; a signaling server TCP only.
    func port(for transport: TransportKind) -> Int? {
        if kind == .signaling { return transport == .tcp ? port : nil }
        switch transport {
        case .udp, .dtls: return port
        case .tcp: return tcp ? port : nil
        case .tls: return tlsPort
        }
    }
}

/// Parameters of the link between two named elements (or an element and `internet`).
public struct LinkSpec: Sendable {
    public var location: SourceLocation
    public var from: String
    public var to: String
    /// Applied to both directions unless `reverse` overrides.
    public var forward: LinkParameters
    public var reverse: LinkParameters?
    public var fromLocation: SourceLocation
    public var toLocation: SourceLocation
    /// `capacity-schedule`: bandwidth changes of one direction, as timeline events.
    public var capacitySchedule: [TimelineEvent] = []

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: ["from", "to"] + LinkParameters.keys + ["reverse", "capacity-schedule"])
        let fromNode = try f.required("from"), toNode = try f.required("to")
        from = try fromNode.string()
        to = try toNode.string()
        fromLocation = fromNode.location
        toLocation = toNode.location
        forward = try LinkParameters(f)
        if let r = f.optional("reverse") {
            var parameters = forward
            try parameters.apply(try r.fields(allowed: LinkParameters.keys))
            reverse = parameters
        }
        if let schedule = f.optional("capacity-schedule") {
            let name = "\(from)-\(to)"
            capacitySchedule = try schedule.sequence().map { step throws(ScenarioError) in
                let g = try step.fields(allowed: ["at", "bandwidth", "direction"])
                _ = try g.required("bandwidth")
                var parameters = LinkParameters()
                try parameters.apply(g)
                let directions = try g.optional("direction")?.choice(of: LinkDirections.self) ?? .forward
                return TimelineEvent(at: try g.required("at").duration(), action: .setLink(name: name, parameters, directions),
                                     location: step.location, targetLocation: step.location)
            }
        }
    }

    /// The link's name in timelines and reports: `from-to`.
    public var name: String { "\(from)-\(to)" }
}

/// Link parameters as written; nil keeps the default.
public struct LinkParameters: Sendable {
    public var latency: Duration?
    public var jitter: Duration?
    public var jitterReorders: Bool?
    /// `jitter-model`: how the delay variation is drawn (RFC 8868 §4.5).
    public var jitterModel: JitterModel?
    /// `jitter-bound`: where the bounded PDV models clamp their Gaussian (default 3 × `jitter`,
    /// RFC 8868 §4.5.3's N_STD).
    public var jitterBound: Duration?
    /// `trace`: the capacity as a Mahimahi trace (replaces `bandwidth`).
    public var trace: CapacityTrace?
    public var loss: Double?
    public var burstLength: Double?
    public var bandwidth: Bitrate?
    public var queueTime: Duration?
    public var queueBytes: ByteCount?
    /// `aqm: drop-tail | codel | pie | fq-codel`, or a mapping with the kind's parameters
    /// (`{ kind: codel, target: 5ms, interval: 100ms, ecn: true }`, `{ kind: pie, target: 15ms }`,
    /// `{ kind: fq-codel, quantum: 1514, flows: 1024, limit: 10240, l4s-step: 1ms }`).
    public var aqm: QueueDiscipline?
    public var duplicate: Double?
    public var reorder: Double?
    public var reorderDelay: Duration?
    public var mtu: Int?
    public var up: Bool?

    public static let keys = ["latency", "jitter", "jitter-reorders", "jitter-model", "jitter-bound", "loss", "burst-length",
                              "bandwidth", "trace", "queue", "aqm", "duplicate", "reorder", "reorder-delay", "mtu", "up"]

    /// `jitter-model:` values: uniform in ±jitter, or RFC 8868 §4.5's bounded PDV models
    /// with a clamped Gaussian's magnitude (σ = `jitter`): RBPDV may reorder packets, NR-BPDV
    /// ("approximately random subject to no-reordering") never does.
    public enum JitterModel: String, CaseIterable, Sendable { case uniform, rbpdv, nrBPDV = "nr-bpdv" }

    init() {}

    init(_ fields: Fields) throws(ScenarioError) {
        try apply(fields)
    }

    mutating func apply(_ f: Fields) throws(ScenarioError) {
        if let v = f.optional("latency") { latency = try v.duration() }
        if let v = f.optional("jitter") { jitter = try v.duration() }
        if let v = f.optional("jitter-reorders") { jitterReorders = try v.bool() }
        if let v = f.optional("jitter-model") {
            let model = try v.choice(of: JitterModel.self)
            if model != .uniform, let reorders = f.optional("jitter-reorders") {
                throw reorders.error("jitter-model \(model.rawValue) decides reordering (rbpdv may reorder, nr-bpdv never does); leave out jitter-reorders")
            }
            jitterModel = model
            if model != .uniform { jitterReorders = nil }
        }
        if let v = f.optional("jitter-bound") {
            let bound = try v.duration()
            guard let model = jitterModel, model != .uniform else {
                throw v.error("jitter-bound truncates the Gaussian of jitter-model rbpdv or nr-bpdv (uniform jitter is bounded by jitter itself)")
            }
            guard bound > .zero, bound >= (jitter ?? .zero) else { throw v.error("jitter-bound must be positive and at least jitter (the standard deviation)") }
            jitterBound = bound
        }
        if let v = f.optional("trace") {
            if let bandwidth = f.optional("bandwidth") { throw bandwidth.error("a link direction takes bandwidth or trace, not both") }
            trace = try CapacityTraceFile.load(v)
            bandwidth = nil
        }
        if let v = f.optional("loss") { loss = try v.percentage() }
        if let v = f.optional("burst-length") {
            let b = try v.double()
            guard b >= 1 else { throw v.error("burst-length is a mean number of packets, at least 1") }
            burstLength = b
        }
        if let v = f.optional("bandwidth") {
            let rate = try v.bitrate()
            guard rate.bitsPerSecond > 0 else { throw v.error("bandwidth must be positive") }
            bandwidth = rate
            trace = nil
        }
        if let v = f.optional("queue") {
            let text = try v.string()
            if text.hasSuffix("B") { queueBytes = try v.byteCount() } else { queueTime = try v.duration() }
        }
        if let v = f.optional("aqm") { aqm = try Self.discipline(v) }
        if let v = f.optional("duplicate") { duplicate = try v.percentage() }
        if let v = f.optional("reorder") { reorder = try v.percentage() }
        if let v = f.optional("reorder-delay") { reorderDelay = try v.duration() }
        if let v = f.optional("mtu") { mtu = try v.int(in: 68...65535) }
        if let v = f.optional("up") { up = try v.bool() }
    }

    /// The kinds `aqm:` names.
    enum DisciplineKind: String, CaseIterable { case dropTail = "drop-tail", codel, pie, fqCodel = "fq-codel" }

    /// The parameters each kind takes in the mapping form.
    private static func parameterKeys(of kind: DisciplineKind) -> [String] {
        switch kind {
        case .dropTail: []
        case .codel: ["target", "interval", "ecn", "l4s-step"]
        case .pie: ["target", "update-interval", "max-burst", "alpha", "beta", "ecn"]
        case .fqCodel: ["target", "interval", "ecn", "l4s-step", "quantum", "flows", "limit"]
        }
    }

    /// `aqm:` as a kind alone or a mapping with the kind's parameters.
    private static func discipline(_ node: YAMLNode) throws(ScenarioError) -> QueueDiscipline {
        guard node.isMapping else {
            switch try node.choice(of: DisciplineKind.self) {
            case .dropTail: return .dropTail
            case .codel: return .codel(CoDelParameters())
            case .pie: return .pie(PIEParameters())
            case .fqCodel: return .fqCodel(FQCoDelParameters())
            }
        }
        let allKeys = DisciplineKind.allCases.flatMap(parameterKeys(of:))
        let f = try node.fields(allowed: ["kind"] + allKeys)
        let kind = try f.required("kind").choice(of: DisciplineKind.self)
        let allowed = parameterKeys(of: kind)
        for key in allKeys where f.has(key) && !allowed.contains(key) {
            throw try f.required(key).error("'\(key)' is not a parameter of \(kind.rawValue)")
        }
        switch kind {
        case .dropTail:
            return .dropTail
        case .pie:
            var parameters = PIEParameters()
            if let v = f.optional("target") { parameters.target = try v.duration() }
            if let v = f.optional("update-interval") { parameters.updateInterval = try v.duration() }
            if let v = f.optional("max-burst") { parameters.maximumBurst = try v.duration() }
            if let v = f.optional("alpha") { parameters.alpha = try v.double() }
            if let v = f.optional("beta") { parameters.beta = try v.double() }
            if let v = f.optional("ecn") { parameters.ecn = try v.bool() }
            guard parameters.target > .zero, parameters.updateInterval >= .milliseconds(1), parameters.maximumBurst >= .zero,
                  parameters.alpha > 0, parameters.beta > 0 else {
                throw node.error("PIE needs a positive target, alpha and beta, an update-interval of at least 1ms and a max-burst of at least 0")
            }
            return .pie(parameters)
        case .codel:
            return .codel(try codelParameters(node, f, defaults: CoDelParameters()))
        case .fqCodel:
            var parameters = FQCoDelParameters()
            parameters.codel = try codelParameters(node, f, defaults: parameters.codel)
            if let v = f.optional("quantum") { parameters.quantum = try v.int(in: 64...65536) }
            if let v = f.optional("flows") { parameters.flows = try v.int(in: 1...65536) }
            if let v = f.optional("limit") { parameters.limit = try v.int(in: 1...1_000_000) }
            return .fqCodel(parameters)
        }
    }

    /// CoDel's keys, for `codel` and for each flow of `fq-codel`.
    private static func codelParameters(_ node: YAMLNode, _ f: Fields, defaults: CoDelParameters) throws(ScenarioError) -> CoDelParameters {
        var parameters = defaults
        if let v = f.optional("target") { parameters.target = try v.duration() }
        if let v = f.optional("interval") { parameters.interval = try v.duration() }
        if let v = f.optional("ecn") { parameters.ecn = try v.bool() }
        if let v = f.optional("l4s-step") {
            let step = try v.duration()
            guard step > .zero else { throw v.error("l4s-step is a positive queueing delay (RFC 9332 suggests 1ms)") }
            parameters.l4sStep = step
        }
        guard parameters.target > .zero, parameters.interval > parameters.target else {
            throw node.error("CoDel needs 0 < target < interval (RFC 8289 §4.3-4.4: 5ms and 100ms)")
        }
        return parameters
    }
}
