import NetTypes
import STUN
import TLS

/// How a TURN client reaches its server and keeps its allocation alive.
public struct TURNClientConfiguration: Sendable {
    /// The TURN server (replaced by ALTERNATE-SERVER on a 300 redirect).
    public var server: Endpoint
    /// The client's own transport address: the source of everything it sends.
    public var local: Endpoint
    /// The transport to the server. Over TCP/TLS, ChannelData is padded to 4 bytes; the
    /// driver frames the stream into messages.
    public var transport: TransportKind
    /// Over TLS: the client context (trust anchors, verification; `TLSConfiguration` with
    /// role `.client`). Required when `transport` is `.tls`.
    public var tls: TLSContext?
    /// The name the server's certificate must carry (SNI and the check); nil: the
    /// context's `serverName`.
    public var tlsServerName: String?
    /// Whether TLS randomness comes from the client's seeded generator (simulations,
    /// byte-identical runs) instead of OpenSSL's own (real connections: always).
    public var tlsSeeded = false
    /// Long-term credentials (RFC 8489 §9.2).
    public var username: String
    public var password: String
    /// The family of the relayed address (REQUESTED-ADDRESS-FAMILY, sent when IPv6).
    public var family: AddressFamily
    /// Also ask for an IPv6 relayed address (ADDITIONAL-ADDRESS-FAMILY, with IPv4 only).
    public var alsoIPv6: Bool
    /// The LIFETIME to ask for; nil: the server's default (600 s).
    public var lifetime: Duration?
    /// Refresh the allocation this long before it expires (at most half its lifetime).
    public var refreshMargin: Duration
    /// Refresh permissions this often (they expire after 300 s).
    public var permissionRefreshInterval: Duration
    /// Refresh channel bindings this often (they expire after 600 s).
    public var channelRefreshInterval: Duration
    /// Retransmission of requests.
    public var transactions: STUNTransactionConfiguration
    /// At most this many 300 (Try Alternate) redirects before giving up.
    public var maxRedirects: Int
    /// Data sent to a peer before its permission is installed waits in a queue of this
    /// many datagrams per peer; more are dropped.
    public var pendingDataLimit: Int
    /// SOFTWARE attribute of requests; nil for none.
    public var software: String?

    public init(
        server: Endpoint, local: Endpoint, transport: TransportKind = .udp, username: String, password: String,
        family: AddressFamily = .ipv4, alsoIPv6: Bool = false, lifetime: Duration? = nil,
        refreshMargin: Duration = .seconds(60), permissionRefreshInterval: Duration = .seconds(240),
        channelRefreshInterval: Duration = .seconds(540), transactions: STUNTransactionConfiguration = .init(),
        maxRedirects: Int = 2, pendingDataLimit: Int = 64, software: String? = nil
    ) {
        self.server = server
        self.local = local
        self.transport = transport
        self.username = username
        self.password = password
        self.family = family
        self.alsoIPv6 = alsoIPv6
        self.lifetime = lifetime
        self.refreshMargin = refreshMargin
        self.permissionRefreshInterval = permissionRefreshInterval
        self.channelRefreshInterval = channelRefreshInterval
        self.transactions = transactions
        self.maxRedirects = maxRedirects
        self.pendingDataLimit = pendingDataLimit
        self.software = software
    }
}
