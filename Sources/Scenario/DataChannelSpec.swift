import NetTypes
import SCTP

/// A data channel of a session (`data:` entries): opened by one side over the session's
/// SCTP association (RFC 8831, carried by its DTLS, RFC 8261) and driven by a workload —
/// a file sent as fast as the channel's buffer allows, a steady message stream, or
/// requests answered by the other side.
public struct DataChannelSpec: Sendable {
    public enum Direction: String, CaseIterable, Sendable {
        case offererToAnswerer = "offerer-to-answerer"
        case answererToOfferer = "answerer-to-offerer"
    }

    /// The channel's priority (W3C `RTCPriorityType`), carried in DATA_CHANNEL_OPEN as
    /// RFC 8832 §5.1 priority and used as its stream's weight by the association's
    /// weighted fair queueing scheduler (1:2:4:8).
    public enum Priority: String, CaseIterable, Sendable {
        case veryLow = "very-low"
        case low
        case medium
        case high

        /// The RFC 8832 priority value.
        public var value: UInt16 {
            switch self {
            case .veryLow: SCTPStreamPriority.veryLow
            case .low: SCTPStreamPriority.low
            case .medium: SCTPStreamPriority.medium
            case .high: SCTPStreamPriority.high
            }
        }
    }

    /// How the channel gives up on messages (RFC 8831 §6.1; `RTCDataChannelInit`).
    public enum Reliability: Sendable, Equatable {
        case reliable
        case maxRetransmits(Int)
        case maxPacketLifetime(Duration)

        /// As the results record it.
        public var name: String {
            switch self {
            case .reliable: "reliable"
            case .maxRetransmits(let n): "max-retransmits=\(n)"
            case .maxPacketLifetime(let d): "max-packet-lifetime=\(Int(d.milliseconds))ms"
            }
        }
    }

    public enum Workload: Sendable, Equatable {
        /// `bytes` in messages of `messageSize`, keeping the buffered amount between a low
        /// and a high water mark like the WebRTC samples' file transfer.
        case file(bytes: Int64, messageSize: Int)
        /// Messages of `size` bytes, `rate` per second (chat, game state).
        case messages(rate: Double, size: Int)
        /// Requests of `request` bytes, `rate` per second; the receiver answers each
        /// with `response` bytes on the same channel.
        case requestResponse(rate: Double, request: Int, response: Int)

        public var kind: String {
            switch self {
            case .file: "file"
            case .messages: "messages"
            case .requestResponse: "request-response"
            }
        }
    }

    public var label: String
    public var direction: Direction
    public var ordered: Bool
    public var priority: Priority
    public var reliability: Reliability
    /// A pre-agreed stream id (RFC 8832 §4: no DCEP); nil: opened in band.
    public var negotiatedID: UInt16?
    /// The channel opens at this time or when the sender's DTLS connects, whichever is later.
    public var start: Duration
    /// The session's first data channel is created mid-call: its application section is
    /// not in the first offer but added by a new offer when the channel starts (RFC 8829
    /// §4.1.8); the SCTP association starts once that exchange completes. Every channel
    /// of the session says so or none: later channels open in band without one.
    public var renegotiate: Bool
    /// Whether the session's associations offer (`true`), accept (`accept`) or refuse
    /// (`false`, the default, like browsers) user message interleaving (RFC 8260 I-DATA).
    /// It is per association: the session's associations take the strongest any channel
    /// asks for (offer over accept over off). Two accepting sides use DATA, as two live
    /// icelab peers would without either offering.
    public var interleaving: SCTPInterleaving
    public var workload: Workload
    public var location: SourceLocation

    /// The smallest message: a workload message carries a sequence number and its send
    /// time (16 bytes) so the receiver can check order and measure latency.
    public static let headerSize = 16
    /// The largest message (the association's max-message-size, RFC 8841).
    public static let maxMessageSize = 256 * 1024

    public static let keys = ["label", "direction", "ordered", "priority", "max-retransmits", "max-packet-lifetime", "negotiated", "start",
                              "renegotiate", "interleaving", "file", "message-size", "messages", "request-response"]
    static let workloads = ["file", "messages", "request-response"]

