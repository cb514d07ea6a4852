import NetTypes
import STUN
import TLS

/// A TURN client (RFC 8656) for one server: allocates a relayed transport address with
/// long-term credentials, keeps it, its permissions and channels refreshed, and moves
/// application data to and from peers.
///
/// Sans-IO and standalone: feed it the datagrams that arrive from the server, drain
/// `pollOutput()` for `.transmit` datagrams to the server and events such as
/// `.data(from: peer, bytes)`. The ICE agent owns one per TURN server.
///
/// Handled for the caller: 401 challenge → authenticated retry, 438 stale nonce → retry
/// with the new nonce, 300 Try Alternate → restart at ALTERNATE-SERVER, Refresh one
/// `refreshMargin` before expiry, CreatePermission refresh (< 300 s) and ChannelBind
/// refresh (< 600 s) for every peer in use. `send(_:to:now:)` uses the peer's channel
/// when bound, else a Send indication, and queues data until the peer's permission is
/// installed.
///
/// Over TCP or TLS (`configuration.transport`) the client is a `StreamCore`: it frames
/// its messages into the stream (and encrypts them over TLS) and its `.transmit`
/// datagrams carry stream bytes for the driver's connection to the server. The
/// connection closing ends the allocation (RFC 8656 §3.1: the allocation lives on the
/// 5-tuple of that connection).
public struct TURNClient: StreamCore {
    public typealias Event = TURNClientEvent

    /// Where the client is in the allocation's life.
    public enum State: Hashable, Sendable {
        case idle, allocating, allocated, releasing, closed
    }

    public internal(set) var configuration: TURNClientConfiguration
    public internal(set) var state = State.idle
    /// The current allocation, once granted.
    public internal(set) var allocation: TURNAllocation?
    /// Datagrams from elsewhere than the server, or not understood.
    public private(set) var ignoredDatagrams = 0
    /// Application data not sent: no allocation, no relayed address of the peer's family,
    /// permission refused, or the pending queue full.
    public internal(set) var droppedData = 0

    var rng: Xoshiro256
    var transactions: STUNTransactionTable
    var timers = TimerTable<TURNClientTimer>()
    var outputs = OutputQueue<Event>()
    var credentials: Credentials?
    var requests: [STUNTransactionID: Request] = [:]
    var redirects = 0
    var expires = Instant.distantFuture
    var refreshAt = Instant.distantFuture
    var refreshPending = false
    var permissions: [IPAddress: Permission] = [:]
    var channels: [Endpoint: Channel] = [:]
    var peerOfChannel: [UInt16: Endpoint] = [:]
    var nextChannel = ChannelData.validChannelNumbers.lowerBound
    /// The connection to the server over TCP or TLS; nil over UDP.
    var stream: TURNStream?
    /// The latest `now` of an input: the time stream writes happen at.
    var lastInput = Instant.zero

    /// The realm, current nonce and key learned from the server's challenge.
    struct Credentials {
        var realm: String
        var nonce: String
        var authenticator: STUNAuthenticator
    }

    /// An outstanding request: what it is for and how to send it again.
    struct Request {
        var purpose: Purpose
        var attributes: [STUNAttribute]
        var authenticated: Bool
        var nonceRetries: Int
    }

    enum Purpose {
        case allocate
        case refresh(lifetime: UInt32?)
        case permission([IPAddress])
        case channelBind(UInt16, Endpoint)

        var method: STUNMethod {
            switch self {
            case .allocate: return .allocate
            case .refresh: return .refresh
            case .permission: return .createPermission
            case .channelBind: return .channelBind
            }
        }
    }

    struct Permission {
        var installed = false
        var pending = true
        var refreshAt = Instant.distantFuture
        /// Data waiting for the permission.
        var queue: [(peer: Endpoint, bytes: [UInt8])] = []
    }

    struct Channel {
        let number: UInt16
        var bound = false
        var pending = true
        var refreshAt = Instant.distantFuture
    }

    public init(configuration: TURNClientConfiguration, rng: Xoshiro256) {
        self.configuration = configuration
        self.rng = rng
        transactions = STUNTransactionTable(configuration: configuration.transactions, rng: Xoshiro256(seed: self.rng.next()))
        if configuration.transport.isReliable { stream = newStream(now: .zero) }
    }

    // MARK: Commands

