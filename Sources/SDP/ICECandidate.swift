import NetTypes

/// An ICE candidate as carried in `a=candidate` lines and trickled between peers
/// (RFC 8839 5.1, RFC 8445 5.1, RFC 6544 for TCP).
///
/// A standalone value: the ICE agent uses it for local and remote candidates. It parses
/// the attribute value with or without the `candidate:` prefix; known extensions
/// (`generation`, `ufrag`, `network-id`, `network-cost`, `tcptype`) become fields, and
/// unknown ones are kept in order. Serialization writes the transport in lower case and
/// extensions in the order Chrome uses.
public struct ICECandidate: Hashable, Sendable, SDPAttributeValue, CustomStringConvertible {
    public static let attributeName = "candidate"

    /// Groups candidates of the same type, base and server (1 to 32 ice-chars).
    public var foundation: String
    /// 1 for RTP, 2 for RTCP.
    public var component: UInt16
    /// `.udp` or `.tcp`.
    public var transport: TransportKind
    /// The RFC 8445 5.1.2 priority.
    public var priority: UInt32
    public var address: CandidateAddress
    public var port: UInt16
    public var type: CandidateType
    /// `raddr`: the base or mapped address a reflexive or relayed candidate comes from.
    public var relatedAddress: CandidateAddress?
    /// `rport`.
    public var relatedPort: UInt16?
    /// `tcptype`, for TCP candidates.
    public var tcpType: TCPCandidateType?
    /// `generation` (a legacy Chrome extension counting ICE restarts).
    public var generation: UInt32?
    /// `ufrag`: the username fragment the candidate belongs to.
    public var usernameFragment: String?
    /// `network-id` (Chrome).
    public var networkID: UInt32?
    /// `network-cost` (Chrome): 10 for Ethernet/Wi-Fi, 900 for cellular.
    public var networkCost: UInt32?
    /// Extension attributes not listed above, in order.
    public var extensions: [CandidateExtension]

    public init(foundation: String, component: UInt16 = 1, transport: TransportKind = .udp, priority: UInt32,
                address: CandidateAddress, port: UInt16, type: CandidateType,
                relatedAddress: CandidateAddress? = nil, relatedPort: UInt16? = nil,
                tcpType: TCPCandidateType? = nil, generation: UInt32? = nil, usernameFragment: String? = nil,
                networkID: UInt32? = nil, networkCost: UInt32? = nil, extensions: [CandidateExtension] = []) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.tcpType = tcpType
        self.generation = generation
        self.usernameFragment = usernameFragment
        self.networkID = networkID
        self.networkCost = networkCost
        self.extensions = extensions
    }

    /// Parses `candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host ...` or the same
    /// text without the `candidate:` prefix.
    public init(parsing text: some StringProtocol) throws(SDPParseError) {
        var value = Substring(text)
        if value.hasPrefix("candidate:") { value = value.dropFirst("candidate:".count) }
        try self.init(attributeValue: value)
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        func bad(_ why: String) -> SDPParseError { Self.bad(value, why) }
        let f = value.fields
        guard f.count >= 8, f[6] == "typ" else {
            throw bad("expected '<foundation> <component> <transport> <priority> <address> <port> typ <type>'")
        }
        guard (1...32).contains(f[0].count), f[0].utf8.allSatisfy(Self.isICEChar) else {
            throw bad("foundation must be 1 to 32 letters, digits, '+' or '/'")
        }
        guard f[1].count <= 3, let component = UInt16(digits: f[1]), component >= 1 else {
            throw bad("component must be a number from 1 to 256")
        }
        guard let transport = Self.transport(f[2]) else { throw bad("transport '\(f[2])' is neither UDP nor TCP") }
        guard let priority = UInt32(digits: f[3]) else { throw bad("priority must be a number below 2^32") }
        guard let address = CandidateAddress(parsing: f[4]) else { throw bad("'\(f[4])' is not an IP address or host name") }
        guard let port = UInt16(digits: f[5]) else { throw bad("port must be a number from 0 to 65535") }
        guard let type = CandidateType(rawValue: String(f[7])) else {
            throw bad("candidate type '\(f[7])' is not host, srflx, prflx or relay")
        }
        self.init(foundation: String(f[0]), component: component, transport: transport, priority: priority,
                  address: address, port: port, type: type)
        let rest = f.dropFirst(8)
        guard rest.count % 2 == 0 else { throw bad("extension '\(rest.last ?? "")' has no value") }
        var index = rest.startIndex
        while index < rest.endIndex {
            try setExtension(rest[index], rest[index + 1], in: value)
            index += 2
        }
    }

    /// Stores one `name value` pair after `typ <type>`.
    private mutating func setExtension(_ name: Substring, _ text: Substring, in value: Substring) throws(SDPParseError) {
        func number<T: FixedWidthInteger>(_: T.Type) throws(SDPParseError) -> T {
            guard let n = T(digits: text) else { throw Self.bad(value, "\(name) must be a number, not '\(text)'") }
            return n
        }
        switch name {
        case "raddr":
            guard let related = CandidateAddress(parsing: text) else {
                throw Self.bad(value, "raddr '\(text)' is not an IP address or host name")
            }
            relatedAddress = related
        case "rport": relatedPort = try number(UInt16.self)
        case "tcptype":
            guard let tcp = TCPCandidateType(rawValue: String(text)) else {
                throw Self.bad(value, "tcptype '\(text)' is not active, passive or so")
            }
            tcpType = tcp
        case "generation": generation = try number(UInt32.self)
        case "ufrag": usernameFragment = String(text)
        case "network-id": networkID = try number(UInt32.self)
        case "network-cost": networkCost = try number(UInt32.self)
        default: extensions.append(CandidateExtension(name: String(name), value: String(text)))
        }
    }

    private static func transport(_ text: Substring) -> TransportKind? {
        switch text.lowercased() {
        case "udp": return .udp
        case "tcp": return .tcp
        default: return nil
        }
    }

    /// ALPHA / DIGIT / "+" / "/" (RFC 8839 ice-char).
    private static func isICEChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// The transport address, when the connection address is an IP address.
    public var endpoint: Endpoint? {
        address.ipAddress.map { Endpoint($0, port) }
    }

    /// The related transport address (`raddr`/`rport`), when both are present and `raddr` is an IP.
    public var relatedEndpoint: Endpoint? {
        guard let ip = relatedAddress?.ipAddress, let relatedPort else { return nil }
        return Endpoint(ip, relatedPort)
    }

    public var attributeValue: String {
        // Appended into one string: this runs for every trickled candidate.
        var text = foundation
        text.reserveCapacity(foundation.utf8.count + 96)
        func field(_ value: some CustomStringConvertible) {
            text += " "
            text += value.description
        }
        func add(_ name: String, _ value: (some CustomStringConvertible)?) {
            if let value {
                field(name)
                field(value)
            }
        }
        field(component)
        field(transport.rawValue)
        field(priority)
        field(address)
        field(port)
        field("typ")
        field(type.rawValue)
        add("raddr", relatedAddress)
        add("rport", relatedPort)
        add("tcptype", tcpType)
        add("generation", generation)
        add("ufrag", usernameFragment)
        add("network-id", networkID)
        add("network-cost", networkCost)
        for e in extensions {
            field(e.name)
            field(e.value)
        }
        return text
    }

    /// `candidate:<value>`, the form of `RTCIceCandidate.candidate` used for trickling.
    public var description: String { "candidate:" + attributeValue }
}
