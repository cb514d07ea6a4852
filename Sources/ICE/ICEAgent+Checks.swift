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

    mutating func unfreeze(now: Instant) {
        for i in checkList.unfreeze(role: role) { emitPairState(i, now: now) }
    }

    mutating func setPairState(_ i: Int, _ state: CandidatePairState, now: Instant) {
        guard checkList[i].state != state else { return }
        checkList[i].state = state
        emitPairState(i, now: now)
    }

    private mutating func emitPairState(_ i: Int, now: Instant) {
        emit(.pairStateChanged(local: checkList.local(i), remote: checkList.remote(i), state: checkList[i].state), now: now)
    }

    /// Whether checks can be sent at all: a full agent that knows the peer's password.
    var canCheck: Bool { !configuration.isLite && session.remoteAuthenticator != nil }

    /// One pacer turn every Ta (§6.1.4.2, §14.2): a triggered check, else a gathering
    /// step, else the best waiting pair.
    mutating func pace(now: Instant) {
        if let last = lastPaced, now < last + configuration.pacingInterval { return }
        if canCheck, checkList.hasTriggered, let i = checkList.nextCheck(role: role, components: configuration.components) {
            sendCheck(i, now: now)
        } else if !gatheringJobs.isEmpty {
            runGatheringJob(now: now)
        } else if canCheck, let i = checkList.nextCheck(role: role, components: configuration.components) {
            sendCheck(i, now: now)
        } else {
            return
        }
        lastPaced = now
    }

    /// Whether the pacer has something to do at its next turn.
    var hasPacedWork: Bool {
        !gatheringJobs.isEmpty || (canCheck && checkList.hasWork)
    }

    /// Sends a connectivity check for pair `i` (§7.2.4); an earlier check of the pair
    /// stops retransmitting.
    mutating func sendCheck(_ i: Int, now: Instant) {
        guard let authenticator = session.remoteAuthenticator, let username = session.outgoingUsername else { return }
        stopRetransmitting(pair: i)
        let local = checkList.local(i)
        let useCandidate = role == .controlling && checkList[i].nominating
        let active = checkList.entries.reduce(0) { $1.state == .waiting || $1.state == .inProgress ? $0 + 1 : $0 }
        let rto = min(max(configuration.pacingInterval * Int64(active), configuration.minimumRTO), configuration.maximumRTO)
        startCheck(
            .check(pair: i, generation: generation), base: local.base, remote: checkList.remote(i).address,
            username: username, authenticator: authenticator, component: checkList[i].component,
            localPreference: local.priority >> 8 & 0xFFFF, useCandidate: useCandidate, rto: rto, now: now)
        metrics.checksSent += 1
        checksStarted = checksStarted ?? now
        setPairState(i, .inProgress, now: now)
    }

    /// Builds, records and sends a Binding request with the ICE attributes (§7.1.1-7.1.3):
    /// USERNAME, PRIORITY (as a peer-reflexive candidate of this base), ICE-CONTROLLING or
    /// ICE-CONTROLLED, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT.
    mutating func startCheck(
        _ purpose: CheckTransaction.Purpose, base: Endpoint, remote: Endpoint, username: String,
        authenticator: STUNAuthenticator, component: Int, localPreference: UInt32, useCandidate: Bool, rto: Duration,
        now: Instant
    ) {
        let priority = Candidate.priority(type: .peerReflexive, localPreference: localPreference, component: component)
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
            purpose: purpose, base: base, remote: remote, payload: payload, authenticator: authenticator, role: role,
            useCandidate: useCandidate, priority: priority, sequence: checkSequence, interval: rto, deadline: now + rto)
        checkSequence += 1
        transmit(payload, from: base, to: remote, now: now)
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

    /// Retransmits due checks (RTO doubling up to the maximum, Rc sends in all) and fails
    /// the pairs of those that ran out (RFC 8489 §6.2.1, RFC 8445 §7.2.5.2).
    mutating func retransmitChecks(now: Instant) {
        var due: [(id: STUNTransactionID, check: CheckTransaction)] = []
        for (id, check) in checks where check.deadline <= now { due.append((id, check)) }
        due.sort { $0.check.sequence < $1.check.sequence }
        for (id, var check) in due {
            if check.retransmits && check.transmissions < configuration.checkTransmissions {
                check.transmissions += 1
                check.interval = min(check.interval * Int64(2), configuration.maximumRTO)
                check.deadline = check.deadline + check.interval
                checks[id] = check
                metrics.checksRetransmitted += 1
                transmit(check.payload, from: check.base, to: check.remote, now: now)
                continue
            }
            checks[id] = nil
            if check.retransmits, case .check(let i, let g) = check.purpose, g == generation, checkList[i].state == .inProgress {
                checkList[i].nominating = false
                setPairState(i, .failed, now: now)
            }
        }
    }

    /// Regular nomination (§8.1.1): for each component without a nominated pair, the
    /// controlling agent nominates the best valid pair once no better pair can still
    /// succeed and the peer has signalled end-of-candidates, or `nominationWait` after
    /// the component's first valid pair.
    mutating func nominate(now: Instant) {
        guard role == .controlling, canCheck else { return }
        for component in 1...configuration.components {
            guard !checkList.entries.contains(where: { $0.component == component && ($0.nominated || $0.nominating) }),
                  let best = checkList.best(role: role, where: { $0.component == component && $0.isValid })
            else { continue }
            let bestPriority = checkList.priority(best, role: role)
            let betterPending = checkList.entries.indices.contains {
                checkList[$0].component == component && checkList[$0].state != .failed && checkList[$0].state != .succeeded
                    && checkList.priority($0, role: role) > bestPriority
            }
            let waited = now >= (firstValid[component] ?? now) + configuration.nominationWait
            guard waited || (!betterPending && remoteEndOfCandidates) else { continue }
            checkList[best].nominating = true
            checkList.trigger(best)
        }
    }

    /// The time `nominate` next has to look, if a component is waiting for better pairs.
    var nominationDeadline: Instant? {
        guard role == .controlling, canCheck else { return nil }
        var earliest: Instant?
        for component in 1...configuration.components {
            guard let first = firstValid[component], !checkList.hasNominated(component: component),
                  !checkList.entries.contains(where: { $0.component == component && $0.nominating }) else { continue }
            earliest = min(earliest ?? .distantFuture, first + configuration.nominationWait)
        }
        return earliest
    }

    /// Marks pair `i` nominated and selects the best nominated valid pair of its component.
    mutating func markNominated(_ i: Int, now: Instant) {
        guard !checkList[i].nominated else { return }
        checkList.nominate(i)
        emit(.pairNominated(local: checkList.local(i), remote: checkList.remote(i)), now: now)
        let component = checkList[i].component
        guard let best = checkList.best(role: role, where: { $0.component == component && $0.nominated && $0.isValid }) else { return }
        if let current = selected[component], current.local == checkList.local(best), current.remote == checkList.remote(best),
           current.credentials.local == session.local { return }
        select(best, now: now)
        // §8.1.2: lower-priority checks of the component stop retransmitting.
        stopRetransmitting { [generation, entries = checkList.entries] purpose in
            if case .check(let p, let g) = purpose { g == generation && entries[p].component == component && p != i } else { false }
        }
    }

    /// Makes pair `i` the selected pair of its component.
    private mutating func select(_ i: Int, now: Instant) {
        let pair = checkList.pair(i)
        let component = pair.component
        selected[component] = SelectedPair(
            local: pair.local, remote: pair.remote, credentials: session, lastConsent: now, nextConsentCheck: now + consentDelay(), lastSent: now)
        if metrics.timeToSelectedPair == nil, let start = startTime { metrics.timeToSelectedPair = now - start }
        // Reported with the valid pair's local candidate (§7.2.5.3.2): the address the peer
        // sees, e.g. server-reflexive, while data leaves from `pair.local`'s base.
        emit(.selectedPairChanged(component: component, local: pair.validLocal ?? pair.local, remote: pair.remote), now: now)
        let all = (1...configuration.components).allSatisfy { c in
            selected[c].map { s in
                checkList.entries.indices.contains { checkList[$0].nominated && checkList.local($0) == s.local && checkList.remote($0) == s.remote }
            } ?? false
        }
        if all { previousSession = nil }
    }
}