    /// Sends the Allocate request (first without credentials: the server's 401 brings
    /// REALM and NONCE).
    public mutating func allocate(now: Instant) {
        guard state == .idle else { return }
        state = .allocating
        var attributes: [STUNAttribute] = [.requestedTransport(TransportKind.udp.ipProtocolNumber)]
        if configuration.family == .ipv6 {
            attributes.append(.requestedAddressFamily(.ipv6))
        } else if configuration.alsoIPv6 {
            attributes.append(.additionalAddressFamily(.ipv6))
        }
        if let lifetime = configuration.lifetime { attributes.append(.lifetime(lifetime.lifetimeSeconds)) }
        start(.allocate, attributes, now: now)
        pump(now)
    }

    /// Installs a permission for `peer` (kept refreshed from then on).
    public mutating func createPermission(for peer: IPAddress, now: Instant) {
        guard state == .allocated, permissions[peer] == nil else { return }
        permissions[peer] = Permission()
        start(.permission([peer]), [.xorPeerAddress(Endpoint(peer, 0))], now: now)
        pump(now)
    }

    /// Binds the next free channel number to `peer` (and installs its permission); data
    /// to `peer` then travels in 4-byte-header ChannelData messages. False when no
    /// allocation or no channel number is left.
    @discardableResult
    public mutating func bindChannel(to peer: Endpoint, now: Instant) -> Bool {
        guard state == .allocated else { return false }
        if channels[peer] != nil { return true }
        while peerOfChannel[nextChannel] != nil && nextChannel < ChannelData.validChannelNumbers.upperBound { nextChannel += 1 }
        guard peerOfChannel[nextChannel] == nil else { return false }
        let number = nextChannel
        channels[peer] = Channel(number: number)
        peerOfChannel[number] = peer
        createPermission(for: peer.address, now: now)
        start(.channelBind(number, peer), [.channelNumber(number), .xorPeerAddress(peer)], now: now)
        pump(now)
        return true
    }

    /// Sends `bytes` to `peer` through the relay: over the peer's channel when bound, else
    /// in a Send indication; queued (and a permission requested) until the peer's
    /// permission is installed. False when the data is dropped.
    @discardableResult
    public mutating func send(_ bytes: [UInt8], to peer: Endpoint, ecn: ECNCodepoint = .notECT, now: Instant) -> Bool {
        lastInput = max(lastInput, now)
        guard state == .allocated, allocation?.relayed.contains(where: { $0.address.family == peer.address.family }) == true else {
            droppedData += 1
            return false
        }
        if let channel = channels[peer], channel.bound {
            transmit(ChannelData(channelNumber: channel.number, data: bytes).encoded(stream: configuration.transport.isReliable), ecn: ecn)
            return true
        }
        if permissions[peer.address]?.installed == true {
            transmit(sendIndication(bytes, to: peer), ecn: ecn)
            return true
        }
        createPermission(for: peer.address, now: now)
        guard var permission = permissions[peer.address], permission.queue.count < configuration.pendingDataLimit else {
            droppedData += 1
            return false
        }
        permission.queue.append((peer, bytes))
        permissions[peer.address] = permission
        return true
    }

    /// Releases the allocation (Refresh with LIFETIME 0); `.deallocated` follows.
    public mutating func release(now: Instant) {
        switch state {
        case .allocated:
            cancelRequests()
            state = .releasing
            start(.refresh(lifetime: 0), [.lifetime(0)], now: now)
            pump(now)
        case .idle, .allocating:
            cancelRequests()
            state = .closed
            outputs.append(.event(.deallocated))
            armTimers()
        case .releasing, .closed:
            break
        }
    }

