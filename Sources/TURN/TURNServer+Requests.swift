import NetTypes
import STUN

/// An error response a request handler chose (RFC 8656 codes).
struct TURNRejection: Error {
    var code: STUNErrorCode
    var attributes: [STUNAttribute] = []

    init(_ code: Int, _ attributes: [STUNAttribute] = []) {
        self.code = STUNErrorCode(code)
        self.attributes = attributes
    }
}

extension TURNServer {
    /// Answers one request: Binding without credentials, the TURN methods after the
    /// long-term credential check (RFC 8489 §9.2.4).
    mutating func handleRequest(_ request: DecodedSTUNMessage, _ datagram: Datagram, now: Instant) {
        counters.requests += 1
        let message = request.message
        let method = message.type.method
        if method == .binding {
            return respond(request, datagram, .successResponse, [.xorMappedAddress(datagram.source)], authenticator: nil)
        }
        guard [.allocate, .refresh, .createPermission, .channelBind].contains(method) else {
            return reject(request, datagram, TURNRejection(400), authenticator: nil)
        }
        let client = datagram.source
        let authenticator: STUNAuthenticator
        let username: String
        switch authenticate(request, client: client, now: now) {
        case .success(let accepted): (username, authenticator) = accepted
        case .failure(let rejection): return reject(request, datagram, rejection, authenticator: nil)
        }
        do throws(TURNRejection) {
            let unknown = message.unknownComprehensionRequired
            if !unknown.isEmpty { throw TURNRejection(420, [.unknownAttributes(unknown)]) }
            let tuple = FiveTuple(receivedFromClient: datagram)
            let attributes: [STUNAttribute]
            switch method {
            case .allocate:
                attributes = try allocate(message, tuple, username: username, authenticator: authenticator, now: now)
            case .refresh:
                attributes = try refresh(message, tuple, username: username, now: now)
            case .createPermission:
                attributes = try createPermission(message, tuple, username: username, now: now)
            default:
                attributes = try channelBind(message, tuple, username: username, now: now)
            }
            respond(request, datagram, .successResponse, attributes, authenticator: authenticator)
        } catch {
            reject(request, datagram, error, authenticator: authenticator)
        }
    }

    // MARK: Authentication

    /// The user and key of an authenticated request, or the challenge to send.
    func authenticate(_ request: DecodedSTUNMessage, client: Endpoint, now: Instant)
        -> Result<(String, STUNAuthenticator), TURNRejection> {
        let message = request.message
        let challenge = { (code: Int) in
            TURNRejection(code, [.realm(configuration.realm), .nonce(nonces.issue(for: client, now: now))])
        }
        guard request.messageIntegrityOffset != nil || request.messageIntegritySHA256Offset != nil else {
            return .failure(challenge(401))
        }
        guard let username = message.username,
              let realm = message.first({ if case .realm(let r) = $0 { r } else { nil } }),
              let nonce = message.first({ if case .nonce(let n) = $0 { n } else { nil } }) else {
            return .failure(TURNRejection(400))
        }
        guard nonces.check(nonce, for: client, now: now) == .valid else { return .failure(challenge(438)) }
        guard realm == configuration.realm, let authenticator = authenticators[username],
              request.checkIntegrity(authenticator) == .valid else { return .failure(challenge(401)) }
        return .success((username, authenticator))
    }

    // MARK: Methods

