/// What a TURN server core has done: for operators, benchmarks and tests.
public struct TURNServerCounters: Hashable, Sendable {
    /// Allocations that exist now.
    public var allocationsActive = 0
    /// Allocations ever created.
    public var allocationsTotal = 0
    /// Requests answered, and error responses by code.
    public var requests = 0
    public var errorResponses: [Int: Int] = [:]
    /// Responses by method and result (success, or the error code).
    public var responses: [TURNResponseKind: Int] = [:]
    /// Requests with MESSAGE-INTEGRITY refused 401: unknown user, wrong password, expired
    /// REST username (the first, unsigned request of each client is challenged uncounted).
    public var authFailures = 0
    /// Permissions installed or refreshed (one per peer address of a CreatePermission, and
    /// one per ChannelBind), and channels bound or refreshed.
    public var permissionsInstalled = 0
    public var channelsBound = 0
    /// Data relayed from clients to peers.
    public var packetsToPeers = 0
    public var bytesToPeers = 0
    /// Data relayed from peers to clients.
    public var packetsToClients = 0
    public var bytesToClients = 0
    /// Client connections over TCP/TLS accepted, refused (over a bound), and closed for
    /// idling without an allocation.
    public var streamsTotal = 0
    public var streamsRefused = 0
    public var streamsTimedOut = 0
    /// Datagrams dropped without an answer, by reason.
    public var dropped: [TURNServerDropReason: Int] = [:]

    public init() {}

    /// Packets relayed in both directions.
    public var relayedPackets: Int { packetsToPeers + packetsToClients }
    /// Payload bytes relayed in both directions.
    public var relayedBytes: Int { bytesToPeers + bytesToClients }
    /// All dropped datagrams.
    public var droppedTotal: Int { dropped.values.reduce(0, +) }
}

/// A response's method and result, for counting requests by both.
public struct TURNResponseKind: Hashable, Sendable {
    /// The method, e.g. `Allocate`.
    public var method: String
    /// The error code; nil for a success response.
    public var errorCode: Int?

    public init(method: String, errorCode: Int?) {
        self.method = method
        self.errorCode = errorCode
    }
}

/// Why a TURN server dropped a datagram without answering.
public enum TURNServerDropReason: String, Hashable, Sendable, CaseIterable {
    /// Neither STUN nor ChannelData.
    case notTURN = "not-turn"
    /// STUN or ChannelData framing that does not decode, or an indication missing attributes.
    case malformed
    /// FINGERPRINT present and wrong.
    case badFingerprint = "bad-fingerprint"
    /// A response, or an indication other than Send.
    case unexpectedMessage = "unexpected-message"
    /// Send indication or ChannelData on a 5-tuple without allocation.
    case noAllocation = "no-allocation"
    /// To or from a peer without a (live) permission.
    case noPermission = "no-permission"
    /// ChannelData on a channel number not (or no longer) bound.
    case noChannel = "no-channel"
    /// A peer of a family the allocation has no relayed address for.
    case familyMismatch = "family-mismatch"
    /// To or from a peer the policy refuses, or one of the server's own transport addresses.
    case forbiddenPeer = "forbidden-peer"
    /// Sent to an address the server does not own.
    case unknownLocalEndpoint = "unknown-local-endpoint"
    /// For a client whose TCP/TLS connection is gone.
    case noConnection = "no-connection"
    /// Over the user's relayed bandwidth quota (`maxBitsPerSecondPerUser`).
    case userBandwidth = "user-bandwidth"
}
