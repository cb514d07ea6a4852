import NetTypes
import STUN

/// The second half of an Allocate (RFC 8656 §7.2): the relayed transport address must
/// exist before the success response names it. The core picks a port, asks the driver to
/// bind it (`.bindRelay`), and answers when the driver reports back: success once every
/// relayed endpoint is bound; when a port is taken by another socket on the host, another
/// port of `relayPorts` (at most `relayBindAttempts` per Allocate); 508 (Insufficient
/// Capacity) when none can be had. The core stays sans-IO: binding is the driver's, in
/// the simulator synchronously, on real sockets asynchronously.
extension TURNServer {
    /// The driver bound `endpoint` as the core asked (`.bindRelay`).
    public mutating func relayBound(_ endpoint: Endpoint, now: Instant) {
        lastInput = now
        guard let tuple = relayIndex[endpoint], var pending = pendingAllocations[tuple], pending.binding == endpoint else { return }
        pending.bound.append(endpoint)
        pending.binding = nil
        if pending.wantsIPv6 && pending.bound.count == 1 {
            if let address = configuration.relayAddress(.ipv6) {
                if let second = freeRelayEndpoint(on: address, even: false, excluding: pending.failed) {
                    return requestBind(second, tuple, &pending, now: now)
                }
                pending.ipv6Error = 508
            } else {
                pending.ipv6Error = 440
            }
        }
        complete(tuple, pending, now: now)
    }

    /// The driver could not bind `endpoint` as the core asked (`.bindRelay`): another port
    /// when the port was taken, else (or when none is left) 508 for the allocation, or an
    /// ADDRESS-ERROR-CODE 508 for its additional IPv6 address.
    public mutating func relayUnavailable(_ endpoint: Endpoint, because failure: TURNRelayBindFailure, now: Instant) {
        lastInput = now
        guard let tuple = relayIndex[endpoint], var pending = pendingAllocations[tuple], pending.binding == endpoint else { return }
        relayIndex[endpoint] = nil
        pending.binding = nil
        pending.failed.insert(endpoint)
        if failure == .addressInUse && !pending.portIsReserved && pending.failed.count < configuration.relayBindAttempts {
            let primary = pending.bindingPrimary
            if let next = freeRelayEndpoint(on: endpoint.address, even: primary && pending.evenPort != nil,
                                            pair: primary && pending.evenPort == true, excluding: pending.failed) {
                return requestBind(next, tuple, &pending, now: now)
            }
        }
        if pending.bindingPrimary {
            fail(tuple, pending)
        } else {
            pending.ipv6Error = 508
            complete(tuple, pending, now: now)
        }
    }

    /// Records `pending` as binding `endpoint` and asks the driver for it. With EVEN-PORT's
    /// R bit the next port is held for the allocation from now on, so that no other
    /// Allocate takes it meanwhile.
    mutating func requestBind(_ endpoint: Endpoint, _ tuple: FiveTuple, _ pending: inout PendingAllocation, now: Instant) {
        pending.binding = endpoint
        relayIndex[endpoint] = tuple
        if pending.evenPort == true && pending.bindingPrimary {
            if let previous = pending.reservationToken { reservations[previous] = nil }
            let token = rng.next()
            pending.reservationToken = token
            reservations[token] = (Endpoint(endpoint.address, endpoint.port + 1), now + Self.reservationLifetime)
        }
        pendingAllocations[tuple] = pending
        outputs.append(.event(.bindRelay(endpoint)))
    }

    /// Every relayed endpoint of `pending` is bound (or its IPv6 one refused): the
    /// allocation exists and the Allocate is answered.
    private mutating func complete(_ tuple: FiveTuple, _ pending: PendingAllocation, now: Instant) {
        if tuple.transport.isReliable && streams[tuple] == nil { return abandon(tuple, pending) }
        pendingAllocations[tuple] = nil
        var attributes = pending.bound.map(STUNAttribute.xorRelayedAddress)
        if let code = pending.ipv6Error { attributes.append(.addressErrorCode(family: .ipv6, error: STUNErrorCode(code))) }
        if let token = pending.reservationToken { attributes.append(.reservationToken(token)) }
        attributes.append(.xorMappedAddress(tuple.client))
        let allocation = ServerAllocation(
            serial: nextSerial, fiveTuple: tuple, username: pending.username, quotaUser: pending.quotaUser, authenticator: pending.authenticator,
            allocateTransaction: pending.reply.transactionID, relayed: pending.bound, allocateAttributes: attributes,
            lifetime: pending.lifetime, expires: now + pending.lifetime)
        nextSerial += 1
        allocations[tuple] = allocation
        counters.allocationsActive += 1
        counters.allocationsTotal += 1
        expiries.insert(allocation.expires, (tuple, allocation.serial))
        outputs.append(.event(.allocationCreated(allocation.summary)))
        respond(pending.reply, .successResponse, attributes + [.lifetime(pending.lifetime.lifetimeSeconds)],
                authenticator: pending.authenticator)
    }

    /// No relayed endpoint could be bound for `pending`: 508, and nothing of it is left.
    private mutating func fail(_ tuple: FiveTuple, _ pending: PendingAllocation) {
        release(tuple, pending)
        reject(pending.reply, TURNRejection(508), authenticator: pending.authenticator)
    }

    /// The client's connection closed while `pending` was being bound: its relayed
    /// endpoints are freed and nobody is answered.
    private mutating func abandon(_ tuple: FiveTuple, _ pending: PendingAllocation) {
        release(tuple, pending)
        for endpoint in pending.bound {
            relayIndex[endpoint] = nil
            outputs.append(.event(.relayClosed(endpoint)))
        }
    }

    /// Forgets `pending` and gives back its share of the quota and its reservation.
    private mutating func release(_ tuple: FiveTuple, _ pending: PendingAllocation) {
        pendingAllocations[tuple] = nil
        if let token = pending.reservationToken { reservations[token] = nil }
        releaseQuota(of: pending.quotaUser)
    }

    // MARK: Choosing ports

    /// How long a port reserved with EVEN-PORT's R bit is kept (RFC 8656 §7.2: 30 s).
    static var reservationLifetime: Duration { .seconds(30) }

    /// A free relayed endpoint on `address` outside `excluding`: random probes, then a scan
    /// from a random port; `even` for an even port, `pair` for an even port whose successor
    /// is free too.
    mutating func freeRelayEndpoint(on address: IPAddress, even: Bool, pair: Bool = false,
                                    excluding: Set<Endpoint> = []) -> Endpoint? {
        let range = configuration.relayPorts
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        func usable(_ e: Endpoint) -> Bool { !excluding.contains(e) && isFreeRelay(e, even: even, pair: pair) }
        for _ in 0..<8 {
            let candidate = Endpoint(address, range.lowerBound + UInt16(rng.next() % span))
            if usable(candidate) { return candidate }
        }
        let start = rng.next() % span
        for offset in 0..<span {
            let candidate = Endpoint(address, range.lowerBound + UInt16((start + offset) % span))
            if usable(candidate) { return candidate }
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
}