    /// RFC 8656 §7.2.
    mutating func allocate(_ message: STUNMessage, _ tuple: FiveTuple, username: String, authenticator: STUNAuthenticator,
                           now: Instant) throws(TURNRejection) -> [STUNAttribute] {
        if let existing = allocations[tuple] {
            guard existing.allocateTransaction == message.transactionID else { throw TURNRejection(437) }
            return existing.allocateAttributes + [.lifetime(UInt32(existing.lifetime.nanoseconds / 1_000_000_000))]
        }
        guard let transport = message.first({ if case .requestedTransport(let p) = $0 { p } else { nil } }) else {
            throw TURNRejection(400)
        }
        guard transport == TransportKind.udp.ipProtocolNumber else { throw TURNRejection(442) }
        let requested = message.first { if case .requestedAddressFamily(let f) = $0 { f } else { nil } }
        let additional = message.first { if case .additionalAddressFamily(let f) = $0 { f } else { nil } }
        let evenPort = message.first { if case .evenPort(let reserve) = $0 { reserve } else { nil } }
        let token = message.first { if case .reservationToken(let t) = $0 { t } else { nil } }
        if (requested != nil && additional != nil) || additional == .ipv4 || (token != nil && (evenPort != nil || requested != nil)) {
            throw TURNRejection(400)
        }
        guard allocationsPerUser[username, default: 0] < configuration.maxAllocationsPerUser else { throw TURNRejection(486) }
        guard allocations.count < configuration.maxAllocations else { throw TURNRejection(508) }
        reservations = reservations.filter { now < $0.value.expires }
        var reservedToken: UInt64?
        let primary: Endpoint
        if let token {
            guard let reservation = reservations.removeValue(forKey: token) else { throw TURNRejection(508) }
            primary = reservation.endpoint
        } else {
            let family = requested ?? .ipv4
            guard let address = configuration.relayAddress(family) else { throw TURNRejection(440) }
            guard let chosen = freeRelayEndpoint(on: address, even: evenPort != nil, pair: evenPort == true) else {
                throw TURNRejection(508)
            }
            primary = chosen
            if evenPort == true {
                let next = rng.next()
                reservedToken = next
                reservations[next] = (Endpoint(address, chosen.port + 1), now + Self.reservationLifetime)
            }
        }
        var relayed = [primary]
        var attributes: [STUNAttribute] = [.xorRelayedAddress(primary)]
        if additional == .ipv6 {
            if let v6 = configuration.relayAddress(.ipv6), let second = freeRelayEndpointAvoiding(primary, on: v6) {
                relayed.append(second)
                attributes.append(.xorRelayedAddress(second))
            } else {
                attributes.append(.addressErrorCode(family: .ipv6, error: STUNErrorCode(440)))
            }
        }
        if let reservedToken { attributes.append(.reservationToken(reservedToken)) }
        attributes.append(.xorMappedAddress(tuple.client))
        let lifetime = configuration.grantedLifetime(requested: lifetimeAttribute(message))
        let allocation = ServerAllocation(
            serial: nextSerial, fiveTuple: tuple, username: username, authenticator: authenticator,
            allocateTransaction: message.transactionID, relayed: relayed, allocateAttributes: attributes,
            lifetime: lifetime, expires: now + lifetime)
        nextSerial += 1
        allocations[tuple] = allocation
        for endpoint in relayed {
            relayIndex[endpoint] = tuple
            outputs.append(.event(.relayOpened(endpoint)))
        }
        allocationsPerUser[username, default: 0] += 1
        counters.allocationsActive += 1
        counters.allocationsTotal += 1
        expiries.insert(allocation.expires, (tuple, allocation.serial))
        outputs.append(.event(.allocationCreated(allocation.summary)))
        return attributes + [.lifetime(seconds(lifetime))]
    }

    /// RFC 8656 §7.3 (LIFETIME 0 deletes).
    mutating func refresh(_ message: STUNMessage, _ tuple: FiveTuple, username: String, now: Instant) throws(TURNRejection)
        -> [STUNAttribute] {
        var allocation = try owned(tuple, username: username)
        if let family = message.first({ if case .requestedAddressFamily(let f) = $0 { f } else { nil } }),
           allocation.relayed(for: family) == nil { throw TURNRejection(443) }
        let requested = lifetimeAttribute(message)
        if requested == 0 {
            delete(tuple, reason: .released)
            return [.lifetime(0)]
        }
        allocation.lifetime = configuration.grantedLifetime(requested: requested)
        allocation.expires = now + allocation.lifetime
        allocation.prune(now: now)
        allocations[tuple] = allocation
        expiries.insert(allocation.expires, (tuple, allocation.serial))
        return [.lifetime(seconds(allocation.lifetime))]
    }

    /// RFC 8656 §9: all peers or none.
    mutating func createPermission(_ message: STUNMessage, _ tuple: FiveTuple, username: String, now: Instant)
        throws(TURNRejection) -> [STUNAttribute] {
        var allocation = try takeOwned(tuple, username: username)
        defer { allocations[tuple] = allocation }
        let peers = message.attributes.compactMap { if case .xorPeerAddress(let e) = $0 { e } else { nil } }
        guard !peers.isEmpty else { throw TURNRejection(400) }
        for peer in peers { try checkPeer(peer, allocation) }
        allocation.prune(now: now)
        for peer in peers { allocation.permissions[peer.address] = now + configuration.permissionLifetime }
        return []
    }

    /// RFC 8656 §12.2: binds or refreshes a channel, and installs or refreshes the
    /// permission of its peer.
    mutating func channelBind(_ message: STUNMessage, _ tuple: FiveTuple, username: String, now: Instant)
        throws(TURNRejection) -> [STUNAttribute] {
        var allocation = try takeOwned(tuple, username: username)
        defer { allocations[tuple] = allocation }
        guard let number = message.first({ if case .channelNumber(let n) = $0 { n } else { nil } }),
              configuration.channelNumbers.contains(number),
              let peer = message.first({ if case .xorPeerAddress(let e) = $0 { e } else { nil } }) else { throw TURNRejection(400) }
        try checkPeer(peer, allocation)
        allocation.prune(now: now)
        guard allocation.bind(number, to: peer, until: now + configuration.channelLifetime) else { throw TURNRejection(400) }
        allocation.permissions[peer.address] = now + configuration.permissionLifetime
        return []
    }

