import NetTypes
import STUN

/// A TURN server core (RFC 8656) over UDP: allocations, permissions, channels, Send and
/// Data indications, ChannelData; long-term credentials with stateless expiring nonces.
///
/// The core owns two kinds of local transport addresses. It receives client traffic on
/// the configured listening endpoints and peer traffic on the relayed endpoints it
/// allocates; every datagram it emits has as `source` the local endpoint it must leave
/// from. `.bindRelay` / `.relayClosed` events tell the driver which relayed endpoints to
/// bind and close. An Allocate is answered only once the driver has bound its relayed
/// endpoint (`relayBound(_:now:)`); when the bind fails (`relayUnavailable(_:because:now:)`)
/// the core tries other ports of the range and answers 508 when none can be had.
///
/// Safety: unauthenticated or malformed requests never allocate; peers are filtered by
/// `TURNPeerPolicy` (see there for the defaults); per-user quota (486) and capacity
/// (508) bound the state. Responses to unauthenticated requests are challenges that
/// carry no more than REALM, NONCE and SOFTWARE.
///
/// Clients may also come over TCP and TLS (`configuration.streamListening`, see
/// `TURNServer+Streams`): the server is a `StreamCore`.
public struct TURNServer: StreamCore {
    public typealias Event = TURNServerEvent

    public let configuration: TURNServerConfiguration
    public internal(set) var counters = TURNServerCounters()
    var rng: Xoshiro256
    let nonces: TURNNonce
    let authenticators: [String: STUNAuthenticator]
    /// The server's own addresses, refused as peers by default.
    let ownAddresses: Set<IPAddress>
    /// The addresses relayed endpoints live on.
    let relayAddresses: Set<IPAddress>
    /// The listening endpoints (a few: searched, not hashed, on every datagram).
    let listening: [Endpoint]
    var allocations: [FiveTuple: ServerAllocation] = [:]
    /// Accepted Allocates whose relayed endpoints the driver is binding.
    var pendingAllocations: [FiveTuple: PendingAllocation] = [:]
    /// Relayed endpoint (bound, or being bound) → the allocation's 5-tuple.
    var relayIndex: [Endpoint: FiveTuple] = [:]
    var allocationsPerUser: [String: Int] = [:]
    /// Ports kept by EVEN-PORT's R bit for a later Allocate with RESERVATION-TOKEN.
    var reservations: [UInt64: (endpoint: Endpoint, expires: Instant)] = [:]
    var expiries = DeadlineHeap<(FiveTuple, UInt64)>()
    var nextSerial: UInt64 = 0
    /// Client connections over TCP and TLS, by 5-tuple.
    var streams: [FiveTuple: TURNStream] = [:]
    var streamsPerSource: [IPAddress: Int] = [:]
    /// When to look at a connection again for the idle timeout (lazy, like `expiries`).
    var streamChecks = DeadlineHeap<FiveTuple>()
    /// The latest `now` of an input: the time stream writes (TLS records) happen at.
    var lastInput = Instant.zero
    var outputs = OutputQueue<Event>()
    /// HMAC-SHA1 keys of the REST secrets, in configuration order.
    let restKeys: [STUNAuthenticator]
    /// Unix time (seconds) at `Instant.zero`, from the driver's wall clock; nil until set
    /// (REST usernames are then refused: their expiry cannot be judged).
    var unixTimeAtZero: Double?
    /// Per-user relay bandwidth buckets (`maxBitsPerSecondPerUser`), by quota user.
    var bandwidth: [String: TokenBucket] = [:]
    /// Whether new allocations are refused (a graceful shutdown is under way).
    public private(set) var isDraining = false

    /// A server drawing relay ports, nonce secret and indication IDs from `rng`.
    public init(configuration: TURNServerConfiguration, rng: Xoshiro256) {
        self.configuration = configuration
        var rng = rng
        var secret: [UInt8] = []
        for _ in 0..<4 { secret += withUnsafeBytes(of: rng.next()) { Array($0) } }
        self.rng = rng
        nonces = TURNNonce(secret: secret, lifetime: configuration.nonceLifetime)
        var authenticators: [String: STUNAuthenticator] = [:]
        for (user, password) in configuration.users {
            if let key = STUNKey.longTerm(username: user, realm: configuration.realm, password: password) {
                authenticators[user] = STUNAuthenticator(key: key)
            }
        }
        self.authenticators = authenticators
        restKeys = configuration.restSecrets.map { STUNAuthenticator(key: STUNKey(bytes: Array($0.utf8))) }
        listening = Array(Set(configuration.listening)).sorted()
        ownAddresses = Set(configuration.listening.map(\.address) + configuration.streamListening.keys.map(\.address)
                           + configuration.relayAddresses)
        relayAddresses = Set(configuration.relayAddressesOrListening)
    }

