import NetTypes
import STUN

extension ICEAgent {
    /// Pairs every local candidate with every remote one that is not yet paired
    /// (§6.1.2, RFC 8838 §11), then unfreezes by foundation.
    mutating func formPairs(now: Instant) {
        guard !configuration.isLite else { return }
        let added = checkList.addPairs(locals: localCandidates, remotes: remoteCandidates, role: role, limit: configuration.maximumPairs)
        metrics.pairsFormed += added.count
        for i in added { emitPairState(i, now: now) }
        unfreeze(now: now)
    }

    /// RFC policies unfreeze by foundation (§6.1.2.6); libwebrtc has no frozen pairs: a
    /// `Connection` starts waiting and is pinged at once (p2p/base/connection.cc).
    mutating func unfreeze(now: Instant) {
        let changed = configuration.nomination == .libwebrtc ? checkList.unfreezeAll() : checkList.unfreeze(role: role)
        for i in changed { emitPairState(i, now: now) }
    }

    mutating func setPairState(_ i: Int, _ state: CandidatePairState, now: Instant) {
        guard checkList[i].state != state else { return }
        checkList[i].state = state
        emitPairState(i, now: now)
    }

    mutating func emitPairState(_ i: Int, now: Instant) {
        emit(.pairStateChanged(local: checkList.local(i), remote: checkList.remote(i), state: checkList[i].state), now: now)
    }

    /// Whether checks can be sent at all: a full agent that knows the peer's password.
    var canCheck: Bool { !configuration.isLite && session.remoteAuthenticator != nil }

    /// One pacer turn every Ta (§6.1.4.2, §14.2): a triggered check, else a gathering
    /// step, else the best waiting pair; with the libwebrtc policy, else the pair whose
    /// check went out least recently, again (`FindNextPingableConnection` rules 3 and 4).
    mutating func pace(now: Instant) {
        if let last = lastPaced, now < last + pacingInterval { return }
        if canCheck, checkList.hasTriggered, let i = nextCheck() {
            sendCheck(i, now: now)
        } else if !gatheringJobs.isEmpty {
            runGatheringJob(now: now)
        } else if canCheck, let i = nextCheck() {
            sendCheck(i, now: now)
        } else if let id = nextRepeat() {
            repeatCheck(id, now: now)
        } else {
            return
        }
        lastPaced = now
    }

    /// The next pair to check (§6.1.4.2) among those still checked (`checksPair`): the
    /// oldest triggered one (a nomination always goes), else the waiting pair of highest
    /// priority.
    private mutating func nextCheck() -> Int? {
        while let i = checkList.popTriggered() {
            if checkList[i].nominating || (checkList[i].state != .succeeded && checksPair(i)) { return i }
        }
        return checkList.best(role: role, indices: { checkList[$0].state == .waiting && checksPair($0) })
    }

    /// Whether the pacer has something to do at its next turn.
    var hasPacedWork: Bool {
        !gatheringJobs.isEmpty || (canCheck && checkList.hasWork(checks: checksPair)) || nextRepeat() != nil
    }

    /// The current Ta. libwebrtc slows from `kWeakPingInterval` to `kStrongPingInterval`
    /// once the transport is strongly connected and every pair still checked has had
    /// `MIN_PINGS_AT_WEAK_PING_INTERVAL` pings (`BasicIceController::SelectConnectionToPing`);
    /// gathering keeps the weak pace.
    var pacingInterval: Duration {
        guard configuration.nomination == .libwebrtc, allComponentsSelected, gatheringJobs.isEmpty,
              !checkList.entries.indices.contains(where: { checkList[$0].state == .waiting && checksPair($0) }),
              !checks.values.contains(where: { check in
                  if case .check(let i, let g) = check.purpose, g == generation, check.retransmits, checksPair(i) {
                      check.transmissions < configuration.weakPings
                  } else { false }
              })
        else { return configuration.pacingInterval }
        return configuration.strongPacingInterval
    }