    // MARK: Helpers

    /// The allocation of `tuple` if `username` owns it: 437 without one, 441 for another user.
    private func owned(_ tuple: FiveTuple, username: String) throws(TURNRejection) -> ServerAllocation {
        guard let allocation = allocations[tuple] else { throw TURNRejection(437) }
        guard allocation.username == username else { throw TURNRejection(441) }
        return allocation
    }

    /// The allocation of `tuple` if `username` owns it (437, 441 as in `owned`), taken out
    /// of the table to be changed and put back by the caller (`defer`). Changing a copy and
    /// writing it back made its permission and channel tables anew per request: the table's
    /// copy shared them.
    private mutating func takeOwned(_ tuple: FiveTuple, username: String) throws(TURNRejection) -> ServerAllocation {
        _ = try owned(tuple, username: username)
        return allocations.removeValue(forKey: tuple)!
    }

    /// 443 when the allocation has no relayed address of the peer's family, 403 when the
    /// policy refuses the peer.
    private func checkPeer(_ peer: Endpoint, _ allocation: ServerAllocation) throws(TURNRejection) {
        guard allocation.relayed(for: peer.address.family) != nil else { throw TURNRejection(443) }
        guard permitsPeerAddress(peer.address) else { throw TURNRejection(403) }
    }

    private func lifetimeAttribute(_ message: STUNMessage) -> UInt32? {
        message.first { if case .lifetime(let s) = $0 { s } else { nil } }
    }

    private func seconds(_ d: Duration) -> UInt32 { UInt32(clamping: d.nanoseconds / 1_000_000_000) }

    /// How long a port reserved with EVEN-PORT's R bit is kept (RFC 8656 §7.2: 30 s).
    static var reservationLifetime: Duration { .seconds(30) }

    /// A free relayed endpoint on `address`: random probes, then a scan from a random
    /// port; `even` for an even port, `pair` for an even port whose successor is free too.
    private mutating func freeRelayEndpoint(on address: IPAddress, even: Bool, pair: Bool = false) -> Endpoint? {
        let range = configuration.relayPorts
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        for _ in 0..<8 {
            let candidate = Endpoint(address, range.lowerBound + UInt16(rng.next() % span))
            if isFreeRelay(candidate, even: even, pair: pair) { return candidate }
        }
        let start = rng.next() % span
        for offset in 0..<span {
            let candidate = Endpoint(address, range.lowerBound + UInt16((start + offset) % span))
            if isFreeRelay(candidate, even: even, pair: pair) { return candidate }
        }
        return nil
    }

    /// Whether `e` may become a relayed endpoint; with `pair`, its successor too.
    private func isFreeRelay(_ e: Endpoint, even: Bool, pair: Bool = false) -> Bool {
        let free = relayIndex[e] == nil && !listening.contains(e) && (!even || e.port % 2 == 0)
            && !reservations.values.contains { $0.endpoint == e }
        guard free, pair else { return free }
        return e.port < configuration.relayPorts.upperBound && isFreeRelay(Endpoint(e.address, e.port + 1), even: false)
    }

    /// A free relayed endpoint on `address` other than `taken` (not yet indexed).
    private mutating func freeRelayEndpointAvoiding(_ taken: Endpoint, on address: IPAddress) -> Endpoint? {
        for _ in 0..<4 {
            if let candidate = freeRelayEndpoint(on: address, even: false), candidate != taken { return candidate }
        }
        return nil
    }

    // MARK: Responses

    mutating func reject(_ request: DecodedSTUNMessage, _ datagram: Datagram, _ rejection: TURNRejection,
                         authenticator: STUNAuthenticator?) {
        counters.errorResponses[rejection.code.code, default: 0] += 1
        respond(request, datagram, .errorResponse, [.errorCode(rejection.code)] + rejection.attributes, authenticator: authenticator)
    }

    /// Sends a response from the address the request reached; signed when authenticated,
    /// with FINGERPRINT when the request had one.
    mutating func respond(_ request: DecodedSTUNMessage, _ datagram: Datagram, _ messageClass: STUNClass,
                          _ attributes: [STUNAttribute], authenticator: STUNAuthenticator?) {
        var all = attributes
        if let software = configuration.software { all.append(.software(software)) }
        let type = STUNMessageType(method: request.message.type.method, class: messageClass)
        let payload = STUNMessage(type: type, transactionID: request.message.transactionID, attributes: all)
            .encoded(authenticator: authenticator, fingerprint: request.fingerprintOffset != nil)
        outputs.append(.transmit(Datagram(source: datagram.destination, destination: datagram.source,
                                          transport: datagram.transport, payload: payload)))
    }
}
