/// One media section: an `m=` line and the `i=`, `c=`, `b=`, `k=` and `a=` lines under it.
public struct MediaDescription: Hashable, Sendable, AttributeContainer {
    public var kind: MediaKind
    /// The transport port; 0 marks a rejected or disabled section, 9 the WebRTC placeholder.
    public var port: UInt16
    /// The number of consecutive ports (`m=audio 49170/2 ...`), when written.
    public var portCount: UInt16?
    /// The transport protocol, e.g. `UDP/TLS/RTP/SAVPF` or `UDP/DTLS/SCTP`.
    public var transportProtocol: String
    /// Media formats: RTP payload types, or `webrtc-datachannel`.
    public var formats: [String]
    public var information: String?
    public var connections: [ConnectionData]
    public var bandwidths: [Bandwidth]
    /// The obsolete `k=` line, kept for lossless round trips.
    public var encryptionKey: String?
    public var attributes: [Attribute]

    public init(kind: MediaKind, port: UInt16 = 9, portCount: UInt16? = nil, transportProtocol: String,
                formats: [String], information: String? = nil, connections: [ConnectionData] = [],
                bandwidths: [Bandwidth] = [], encryptionKey: String? = nil, attributes: [Attribute] = []) {
        self.kind = kind
        self.port = port
        self.portCount = portCount
        self.transportProtocol = transportProtocol
        self.formats = formats
        self.information = information
        self.connections = connections
        self.bandwidths = bandwidths
        self.encryptionKey = encryptionKey
        self.attributes = attributes
    }

    /// Parses the value of an `m=` line.
    init(mediaLine value: Substring) throws(SDPParseError) {
        func bad(_ why: String) -> SDPParseError { SDPParseError(.badLine("m", value: String(value), why: why)) }
        let fields = value.fields
        guard fields.count >= 4 else { throw bad("expected '<media> <port>[/<count>] <proto> <fmt> ...'") }
        let portParts = fields[1].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let port = UInt16(digits: portParts[0]) else { throw bad("port must be a number from 0 to 65535") }
        var portCount: UInt16?
        if portParts.count == 2 {
            guard let count = UInt16(digits: portParts[1]) else { throw bad("port count must be a number") }
            portCount = count
        }
        self.init(kind: MediaKind(rawValue: String(fields[0])), port: port, portCount: portCount,
                  transportProtocol: String(fields[2]), formats: fields.dropFirst(3).map(String.init))
    }

    /// The value of the `m=` line (what trickled fragments repeat, RFC 8840 §9).
    public var mediaLine: String {
        let ports = portCount.map { "\(port)/\($0)" } ?? "\(port)"
        return ([kind.rawValue, ports, transportProtocol] + formats).joined(separator: " ")
    }

    /// Whether the section is rejected or disabled (port 0, RFC 3264 6).
    public var isRejected: Bool { port == 0 }
}