    /// Whether pair `i` is still checked. RFC policies stop checking a component once it
    /// has a nominated pair (§8.1.2). libwebrtc stops checking pairs that rank below the
    /// selected pair (`BasicIceController::PruneConnections`), on the controlled side only
    /// once that pair is nominated (`AllowedToPruneConnections`).
    func checksPair(_ i: Int) -> Bool {
        let component = checkList[i].component
        guard component >= 1, component <= configuration.components else { return false }
        guard configuration.nomination == .libwebrtc else { return !checkList.hasNominated(component: component) }
        guard let pair = selected[component], pair.credentials.local == session.local,
              role == .controlling || pair.nominated else { return true }
        return checkList.priority(i, role: role) > CandidatePair.priority(role: role, local: pair.local.priority, remote: pair.remote.priority)
    }

    /// libwebrtc policy: the check to send again, the one of a pair still checked (or
    /// being nominated) that went out least recently (`BasicIceController::LeastRecentlyPinged`).
    func nextRepeat() -> STUNTransactionID? {
        guard configuration.nomination == .libwebrtc, canCheck else { return nil }
        var oldest: (id: STUNTransactionID, sent: Instant, sequence: Int)?
        for (id, check) in checks where check.retransmits {
            guard case .check(let i, let g) = check.purpose, g == generation,
                  checkList[i].nominating || (checkList[i].state == .inProgress && checksPair(i)) else { continue }
            if let o = oldest, (o.sent, o.sequence) < (check.lastSent, check.sequence) { continue }
            oldest = (id, check.lastSent, check.sequence)
        }
        return oldest?.id
    }

    /// Sends check `id` again (libwebrtc's next ping of the pair; the peer answers a
    /// repeated request alike).
    mutating func repeatCheck(_ id: STUNTransactionID, now: Instant) {
        guard var check = checks[id] else { return }
        check.transmissions += 1
        check.lastSent = now
        checks[id] = check
        metrics.checksRetransmitted += 1
        transmit(check.payload, from: check.base, to: check.remote, transport: check.transport, now: now)
    }

    /// Sends a connectivity check for pair `i` (§7.2.4); an earlier check of the pair
    /// stops retransmitting. With the libwebrtc policy the check is not retransmitted on
    /// an RTO: the pacer repeats it, and the pair fails `checkTimeout` after it.
    mutating func sendCheck(_ i: Int, now: Instant) {
        guard let authenticator = session.remoteAuthenticator, let username = session.outgoingUsername else { return }
        stopRetransmitting(pair: i)
        let local = checkList.local(i)
        let useCandidate = role == .controlling && (checkList[i].nominating || nominatesInCheck(i))
        let rto: Duration
        if configuration.nomination == .libwebrtc {
            rto = configuration.checkTimeout
        } else {
            let active = checkList.entries.reduce(0) { $1.state == .waiting || $1.state == .inProgress ? $0 + 1 : $0 }
            rto = min(max(configuration.pacingInterval * Int64(active), configuration.minimumRTO), configuration.maximumRTO)
        }
        startCheck(
            .check(pair: i, generation: generation), base: local.base, remote: checkList.remote(i).address, transport: local.transport,
            username: username, authenticator: authenticator, component: checkList[i].component,
            localPreference: local.priority >> 8 & 0xFFFF, useCandidate: useCandidate, rto: rto, now: now)
        metrics.checksSent += 1
        checksStarted = checksStarted ?? now
        // A valid pair checked again (a nomination) stays valid: data may be flowing on it.
        if checkList[i].state != .succeeded { setPairState(i, .inProgress, now: now) }
    }

