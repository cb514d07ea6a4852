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
        let reply = TURNReply(request, datagram)
        if method == .binding {
            return respond(reply, .successResponse, [.xorMappedAddress(datagram.source)], authenticator: nil)
        }
        guard [.allocate, .refresh, .createPermission, .channelBind].contains(method) else {
            return reject(reply, TURNRejection(400), authenticator: nil)
        }
        let client = datagram.source
        let authenticator: STUNAuthenticator
        let username: String
        switch authenticate(request, client: client, now: now) {
        case .success(let accepted): (username, authenticator) = accepted
        case .failure(let rejection): return reject(reply, rejection, authenticator: nil)
        }
        do throws(TURNRejection) {
            let unknown = message.unknownComprehensionRequired
            if !unknown.isEmpty { throw TURNRejection(420, [.unknownAttributes(unknown)]) }
            let tuple = FiveTuple(receivedFromClient: datagram)
            let attributes: [STUNAttribute]?
            switch method {
            case .allocate:
                attributes = try allocate(message, reply, tuple, username: username, authenticator: authenticator, now: now)
            case .refresh:
                attributes = try refresh(message, tuple, username: username, now: now)
            case .createPermission:
                attributes = try createPermission(message, tuple, username: username, now: now)
            default:
                attributes = try channelBind(message, tuple, username: username, now: now)
            }
            if let attributes { respond(reply, .successResponse, attributes, authenticator: authenticator) }
        } catch {
            reject(reply, error, authenticator: authenticator)
        }
    }

    // MARK: Authentication

    /// The user and key of an authenticated request, or the challenge to send.
    mutating func authenticate(_ request: DecodedSTUNMessage, client: Endpoint, now: Instant)
        -> Result<(String, STUNAuthenticator), TURNRejection> {
        let message = request.message
        let realm = configuration.realm, nonces = nonces
        let challenge = { (code: Int) in TURNRejection(code, [.realm(realm), .nonce(nonces.issue(for: client, now: now))]) }
        guard request.messageIntegrityOffset != nil || request.messageIntegritySHA256Offset != nil else {
            return .failure(challenge(401))
        }
        guard let username = message.username,
              let requestRealm = message.first({ if case .realm(let r) = $0 { r } else { nil } }),
              let nonce = message.first({ if case .nonce(let n) = $0 { n } else { nil } }) else {
            return .failure(TURNRejection(400))
        }
        guard nonces.check(nonce, for: client, now: now) == .valid else { return .failure(challenge(438)) }
        guard requestRealm == realm,
              let authenticator = keys(of: username, now: now).first(where: { request.checkIntegrity($0) == .valid }) else {
            counters.authFailures += 1
            return .failure(challenge(401))
        }
        return .success((username, authenticator))
    }

    /// The long-term keys `username` may sign with: a configured user's, else, for a REST
    /// username that has not expired at the driver's wall time, the key of the password
    /// each secret gives it (draft-uberti-behave-turn-rest-00 §2.2; several secrets while
    /// one is rotated out). Empty when none applies (unknown or expired: 401).
    func keys(of username: String, now: Instant) -> [STUNAuthenticator] {
        if let authenticator = authenticators[username] { return [authenticator] }
        guard !restKeys.isEmpty, let origin = unixTimeAtZero, let rest = TURNRESTCredential(username: username),
              rest.isValid(atUnixTime: Int64((origin + now.seconds).rounded(.down))) else { return [] }
        return restKeys.compactMap { secret in
            let password = Base64.encode(secret.mac(of: Array(username.utf8), algorithm: .sha1))
            return STUNKey.longTerm(username: username, realm: configuration.realm, password: password).map(STUNAuthenticator.init(key:))
        }
    }

    /// Whom quotas count `username` against: a configured user by name, a REST username by
    /// its USER part (or as a whole without one).
    func quotaUser(of username: String) -> String {
        guard authenticators[username] == nil, let rest = TURNRESTCredential(username: username) else { return username }
        return rest.quotaUser
    }

    // MARK: Methods

    /// RFC 8656 §7.2. Accepted requests are answered once the relayed endpoint is bound
    /// (`TURNServer+RelayBinding`): nil here. A retransmission of the Allocate that created
    /// an allocation gets the same answer; one of an Allocate still binding, none yet.
    mutating func allocate(_ message: STUNMessage, _ reply: TURNReply, _ tuple: FiveTuple, username: String,
                           authenticator: STUNAuthenticator, now: Instant) throws(TURNRejection) -> [STUNAttribute]? {
        if let existing = allocations[tuple] {
            guard existing.allocateTransaction == message.transactionID else { throw TURNRejection(437) }
            return existing.allocateAttributes + [.lifetime(existing.lifetime.lifetimeSeconds)]
        }
        if let pending = pendingAllocations[tuple] {
            guard pending.reply.transactionID == message.transactionID else { throw TURNRejection(437) }
            return nil
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
        guard !isDraining else { throw TURNRejection(508) }
        let quotaUser = quotaUser(of: username)
        guard allocationsPerUser[quotaUser, default: 0] < configuration.maxAllocationsPerUser else { throw TURNRejection(486) }
        guard allocations.count + pendingAllocations.count < configuration.maxAllocations else { throw TURNRejection(508) }
        reservations = reservations.filter { now < $0.value.expires }
        let primary: Endpoint
        if let token {
            guard let reservation = reservations.removeValue(forKey: token) else { throw TURNRejection(508) }
            primary = reservation.endpoint
        } else {
            guard let address = configuration.relayAddress(requested ?? .ipv4) else { throw TURNRejection(440) }
            guard let chosen = freeRelayEndpoint(on: address, even: evenPort != nil, pair: evenPort == true) else {
                throw TURNRejection(508)
            }
            primary = chosen
        }
        var pending = PendingAllocation(
            reply: reply, username: username, quotaUser: quotaUser, authenticator: authenticator,
            lifetime: configuration.grantedLifetime(requested: lifetimeAttribute(message)),
            evenPort: evenPort, portIsReserved: token != nil, wantsIPv6: additional == .ipv6)
        allocationsPerUser[quotaUser, default: 0] += 1
        requestBind(primary, tuple, &pending, now: now)
        return nil
    }

    /// RFC 8656 §8.2 (LIFETIME 0 deletes).
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
        return [.lifetime(allocation.lifetime.lifetimeSeconds)]
    }

    /// RFC 8656 §9: all peers or none.
    mutating func createPermission(_ message: STUNMessage, _ tuple: FiveTuple, username: String, now: Instant)
        throws(TURNRejection) -> [STUNAttribute] {
        var allocation = try takeOwned(tuple, username: username)
        defer { allocations[tuple] = allocation }
        let peers = message.attributes.compactMap { if case .xorPeerAddress(let e) = $0 { e } else { nil } }
        guard !peers.isEmpty else { throw TURNRejection(400) }
        for peer in peers { try checkPeer(peer.address, allocation) }
        allocation.prune(now: now)
        for peer in peers { allocation.permissions[peer.address] = now + configuration.permissionLifetime }
        counters.permissionsInstalled += peers.count
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
        try checkPeer(peer.address, allocation)
        guard permitsPeer(peer) else { throw TURNRejection(403) }
        allocation.prune(now: now)
        guard allocation.bind(number, to: peer, until: now + configuration.channelLifetime) else { throw TURNRejection(400) }
        allocation.permissions[peer.address] = now + configuration.permissionLifetime
        counters.permissionsInstalled += 1
        counters.channelsBound += 1
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
    /// policy refuses the peer's address.
    private func checkPeer(_ address: IPAddress, _ allocation: ServerAllocation) throws(TURNRejection) {
        guard allocation.relayed(for: address.family) != nil else { throw TURNRejection(443) }
        guard permitsPeerAddress(address) else { throw TURNRejection(403) }
    }

    private func lifetimeAttribute(_ message: STUNMessage) -> UInt32? {
        message.first { if case .lifetime(let s) = $0 { s } else { nil } }
    }

    // MARK: Responses

    mutating func reject(_ reply: TURNReply, _ rejection: TURNRejection, authenticator: STUNAuthenticator?) {
        counters.errorResponses[rejection.code.code, default: 0] += 1
        counters.responses[TURNResponseKind(method: reply.method.description, errorCode: rejection.code.code), default: 0] += 1
        respond(reply, .errorResponse, [.errorCode(rejection.code)] + rejection.attributes, authenticator: authenticator)
    }

    /// Sends a response from the address the request reached; signed when authenticated,
    /// with FINGERPRINT when the request had one.
    mutating func respond(_ reply: TURNReply, _ messageClass: STUNClass, _ attributes: [STUNAttribute],
                          authenticator: STUNAuthenticator?) {
        if messageClass == .successResponse {
            counters.responses[TURNResponseKind(method: reply.method.description, errorCode: nil), default: 0] += 1
        }
        var all = attributes
        if let software = configuration.software { all.append(.software(software)) }
        let type = STUNMessageType(method: reply.method, class: messageClass)
        let payload = STUNMessage(type: type, transactionID: reply.transactionID, attributes: all)
            .encoded(authenticator: authenticator, fingerprint: reply.fingerprint)
        sendToClient(Datagram(source: reply.local, destination: reply.client, transport: reply.transport, payload: payload))
    }
}
