import NetTypes
import STUN

extension STUNErrorCode {
    /// 487 Role Conflict (RFC 8445 §7.3.1.1).
    public static let roleConflict = STUNErrorCode(code: 487, reason: "Role Conflict")
}

extension ICEAgent {
    /// A datagram that arrived on local base `base` (a host socket, a relayed address, or
    /// an ICE-TCP connection's local end, `transport` `.tcp`) from `remote`:
    /// demultiplexed by its first byte (RFC 7983). `ecn`: the IP ECN field it arrived with.
    mutating func receive(_ payload: [UInt8], at base: Endpoint, from remote: Endpoint, transport: TransportKind = .udp,
                          ecn: ECNCodepoint = .notECT, now: Instant) {
        switch PacketKind(classifying: payload) {
        case .stun:
            metrics.stunBytesReceived += payload.count
            if transport == .udp, stunTransactions.handleResponse(Datagram(source: remote, destination: base, payload: payload), now: now) {
                drainSTUNTransactions(now: now)
                return
            }
            guard let decoded = try? DecodedSTUNMessage(decoding: payload), decoded.fingerprintCheck != .invalid,
                  decoded.message.type.method == .binding else { return }
            let path = Path(base: base, remote: remote, transport: transport)
            switch decoded.message.type.messageClass {
            case .request: handleRequest(decoded, on: path, now: now)
            case .successResponse, .errorResponse: handleResponse(decoded, on: path, now: now)
            case .indication: return
            }
        case .unknown:
            return
        default:
            guard let component = dataComponent(Path(base: base, remote: remote, transport: transport)) else { return }
            metrics.dataReceived += 1
            emit(.data(component: component, payload, ecn: ecn), now: now)
        }
    }

    /// Where a datagram arrived: the local base, the remote endpoint, the transport.
    struct Path {
        var base: Endpoint
        var remote: Endpoint
        var transport: TransportKind

        /// Whether the pair of `local` and `remote` candidates runs on this path.
        func joins(_ local: Candidate, _ remote: Candidate) -> Bool {
            local.base == base && local.transport == transport && remote.address == self.remote
        }
    }

    /// The component whose selected pair, or any check-list pair, runs on `path`. Until
    /// nomination settles, the peer may send on a pair this agent has not validated itself
    /// (each side selects its best valid pair, and the libwebrtc policy stops checking
    /// pairs below the selected one): data from a known remote candidate to a local base
    /// is taken on any pair, as libwebrtc takes it on any `Connection` it has
    /// (`Connection::OnReadPacket`). Data from unknown endpoints is dropped.
    private func dataComponent(_ path: Path) -> Int? {
        if let (component, _) = selected.first(where: { path.joins($0.value.local, $0.value.remote) }) {
            return component
        }
        return checkList.entries.indices.first { path.joins(checkList.local($0), checkList.remote($0)) }.map { checkList[$0].component }
    }

    // MARK: Requests (§7.3)

    private mutating func handleRequest(_ request: DecodedSTUNMessage, on path: Path, now: Instant) {
        metrics.checksReceived += 1
        let message = request.message
        guard let username = message.username,
              request.messageIntegrityOffset != nil || request.messageIntegritySHA256Offset != nil else {
            return respondError(.badRequest, to: request, on: path, now: now)
        }
        let credentials: SessionCredentials
        let isCurrent: Bool
        if session.accepts(username: username) {
            credentials = session; isCurrent = true
        } else if let previous = previousSession, previous.accepts(username: username) {
            credentials = previous; isCurrent = false
        } else {
            return respondError(.unauthorized, to: request, on: path, now: now)
        }
        guard request.checkIntegrity(credentials.localAuthenticator) == .valid else {
            return respondError(.unauthorized, to: request, on: path, now: now)
        }
        if isCurrent && !configuration.isLite && hasRoleConflict(message, now: now) {
            return respond(
                STUNMessage(type: .bindingError, transactionID: message.transactionID, attributes: [.errorCode(.roleConflict)]),
                signedWith: credentials.localAuthenticator, on: path, now: now)
        }
        respond(
            STUNMessage(type: .bindingSuccess, transactionID: message.transactionID, attributes: [.xorMappedAddress(path.remote)]),
            signedWith: credentials.localAuthenticator, on: path, now: now)
        guard isCurrent else { return }
        checksStarted = checksStarted ?? now
        let useCandidate = message.attribute(.useCandidate) != nil && role == .controlled
        guard let i = pairForRequest(message, on: path, now: now) else { return }
        if configuration.isLite {
            // A lite agent runs no checks: the peer's check proves the pair (§2.5).
            checkList[i].validLocal = checkList[i].local
            setPairState(i, .succeeded, now: now)
            if useCandidate { markNominated(i, now: now) }
            return
        }
        triggerCheck(i, useCandidate: useCandidate, now: now)
    }