    /// Builds, records and sends a Binding request with the ICE attributes (§7.1.1-7.1.3):
    /// USERNAME, PRIORITY (as a peer-reflexive candidate of this base; over TCP with the
    /// peer-reflexive TCP type preference, see `Candidate.tcpPriority`), ICE-CONTROLLING or
    /// ICE-CONTROLLED, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT.
    mutating func startCheck(
        _ purpose: CheckTransaction.Purpose, base: Endpoint, remote: Endpoint, transport: TransportKind, username: String,
        authenticator: STUNAuthenticator, component: Int, localPreference: UInt32, useCandidate: Bool, rto: Duration,
        now: Instant
    ) {
        let priority = transport == .tcp
            ? Candidate.peerReflexiveTCPPriority(localPreference: localPreference, component: component)
            : Candidate.priority(type: .peerReflexive, localPreference: localPreference, component: component)
        var attributes: [STUNAttribute] = []
        attributes.reserveCapacity(4)
        attributes.append(.username(username))
        attributes.append(.priority(priority))
        attributes.append(role == .controlling ? .iceControlling(tieBreaker) : .iceControlled(tieBreaker))
        if useCandidate { attributes.append(.useCandidate) }
        var id = STUNTransactionID(using: &rng)
        while checks[id] != nil { id = STUNTransactionID(using: &rng) }
        let payload = STUNMessage(type: .bindingRequest, transactionID: id, attributes: attributes).encoded(authenticator: authenticator)
        checks[id] = CheckTransaction(
            purpose: purpose, base: base, remote: remote, transport: transport, payload: payload, authenticator: authenticator, role: role,
            useCandidate: useCandidate, priority: priority, sequence: checkSequence, lastSent: now, interval: rto,
            deadline: now + rto)
        checkSequence += 1
        transmit(payload, from: base, to: remote, transport: transport, now: now)
    }

    /// Stops retransmitting the checks of pair `i` in this session (§7.3.1.4): a newer
    /// check of the pair replaces them.
    mutating func stopRetransmitting(pair i: Int) {
        stopRetransmitting { [generation] in $0 == .check(pair: i, generation: generation) }
    }

    /// Stops retransmitting every check whose purpose `matches`, in place: the table is
    /// neither copied nor rehashed.
    mutating func stopRetransmitting(where matches: (CheckTransaction.Purpose) -> Bool) {
        var index = checks.startIndex
        while index != checks.endIndex {
            if matches(checks.values[index].purpose) { checks.values[index].retransmits = false }
            checks.formIndex(after: &index)
        }
    }

    /// Whether `check` is repeated by the pacer rather than retransmitted on its RTO: a
    /// connectivity check under the libwebrtc policy (consent checks keep RFC 7675's).
    private func isRepeated(_ check: CheckTransaction) -> Bool {
        if case .check = check.purpose { configuration.nomination == .libwebrtc } else { false }
    }

    /// Retransmits due checks (RTO doubling up to the maximum, Rc sends in all) and fails
    /// the pairs of those that ran out (RFC 8489 §6.2.1, RFC 8445 §7.2.5.2), or of those
    /// the pacer repeats that reached `checkTimeout`. A check on a TCP connection keeps
    /// the schedule but sends nothing again (RFC 8489 §6.2.2: TCP retransmits for it), so
    /// its pair fails when a UDP one would.
    mutating func retransmitChecks(now: Instant) {
        var due: [(id: STUNTransactionID, check: CheckTransaction)] = []
        for (id, check) in checks where check.deadline <= now { due.append((id, check)) }
        due.sort { $0.check.sequence < $1.check.sequence }
        for (id, var check) in due {
            if check.retransmits && check.transmissions < configuration.checkTransmissions && !isRepeated(check) {
                check.transmissions += 1
                check.lastSent = now
                check.interval = min(check.interval * Int64(2), configuration.maximumRTO)
                check.deadline = check.deadline + check.interval
                checks[id] = check
                guard check.transport != .tcp else { continue }
                metrics.checksRetransmitted += 1
                transmit(check.payload, from: check.base, to: check.remote, transport: check.transport, now: now)
                continue
            }
            checks[id] = nil
            guard check.retransmits, case .check(let i, let g) = check.purpose, g == generation else { continue }
            checkList[i].nominating = false
            if checkList[i].state == .inProgress { setPairState(i, .failed, now: now) }
        }
    }
}
