import NetTypes
import STUN
import TLS

/// What a TURN server core serves, to whom, and within which limits.
public struct TURNServerConfiguration: Sendable {
    /// The transport addresses clients contact (concrete addresses: relay responses and
    /// the peer policy name them).
    public var listening: [Endpoint]
    /// Endpoints clients reach over TCP or TLS (RFC 8656 §3.1; the driver listens there
    /// and tags what it reads with the transport): `.tcp` or `.tls`. TLS needs `tls`.
    public var streamListening: [Endpoint: TransportKind] = [:]
    /// The server's TLS context (its certificate and key; role `.server`) for `.tls`
    /// listeners. Connections to a TLS listener without one are closed at once.
    public var tls: TLSContext?
    /// Whether TLS randomness comes from the server's seeded generator (simulations)
    /// instead of OpenSSL's own (real connections: always).
    public var tlsSeeded = false
    /// Connections over TCP/TLS one client address may hold; more are closed at once.
    public var maxStreamsPerSource = 32
    /// Connections over TCP/TLS the server holds at once.
    public var maxStreams = 10_000
    /// A connection without an allocation is closed this long after its last bytes (a
    /// client that connects and never allocates, or stops mid-message).
    public var streamIdleTimeout: Duration = .seconds(30)
    /// The REALM of the long-term credential mechanism.
    public var realm: String
    /// Username → password of the long-term credentials (MD5 keys, RFC 8489 §9.2.2).
    public var users: [String: String]
    /// Shared secrets of time-limited REST credentials (`TURNRESTCredential`,
    /// draft-uberti-behave-turn-rest-00): a username that is not in `users` and reads
    /// `EXPIRY[:USER]` is accepted when its password is the HMAC of one of these (several:
    /// rotation) and EXPIRY is still ahead of the wall clock the driver sets
    /// (`TURNServer.setWallClock`). Empty: none.
    public var restSecrets: [String] = []
    /// Relayed bandwidth one user may use, both directions together, in bits per second
    /// (a token bucket holding one second's worth); beyond it datagrams are dropped
    /// (`userBandwidth`). REST users count by their USER part. Nil: no limit.
    public var maxBitsPerSecondPerUser: Int?
    /// The addresses relayed transport addresses are allocated on, at most one used per
    /// family; empty: the listening addresses (UDP, then TCP/TLS).
    public var relayAddresses: [IPAddress]
    /// Ports of relayed transport addresses, drawn at random (RFC 8656 §7.2 recommends the
    /// dynamic range). On a real host other sockets may hold some of them (Linux's
    /// ephemeral ports are 32768-60999): the driver's bind fails and another port is tried.
    public var relayPorts: ClosedRange<UInt16>
    /// Ports tried per Allocate (and per relayed address) before it is answered 508: bounds
    /// the work one request can cause when most ports are taken.
    public var relayBindAttempts: Int = 32
    /// Allocation lifetime when the request has no LIFETIME (RFC 8656: 600 s).
    public var defaultLifetime: Duration
    /// The shortest lifetime granted: a shorter LIFETIME is raised to it. RFC 8656 §7.2 and
    /// §8.2 raise a requested lifetime below the default to the default, hence the default
    /// of `defaultLifetime`; lower it to honour shorter requests.
    public var minLifetime: Duration
    /// The longest lifetime granted (RFC 8656: 3600 s).
    public var maxLifetime: Duration
    /// How long a permission lasts without refresh (RFC 8656: 300 s, not configurable by
    /// the RFC; settable for tests).
    public var permissionLifetime: Duration
    /// How long a channel binding lasts without refresh (RFC 8656: 600 s).
    public var channelLifetime: Duration
    /// How long a nonce is accepted before the server answers 438 Stale Nonce.
    public var nonceLifetime: Duration
    /// Allocations one username may hold at once (486 beyond).
    public var maxAllocationsPerUser: Int
    /// Allocations the server holds at once (508 beyond).
    public var maxAllocations: Int
    /// Which peers may be relayed to.
    public var peerPolicy: TURNPeerPolicy
    /// The SOFTWARE attribute of responses; nil for none.
    public var software: String?
    /// Channel numbers clients may bind: RFC 5766's 0x4000-0x7FFF by default, for older
    /// clients; RFC 8656 narrowed it to 0x4000-0x4FFF (`ChannelData.validChannelNumbers`).
    public var channelNumbers: ClosedRange<UInt16> = ChannelData.rfc5766ChannelNumbers

    public init(
        listening: [Endpoint], realm: String, users: [String: String], relayAddresses: [IPAddress] = [],
        relayPorts: ClosedRange<UInt16> = 49152...65535, defaultLifetime: Duration = .seconds(600),
        minLifetime: Duration? = nil, maxLifetime: Duration = .seconds(3600), permissionLifetime: Duration = .seconds(300),
        channelLifetime: Duration = .seconds(600), nonceLifetime: Duration = .seconds(600),
        maxAllocationsPerUser: Int = 10, maxAllocations: Int = 10_000, peerPolicy: TURNPeerPolicy = TURNPeerPolicy(),
        software: String? = "icelab"
    ) {
        self.listening = listening
        self.realm = realm
        self.users = users
        self.relayAddresses = relayAddresses
        self.relayPorts = relayPorts
        self.defaultLifetime = defaultLifetime
        self.minLifetime = minLifetime ?? defaultLifetime
        self.maxLifetime = maxLifetime
        self.permissionLifetime = permissionLifetime
        self.channelLifetime = channelLifetime
        self.nonceLifetime = nonceLifetime
        self.maxAllocationsPerUser = maxAllocationsPerUser
        self.maxAllocations = maxAllocations
        self.peerPolicy = peerPolicy
        self.software = software
    }

    /// The relay address of `family`: the first configured one, else the first listening one.
    func relayAddress(_ family: AddressFamily) -> IPAddress? {
        relayAddressesOrListening.first { $0.family == family && !$0.isUnspecified }
    }

    /// `relayAddresses`, else the listening addresses, each once: UDP first, then the
    /// TCP/TLS ones in order (a server may listen on TLS alone).
    var relayAddressesOrListening: [IPAddress] {
        guard relayAddresses.isEmpty else { return relayAddresses }
        var seen = Set<IPAddress>()
        return (listening + streamListening.keys.sorted()).map(\.address).filter { seen.insert($0).inserted }
    }

    /// The lifetime granted for a requested one (RFC 8656 §7.2, §8.2): the default without
    /// LIFETIME, else the request within [`minLifetime`, `maxLifetime`].
    func grantedLifetime(requested seconds: UInt32?) -> Duration {
        guard let seconds else { return defaultLifetime }
        return min(max(.seconds(Int64(seconds)), minLifetime), maxLifetime)
    }
}