    /// §7.3.1.1: a request claiming our role. The larger tie-breaker keeps controlling;
    /// returns true when the peer must switch (we answer 487).
    private mutating func hasRoleConflict(_ message: STUNMessage, now: Instant) -> Bool {
        switch role {
        case .controlling:
            guard let theirs = message.first({ if case .iceControlling(let t) = $0 { t } else { nil } }) else { return false }
            if tieBreaker >= theirs { return true }
            switchRole(to: .controlled, now: now)
        case .controlled:
            guard let theirs = message.first({ if case .iceControlled(let t) = $0 { t } else { nil } }) else { return false }
            if tieBreaker < theirs { return true }
            switchRole(to: .controlling, now: now)
        }
        return false
    }

    /// The check-list pair a request arrived on (§7.3.1.3-7.3.1.4): the local candidate
    /// of the path's base and the remote candidate at its remote end, learned as
    /// peer-reflexive when new. Over TCP that is the usual case on a passive candidate:
    /// the peer's active candidate connects from a port nobody signalled (RFC 6544 §7.2),
    /// and the peer-reflexive candidate takes the type that pairs with the local one.
    private mutating func pairForRequest(_ message: STUNMessage, on path: Path, now: Instant) -> Int? {
        guard let local = localCandidates.first(where: {
            $0.base == path.base && $0.transport == path.transport && ($0.type == .host || $0.type == .relayed)
        }) else { return nil }
        if let existing = checkList.index(base: path.base, remote: path.remote, transport: path.transport) { return existing }
        let candidate: Candidate
        if let known = remoteCandidates.first(where: {
            $0.address == path.remote && $0.component == local.component && $0.transport == path.transport
        }) {
            candidate = known
        } else {
            peerReflexiveCount += 1
            let priority = message.first { if case .priority(let p) = $0 { p } else { nil } }
                ?? Candidate.priority(type: .peerReflexive, localPreference: 0, component: local.component)
            candidate = Candidate(foundation: .numbered(peerReflexiveCount, prefix: "prflx"), component: local.component,
                                  transport: path.transport, priority: priority, address: path.remote, type: .peerReflexive,
                                  tcpType: local.tcpType?.counterpart)
            remoteCandidates.append(candidate)
        }
        let added = checkList.addPairs(locals: [local], remotes: [candidate], role: role, limit: configuration.maximumPairs, passive: true)
        metrics.pairsFormed += added.count
        if let i = added.first {
            checkList[i].state = .waiting
            emit(.pairStateChanged(local: local, remote: candidate, state: .waiting), now: now)
        }
        return added.first
    }

    /// The triggered check a request causes (§7.3.1.4), and USE-CANDIDATE (§7.3.1.5).
    private mutating func triggerCheck(_ i: Int, useCandidate: Bool, now: Instant) {
        switch checkList[i].state {
        case .succeeded:
            if useCandidate { markNominated(i, now: now) }
            return
        case .inProgress:
            stopRetransmitting(pair: i)
        case .failed, .frozen:
            setPairState(i, .waiting, now: now)
        case .waiting:
            break
        }
        if useCandidate { checkList[i].nominateOnSuccess = true }
        checkList.trigger(i)
    }

    private mutating func respond(_ message: STUNMessage, signedWith authenticator: STUNAuthenticator?, on path: Path, now: Instant) {
        transmit(message.encoded(authenticator: authenticator), from: path.base, to: path.remote, transport: path.transport, now: now)
    }

    /// 400 or 401, unsigned: the key to sign with is unknown or wrong (§7.3, RFC 8489 §9.1.3).
    private mutating func respondError(_ code: STUNErrorCode, to request: DecodedSTUNMessage, on path: Path, now: Instant) {
        respond(STUNMessage(type: .bindingError, transactionID: request.message.transactionID, attributes: [.errorCode(code)]),
                signedWith: nil, on: path, now: now)
    }