    // MARK: SansIOCore

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        guard datagram.source == configuration.server, datagram.transport == configuration.transport else { ignoredDatagrams += 1; return }
        lastInput = max(lastInput, now)
        guard stream != nil else { return handleMessage(datagram.payload, ecn: datagram.ecn, now: now) }
        for message in stream!.receive(datagram.payload, now: now) { handleMessage(message, now: now) }
        switch stream?.end {
        case .failed(let why)?: streamFailed(.badResponse("stream: \(why)"), now: now)
        case .closedByPeer?: streamFailed(.connectionClosed, now: now)
        case nil: break
        }
        flushStream()
    }

    /// The connection to the server ended: the allocation (or the attempt) with it.
    public mutating func streamClosed(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {
        guard stream != nil, remote == configuration.server, transport == configuration.transport else { return }
        stream = nil
        streamFailed(.connectionClosed, now: now)
    }

    /// Clients open their connections; nothing is accepted.
    public mutating func streamOpened(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {}

    /// One STUN or ChannelData message from the server.
    private mutating func handleMessage(_ payload: [UInt8], ecn: ECNCodepoint = .notECT, now: Instant) {
        switch PacketKind(classifying: payload) {
        case .turnChannel:
            guard state == .allocated,
                  let (message, _) = try? ChannelData.decode(payload, stream: configuration.transport.isReliable),
                  let peer = peerOfChannel[message.channelNumber] else { ignoredDatagrams += 1; return }
            outputs.append(.event(.data(from: peer, message.data, ecn: ecn)))
        case .stun:
            let datagram = Datagram(source: configuration.server, destination: configuration.local,
                                    transport: configuration.transport, payload: payload)
            if transactions.handleResponse(datagram, now: now) { return pump(now) }
            guard state == .allocated, let message = try? STUNMessage(decoding: payload),
                  message.type == STUNMessageType(method: .data, class: .indication),
                  let peer = message.first({ if case .xorPeerAddress(let e) = $0 { e } else { nil } }),
                  let data = message.first({ if case .data(let d) = $0 { d } else { nil } }) else { ignoredDatagrams += 1; return }
            outputs.append(.event(.data(from: peer, data, ecn: ecn)))
        default:
            ignoredDatagrams += 1
        }
    }

    /// The stream to the server broke or closed: what was under way fails, the
    /// allocation is gone, and the connection is closed.
    private mutating func streamFailed(_ failure: TURNClientFailure, now: Instant) {
        if stream != nil {
            outputs.append(.transmit(toServer([])))
            stream = nil
        }
        switch state {
        case .allocating: close(with: .allocationFailed(failure))
        case .allocated: close(with: .allocationExpired)
        case .releasing: close(with: .deallocated)
        case .idle, .closed: state = .closed
        }
        armTimers()
    }

    /// Retransmissions, and the refreshes and expiry that are due.
    public mutating func handleTimeout(now: Instant) {
        transactions.handleTimeout(now: now)
        if state == .allocated {
            if now >= expires {
                expire()
            } else {
                refreshDue(now: now)
            }
        }
        pump(now)
    }

    public mutating func pollOutput() -> CoreOutput<Event> {
        outputs.next() ?? .timeout(timers.next)
    }

    /// The timer that fires next and its deadline, nil when none is armed.
    public var nextTimer: (timer: TURNClientTimer, deadline: Instant)? { timers.nextTimer() }

    // MARK: Internals

    /// Starts the refreshes whose time has come.
    private mutating func refreshDue(now: Instant) {
        if now >= refreshAt && !refreshPending {
            refreshPending = true
            let lifetime = configuration.lifetime.map(\.lifetimeSeconds)
            start(.refresh(lifetime: lifetime), lifetime.map { [.lifetime($0)] } ?? [], now: now)
        }
        let duePermissions = permissions.filter { $0.value.installed && !$0.value.pending && $0.value.refreshAt <= now }
            .keys.sorted()
        if !duePermissions.isEmpty {
            for peer in duePermissions { permissions[peer]?.pending = true }
            start(.permission(duePermissions), duePermissions.map { .xorPeerAddress(Endpoint($0, 0)) }, now: now)
        }
        for (peer, channel) in channels.sorted(by: { $0.key < $1.key })
        where channel.bound && !channel.pending && channel.refreshAt <= now {
            channels[peer]?.pending = true
            start(.channelBind(channel.number, peer), [.channelNumber(channel.number), .xorPeerAddress(peer)], now: now)
        }
    }

    /// Sends a request for `purpose` with the credentials known so far.
    mutating func start(_ purpose: Purpose, _ attributes: [STUNAttribute], now: Instant, nonceRetries: Int = 0) {
        var all = attributes
        if let software = configuration.software { all.append(.software(software)) }
        if let credentials {
            all += [.username(configuration.username), .realm(credentials.realm), .nonce(credentials.nonce)]
        }
        let message = STUNMessage(type: STUNMessageType(method: purpose.method, class: .request),
                                  transactionID: STUNTransactionID(high: 0, low: 0), attributes: all)
        let id = transactions.start(message, from: configuration.local, to: configuration.server,
                                    transport: configuration.transport, authenticator: credentials?.authenticator, now: now)
        requests[id] = Request(purpose: purpose, attributes: attributes, authenticated: credentials != nil,
                               nonceRetries: nonceRetries)
    }

    /// Moves the transaction table's outputs into the client's, handling its events.
    mutating func pump(_ now: Instant) {
        lastInput = max(lastInput, now)
        while true {
            switch transactions.pollOutput() {
            case .transmit(let datagram): transmit(datagram.payload)
            case .event(let event): handleTransaction(event, now: now)
            case .timeout(let deadline):
                timers[.transactions] = deadline
                armTimers()
                return
            }
        }
    }

    /// Arms the allocation's timers from its state; every input ends here (through `pump`).
    /// Only an allocated client refreshes or expires; a refresh under way is not started
    /// again, nor a permission or channel refresh.
    mutating func armTimers() {
        guard state == .allocated else {
            for timer in [TURNClientTimer.expiry, .refresh, .permissionRefresh, .channelRefresh] { timers.stop(timer) }
            return
        }
        timers[.expiry] = expires
        timers[.refresh] = refreshPending ? .distantFuture : refreshAt
        var permissionRefresh = Instant.distantFuture
        for permission in permissions.values where permission.installed && !permission.pending {
            permissionRefresh = min(permissionRefresh, permission.refreshAt)
        }
        timers[.permissionRefresh] = permissionRefresh
        var channelRefresh = Instant.distantFuture
        for channel in channels.values where channel.bound && !channel.pending { channelRefresh = min(channelRefresh, channel.refreshAt) }
        timers[.channelRefresh] = channelRefresh
    }

    /// Sends one message to the server: a datagram over UDP, framed into the stream over
    /// TCP and TLS (dropped once the connection is gone). `ecn`: the IP ECN field of a
    /// datagram over UDP (the relayed data's own, RFC 8656 §12.6).
    mutating func transmit(_ payload: [UInt8], ecn: ECNCodepoint = .notECT) {
        guard stream != nil else {
            if !configuration.transport.isReliable {
                var datagram = toServer(payload)
                datagram.ecn = ecn
                outputs.append(.transmit(datagram))
            }
            return
        }
        stream!.send(payload, now: lastInput)
        flushStream()
    }

    /// Before a redirect over TCP or TLS: the connection to the old server closes and the
    /// next message opens one to the alternate server.
    mutating func redirectStream(now: Instant) {
        guard stream != nil else { return }
        outputs.append(.transmit(toServer([])))
        stream = newStream(now: now)
    }

    /// A connection to the server: over TLS with a session of `configuration.tls`, its
    /// randomness drawn from the client's generator when `tlsSeeded` (simulations).
    mutating func newStream(now: Instant) -> TURNStream {
        var session: TLSSession?
        if configuration.transport == .tls, let context = configuration.tls {
            let randomness: TLSRandomness = configuration.tlsSeeded ? .seeded(Xoshiro256(seed: rng.next())) : .system
            session = TLSSession(context: context, randomness: randomness, serverName: configuration.tlsServerName)
        }
        return TURNStream(transport: configuration.transport, tls: session, now: now)
    }

    /// Hands the stream bytes queued by the connection to the driver.
    mutating func flushStream() {
        guard stream != nil else { return }
        for bytes in stream!.takeWire() { outputs.append(.transmit(toServer(bytes))) }
    }

    /// A datagram (over TCP/TLS: stream bytes; empty: close the connection) to the server.
    func toServer(_ payload: [UInt8]) -> Datagram {
        Datagram(source: configuration.local, destination: configuration.server, transport: configuration.transport, payload: payload)
    }

    mutating func sendIndication(_ bytes: [UInt8], to peer: Endpoint) -> [UInt8] {
        STUNMessage(type: STUNMessageType(method: .send, class: .indication), transactionID: STUNTransactionID(using: &rng),
                    attributes: [.xorPeerAddress(peer), .data(bytes)]).encoded()
    }

    mutating func cancelRequests() {
        for id in requests.keys { transactions.cancel(id) }
        requests.removeAll()
    }

    /// Forgets the allocation and everything in it.
    mutating func close(with event: Event) {
        cancelRequests()
        state = .closed
        permissions.removeAll()
        channels.removeAll()
        peerOfChannel.removeAll()
        expires = .distantFuture
        refreshAt = .distantFuture
        outputs.append(.event(event))
    }

    mutating func expire() { close(with: .allocationExpired) }

}