    /// `interleaving:`: true offers I-DATA, accept accepts it, false refuses it.
    static func interleaving(_ node: YAMLNode) throws(ScenarioError) -> SCTPInterleaving {
        let text = try node.string()
        if text == SCTPInterleaving.accept.rawValue { return .accept }
        guard let offer = try? node.bool() else {
            throw node.error("'\(text)' is not valid for 'interleaving': expected true (offer I-DATA), accept or false")
        }
        return offer ? .offer : .off
    }

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: Self.keys)
        let labelNode = try f.required("label")
        label = try labelNode.string()
        // Series name a channel `SESSION/LABEL`, media flows `SESSION/N`.
        if label.isEmpty || label.contains("/") || label.allSatisfy(\.isNumber) {
            throw labelNode.error("a channel label is not empty, not a number and has no '/'")
        }
        direction = try f.optional("direction")?.choice(of: Direction.self) ?? .offererToAnswerer
        ordered = try f.optional("ordered")?.bool() ?? true
        priority = try f.optional("priority")?.choice(of: Priority.self) ?? .low
        switch (f.optional("max-retransmits"), f.optional("max-packet-lifetime")) {
        case (.some, .some(let lifetime)):
            throw lifetime.error("a channel takes max-retransmits or max-packet-lifetime, not both")
        case (.some(let count), nil):
            reliability = .maxRetransmits(try count.int(in: 0...65_535))
        case (nil, .some(let lifetime)):
            let value = try lifetime.duration()
            guard value >= .zero, value <= .seconds(65) else { throw lifetime.error("max-packet-lifetime must be 0...65535ms") }
            reliability = .maxPacketLifetime(value)
        case (nil, nil):
            reliability = .reliable
        }
        negotiatedID = try f.optional("negotiated").map { n throws(ScenarioError) in UInt16(try n.int(in: 0...65_534)) }
        start = try f.optional("start")?.duration() ?? .zero
        interleaving = try f.optional("interleaving").map(Self.interleaving) ?? .off
        if start < .zero { throw try f.required("start").error("start must not be negative") }
        renegotiate = try f.optional("renegotiate")?.bool() ?? false
        let present = Self.workloads.filter { f.has($0) }
        guard present.count == 1, let w = f.optional(present[0]) else {
            throw node.error("a data channel has exactly one workload: \(Self.workloads.joined(separator: ", "))")
        }
        if present[0] != "file", let size = f.optional("message-size") {
            throw size.error("message-size belongs to a file workload")
        }
        switch present[0] {
        case "file":
            let bytes = try w.byteCount().bytes
            guard bytes > 0 else { throw w.error("file must be a positive size") }
            let size = try f.optional("message-size").map(Self.messageSize) ?? 64 * 1024
            workload = .file(bytes: bytes, messageSize: size)
        case "messages":
            let g = try w.fields(allowed: ["rate", "size"])
            workload = .messages(rate: try Self.rate(g.required("rate")), size: try Self.messageSize(g.required("size")))
        default:
            let g = try w.fields(allowed: ["rate", "request", "response"])
            workload = .requestResponse(rate: try Self.rate(g.required("rate")), request: try Self.messageSize(g.required("request")),
                                        response: try Self.messageSize(g.required("response")))
        }
    }

    /// The side that opens the channel and sends the workload.
    var fromOfferer: Bool { direction == .offererToAnswerer }

    /// A message size: 16 B (the workload header) to 256 KiB (max-message-size).
    static func messageSize(_ node: YAMLNode) throws(ScenarioError) -> Int {
        let bytes = try node.byteCount().bytes
        guard bytes >= Int64(headerSize), bytes <= Int64(maxMessageSize) else {
            throw node.error("a message size is \(headerSize)B to 256KiB, found \(bytes) bytes")
        }
        return Int(bytes)
    }

    /// A rate `20/s` (or a bare number per second), 0.1 to 10000 per second.
    static func rate(_ node: YAMLNode) throws(ScenarioError) -> Double {
        let text = try node.string()
        let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
        guard let value = Double(number), value.isFinite, value >= 0.1, value <= 10_000 else {
            throw node.error("expected a rate like 20/s (0.1/s to 10000/s), found '\(text)'")
        }
        return value
    }
}