    // MARK: Responses (§7.2.5)

    private mutating func handleResponse(_ response: DecodedSTUNMessage, on path: Path, now: Instant) {
        let id = response.message.transactionID
        guard let check = checks[id] else { return }
        let isError = response.message.type.messageClass == .errorResponse
        let integrity = response.checkIntegrity(check.authenticator)
        guard integrity == .valid || (isError && integrity == .missing) else { return }
        // A peer that has not yet received our credentials through signaling answers
        // 400/401 (and an overloaded one 500): like libwebrtc, treat these as recoverable
        // and keep retransmitting the check until its Rc transmissions run out, instead
        // of failing the pair at once (RFC 8445 §7.2.5.2.4 would fail it).
        if isError, case .check = check.purpose, let code = response.message.errorCode?.code,
           Self.recoverableCheckErrors.contains(code) {
            return
        }
        checks[id] = nil
        switch check.purpose {
        case .consent(let component):
            guard !isError, check.travels(path), var pair = selected[component] else { return }
            pair.lastConsent = now
            pair.roundTripTime = check.roundTripSample(at: now) ?? pair.roundTripTime
            selected[component] = pair
        case .check(let i, let g):
            guard g == generation else { return }
            // §7.2.5.2.1: the response must come back on the reverse path.
            guard check.travels(path) else {
                checkList[i].nominating = false
                return setPairState(i, .failed, now: now)
            }
            if isError {
                handleCheckError(response.message.errorCode, check: check, pair: i, now: now)
            } else if let mapped = response.message.mappedAddress {
                checkSucceeded(i, check: check, mapped: mapped, now: now)
            } else {
                setPairState(i, .failed, now: now)
            }
        }
    }

    /// Error codes of check responses that do not fail the pair (see `handleResponse`).
    static let recoverableCheckErrors: Set<Int> = [400, 401, 500]

    /// §7.2.5.1: 487 switches role (unless we already did) and retries the pair; other
    /// errors fail it.
    private mutating func handleCheckError(_ code: STUNErrorCode?, check: CheckTransaction, pair i: Int, now: Instant) {
        checkList[i].nominating = false
        guard code?.code == STUNErrorCode.roleConflict.code else { return setPairState(i, .failed, now: now) }
        if check.role == role { switchRole(to: role.opposite, now: now) }
        setPairState(i, .waiting, now: now)
        checkList.trigger(i)
    }

    /// §7.2.5.3: the pair succeeds; its valid pair's local candidate is the mapped address
    /// (a new peer-reflexive candidate when no local one has it); same-foundation pairs
    /// unfreeze; a nomination completes; the pair may become the selected one (usable).
    private mutating func checkSucceeded(_ i: Int, check: CheckTransaction, mapped: Endpoint, now: Instant) {
        let component = checkList[i].component
        let validLocal: Candidate
        if let known = localCandidates.first(where: { $0.base == check.base && $0.transport == check.transport && check.maps(to: $0, mapped) }) {
            validLocal = known
        } else {
            validLocal = Candidate(
                foundation: foundations.foundation(type: .peerReflexive, base: check.base.address, server: nil, transport: check.transport),
                component: component, transport: check.transport, priority: check.priority, address: mapped, type: .peerReflexive,
                base: check.base, tcpType: checkList.local(i).tcpType)
            localCandidates.append(validLocal)
        }
        checkList.setValidLocal(i, validLocal)
        if let sample = check.roundTripSample(at: now) { checkList.setRoundTripTime(i, sample) }
        setPairState(i, .succeeded, now: now)
        firstValid[component] = firstValid[component] ?? now
        unfreeze(now: now)
        if var pair = selected[component], check.travels(Path(base: pair.local.base, remote: pair.remote.address, transport: pair.local.transport)) {
            pair.lastConsent = now
            pair.roundTripTime = check.roundTripSample(at: now) ?? pair.roundTripTime
            selected[component] = pair
        }
        if (check.useCandidate && role == .controlling) || (checkList[i].nominateOnSuccess && role == .controlled) {
            markNominated(i, now: now)
        } else {
            updateSelection(component: component, now: now)
        }
    }
}
