/// What a STUN server core has seen: for operators and tests.
public struct STUNServerCounters: Hashable, Sendable {
    /// Well-formed requests received.
    public var requests = 0
    public var successResponses = 0
    public var errorResponses = 0
    /// Datagrams dropped without an answer, by reason.
    public var dropped: [STUNServerDropReason: Int] = [:]

    public init() {}

    /// All dropped datagrams.
    public var droppedTotal: Int { dropped.values.reduce(0, +) }
}

/// Why a server dropped a datagram without answering.
public enum STUNServerDropReason: String, Hashable, Sendable, CaseIterable {
    /// The first byte is not in STUN's range 0-3.
    case notSTUN = "not-stun"
    /// STUN's first byte but not a well-formed message.
    case malformed
    /// FINGERPRINT present and wrong.
    case badFingerprint = "bad-fingerprint"
    /// An indication or a response: nothing to answer.
    case notARequest = "not-a-request"
    /// Sent to an address the server does not own.
    case unknownLocalEndpoint = "unknown-local-endpoint"
}
