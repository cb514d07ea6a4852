import NetTypes
import STUN

/// The server's state of one allocation (RFC 8656 §3): who owns it, its relayed
/// transport addresses, lifetime, permissions and channels.
///
/// Permissions and channels expire lazily: they are checked against `now` when used and
/// pruned when the client touches the allocation, so no timer exists per permission.
struct ServerAllocation {
    /// Distinguishes allocations that reuse a 5-tuple in timers.
    let serial: UInt64
    let fiveTuple: FiveTuple
    let username: String
    /// Whom quotas count this allocation against (`TURNServer.quotaUser(of:)`).
    let quotaUser: String
    let authenticator: STUNAuthenticator
    /// The Allocate transaction, so that a retransmission gets the same answer.
    let allocateTransaction: STUNTransactionID
    /// One per family (IPv4 first when both).
    var relayed: [Endpoint]
    /// Attributes of the Allocate success response besides the lifetime.
    var allocateAttributes: [STUNAttribute]
    var lifetime: Duration
    var expires: Instant
    /// Peer IP address → expiry.
    var permissions: [IPAddress: Instant] = [:]
    /// Channel number → binding, and the reverse map.
    var channels: [UInt16: ChannelBinding] = [:]
    var channelOfPeer: [Endpoint: UInt16] = [:]

    struct ChannelBinding {
        var peer: Endpoint
        var expires: Instant
    }

    /// After a channel expires, neither its number nor its peer may be bound otherwise for
    /// this long (RFC 8656 §12).
    static let channelQuarantine = Duration.seconds(300)

    var summary: TURNAllocationSummary {
        TURNAllocationSummary(fiveTuple: fiveTuple, username: username, relayed: relayed, lifetime: lifetime)
    }

    func relayed(for family: AddressFamily) -> Endpoint? { relayed.first { $0.address.family == family } }

    func permits(_ peer: IPAddress, now: Instant) -> Bool { permissions[peer].map { now < $0 } ?? false }

    /// The live channel bound to `peer`, if any.
    func channel(to peer: Endpoint, now: Instant) -> UInt16? {
        guard let number = channelOfPeer[peer], let binding = channels[number], now < binding.expires else { return nil }
        return number
    }

    /// The peer of live channel `number`, if any.
    func peer(ofChannel number: UInt16, now: Instant) -> Endpoint? {
        guard let binding = channels[number], now < binding.expires else { return nil }
        return binding.peer
    }

    /// Forgets expired permissions and channels past their quarantine.
    mutating func prune(now: Instant) {
        permissions = permissions.filter { now < $0.value }
        for (number, binding) in channels where binding.expires + Self.channelQuarantine <= now {
            channels[number] = nil
            channelOfPeer[binding.peer] = nil
        }
    }

    /// Binds (or refreshes) `number` to `peer`; false when either is bound otherwise
    /// (within quarantine).
    mutating func bind(_ number: UInt16, to peer: Endpoint, until expires: Instant) -> Bool {
        if let existing = channels[number], existing.peer != peer { return false }
        if let other = channelOfPeer[peer], other != number { return false }
        channels[number] = ChannelBinding(peer: peer, expires: expires)
        channelOfPeer[peer] = number
        return true
    }
}
