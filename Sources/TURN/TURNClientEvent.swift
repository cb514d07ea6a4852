import NetTypes
import STUN

/// What a TURN client reports to its owner (the ICE agent, a test, a benchmark).
public enum TURNClientEvent: Hashable, Sendable {
    /// The allocation exists.
    case allocated(TURNAllocation)
    /// Allocating failed for good (after credential, nonce and redirect retries).
    case allocationFailed(TURNClientFailure)
    /// A Refresh succeeded with this lifetime.
    case refreshed(lifetime: Duration)
    /// The allocation is gone without the client asking: refreshes failed until it
    /// expired, or the server answered 437.
    case allocationExpired
    /// The allocation was released (Refresh with LIFETIME 0).
    case deallocated
    /// The server installed (or refreshed) a permission for this peer address.
    case permissionCreated(IPAddress)
    /// CreatePermission failed; data queued for that peer is dropped.
    case permissionFailed(IPAddress, TURNClientFailure)
    /// A channel is bound (or refreshed) to `peer`.
    case channelBound(peer: Endpoint, channel: UInt16)
    /// ChannelBind failed; data to that peer goes in Send indications.
    case channelBindFailed(peer: Endpoint, TURNClientFailure)
    /// Data a peer sent to the relayed address.
    case data(from: Endpoint, [UInt8], ecn: ECNCodepoint = .notECT)
}

/// The allocation a server granted.
public struct TURNAllocation: Hashable, Sendable {
    /// Relayed transport addresses (two with ADDITIONAL-ADDRESS-FAMILY).
    public var relayed: [Endpoint]
    /// The client's address as the server saw it (XOR-MAPPED-ADDRESS).
    public var mapped: Endpoint?
    public var lifetime: Duration
    /// ADDRESS-ERROR-CODE: a family the server could not allocate.
    public var refusedFamilies: [AddressFamily: STUNErrorCode]
    /// The server that granted it (after redirects).
    public var server: Endpoint
}

/// Why a TURN request failed.
public enum TURNClientFailure: Hashable, Sendable, CustomStringConvertible {
    /// An error response.
    case error(STUNErrorCode)
    /// No response before the retransmissions ran out.
    case timeout
    /// A success response missing what it must carry.
    case badResponse(String)
    /// The TCP or TLS connection to the server closed or could not be opened.
    case connectionClosed

    public var description: String {
        switch self {
        case .error(let code): return "error \(code)"
        case .timeout: return "timeout"
        case .badResponse(let why): return "bad response: \(why)"
        case .connectionClosed: return "connection to the server closed"
        }
    }
}