    /// The summaries of the allocations that exist now, sorted by client.
    public var activeAllocations: [TURNAllocationSummary] {
        allocations.values.map(\.summary).sorted { $0.fiveTuple.client < $1.fiveTuple.client }
    }

    /// Tells the core the wall-clock time at `now`, for the expiry of REST usernames: the
    /// core reads no clock itself. Drivers call it at start and now and then after (the
    /// wall clock may be stepped).
    public mutating func setWallClock(unixSeconds: Double, at now: Instant) {
        unixTimeAtZero = unixSeconds - now.seconds
    }

    /// Starts a graceful shutdown: from now on Allocate requests are refused with 508
    /// Insufficient Capacity (RFC 8656 §7.2: the server cannot serve more allocations; a
    /// client may try another server), while existing allocations keep working, refreshing
    /// and relaying until they end or the driver stops.
    public mutating func beginDraining() { isDraining = true }

    /// Permissions and channel bindings that are live at `now`, over all allocations (for
    /// gauges; walks every allocation).
    public func liveBindings(now: Instant) -> (permissions: Int, channels: Int) {
        var permissions = 0, channels = 0
        for allocation in allocations.values {
            permissions += allocation.permissions.values.count { $0 > now }
            channels += allocation.channels.values.count { $0.expires > now }
        }
        return (permissions, channels)
    }

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        lastInput = now
        if datagram.transport.isReliable {
            handleStreamBytes(datagram, now: now)
        } else if let tuple = relayIndex[datagram.destination] {
            relayFromPeer(datagram, allocation: tuple, now: now)
        } else if listening.contains(datagram.destination) {
            handleFromClient(datagram, now: now)
        } else {
            drop(.unknownLocalEndpoint)
        }
    }

    /// Deletes allocations whose lifetime ran out.
    public mutating func handleTimeout(now: Instant) {
        lastInput = now
        while let (tuple, serial) = expiries.popDue(now) {
            guard let allocation = allocations[tuple], allocation.serial == serial, allocation.expires <= now else { continue }
            delete(tuple, reason: .expired)
        }
        closeIdleStreams(now: now)
    }

    public mutating func pollOutput() -> CoreOutput<Event> {
        outputs.next() ?? .timeout(min(expiries.earliest, streamChecks.earliest))
    }

    // MARK: Shared helpers

    mutating func drop(_ reason: TURNServerDropReason) { counters.dropped[reason, default: 0] += 1 }

    mutating func delete(_ tuple: FiveTuple, reason: TURNDeallocationReason) {
        guard let allocation = allocations.removeValue(forKey: tuple) else { return }
        for endpoint in allocation.relayed {
            relayIndex[endpoint] = nil
            outputs.append(.event(.relayClosed(endpoint)))
        }
        releaseQuota(of: allocation.quotaUser)
        counters.allocationsActive -= 1
        outputs.append(.event(.allocationDeleted(allocation.summary, reason: reason)))
    }

    /// Gives back one allocation of `user`'s quota; its bandwidth bucket goes with its last.
    mutating func releaseQuota(of user: String) {
        allocationsPerUser[user, default: 1] -= 1
        if allocationsPerUser[user] == 0 {
            allocationsPerUser[user] = nil
            bandwidth[user] = nil
        }
    }

    /// Whether `user` may relay `bytes` more at `now` under `maxBitsPerSecondPerUser`.
    mutating func withinBandwidth(_ user: String, _ bytes: Int, now: Instant) -> Bool {
        guard let limit = configuration.maxBitsPerSecondPerUser else { return true }
        let rate = Double(limit) / 8
        return bandwidth[user, default: TokenBucket(bytesPerSecond: rate, burst: rate, now: now)].take(bytes, now: now)
    }

    /// Whether a permission may name `address` (RFC 8656 §10.2: the server may restrict
    /// the addresses): the policy, except that the server's own relay addresses are judged
    /// without the own-address rule, because the relayed endpoints of its other allocations
    /// live there; a special-purpose relay address (loopback, private) still needs `allow`.
    func permitsPeerAddress(_ address: IPAddress) -> Bool {
        let policy = configuration.peerPolicy
        return policy.permits(address, serverAddresses: relayAddresses.contains(address) ? [] : ownAddresses)
    }

    /// Whether data may go to or come from `peer` (RFC 8656 §11.2: restrictions on address
    /// and port): never a listening endpoint (a relay loop); another allocation's relayed
    /// endpoint when its address may be permitted; anything else of the server's own
    /// addresses only when allowed; else the policy.
    func permitsPeer(_ peer: Endpoint) -> Bool {
        if listening.contains(peer) { return false }
        if relayIndex[peer] != nil { return permitsPeerAddress(peer.address) }
        return configuration.peerPolicy.permits(peer.address, serverAddresses: ownAddresses)
    }
}
