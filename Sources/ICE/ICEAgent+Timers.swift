import NetTypes
import STUN

extension ICEAgent {
    /// Runs everything due at `now`, then recomputes the states and re-arms the timers:
    /// called after every input.
    mutating func update(now: Instant) {
        guard connectionState != .closed else { return }
        lastUpdate = max(lastUpdate, now)
        if timers.isDue(.gathering, at: now) {
            stunTransactions.handleTimeout(now: now)
            drainSTUNTransactions(now: now)
        }
        for i in relays.indices where relays[i].deadline <= now {
            relays[i].client.handleTimeout(now: now)
            drainRelay(i, now: now)
        }
        retransmitChecks(now: now)
        nominate(now: now)
        pace(now: now)
        refreshConsent(now: now)
        updateGatheringState(now: now)
        updateConnectionState(now: now)
        armTimers()
    }

    /// Whether `update(now:)` would do nothing but move `lastUpdate` after an input that
    /// left the state as it was (a datagram other than STUN): no deadline it acts on is
    /// reached — no timer armed after the last update fires by `now`, and no gathering,
    /// relay or check deadline — and the pacing deadline does not follow from the time of
    /// the last update, so the timers it would re-arm come out the same.
    func updateIsIdle(at now: Instant) -> Bool {
        timers.next(after: lastUpdate) > now && !timers.isDue(.gathering, at: now)
            && relays.allSatisfy { $0.deadline > now } && checks.values.allSatisfy { $0.deadline > now }
            && (lastPaced != nil || !hasPacedWork)
    }

    /// Arms every timer whose deadline follows from the state the handlers left (the
    /// gathering timer is armed where its transactions are drained). A deadline at or
    /// before the last update is not armed: its handler has run and left it there.
    mutating func armTimers() {
        armRelayTimer()
        var checkDeadline = Instant.distantFuture
        for check in checks.values { checkDeadline = min(checkDeadline, afterUpdate(check.deadline)) }
        timers[.checkRetransmit] = checkDeadline
        timers[.pacing] = hasPacedWork ? afterUpdate((lastPaced ?? lastUpdate) + pacingInterval) : .distantFuture
        timers[.nomination] = afterUpdate(nominationDeadline ?? .distantFuture)
        armConsentTimers()
        // An `if` rather than `Optional.map`: the closure of a mutating method captured a
        // copy of the whole agent, once per datagram.
        if let started = checksStarted, !checkingTimedOut, !allComponentsSelected {
            timers[.checkingTimeout] = afterUpdate(started + configuration.checkingTimeout)
        } else {
            timers[.checkingTimeout] = .distantFuture
        }
    }

    /// The relay clients' earliest deadline.
    mutating func armRelayTimer() {
        var deadline = Instant.distantFuture
        for i in relays.indices { deadline = min(deadline, afterUpdate(relays[i].deadline)) }
        timers[.relays] = deadline
    }

    /// Consent (RFC 7675: the next check, expiry and the disconnected mark) and keepalive
    /// (RFC 8445 §11) timers of the selected pairs.
    mutating func armConsentTimers() {
        var consent = Instant.distantFuture
        var keepalive = Instant.distantFuture
        for pair in selected.values where !pair.consentLost {
            keepalive = min(keepalive, afterUpdate(pair.lastSent + configuration.keepaliveInterval))
            if consentApplies {
                consent = min(consent, afterUpdate(pair.nextConsentCheck), afterUpdate(pair.lastConsent + configuration.consentTimeout),
                              afterUpdate(pair.lastConsent + configuration.disconnectedTimeout))
            }
        }
        timers[.consent] = consent
        timers[.keepalive] = keepalive
    }

    /// `deadline` if it lies after the last update, else `distantFuture`.
    private func afterUpdate(_ deadline: Instant) -> Instant { deadline > lastUpdate ? deadline : .distantFuture }

    /// The earliest armed timer after the last update: the deadline `pollOutput` reports.
    func nextDeadline() -> Instant { timers.next(after: lastUpdate) }

    /// Consent freshness applies to full agents that enable it (a lite agent sends no requests).
    var consentApplies: Bool { configuration.consentFreshness && !configuration.isLite }

    /// The wait before the next consent check: the interval × a uniform factor in
    /// [0.8, 1.2] (RFC 7675 §5.1), against synchronised bursts.
    mutating func consentDelay() -> Duration {
        configuration.consentInterval * (0.8 + 0.4 * rng.nextUnit())
    }

    /// Consent checks, consent expiry and keepalives on the selected pairs, by component
    /// (sorted on the stack: there are one or two).
    mutating func refreshConsent(now: Instant) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: selected.count) { buffer in
            var components = buffer
            _ = components.initialize(fromContentsOf: selected.keys)
            components.sort()
            for component in components { refreshConsent(component: component, now: now) }
        }
    }

    /// Consent check, consent expiry and keepalive on the selected pair of `component`.
    private mutating func refreshConsent(component: Int, now: Instant) {
        guard var pair = selected[component], !pair.consentLost else { return }
        if consentApplies {
            if now >= pair.lastConsent + configuration.consentTimeout {
                pair.consentLost = true
                selected[component] = pair
                return
            }
            if now >= pair.nextConsentCheck, let username = pair.credentials.outgoingUsername,
               let authenticator = pair.credentials.remoteAuthenticator {
                pair.nextConsentCheck = now + consentDelay()
                pair.lastSent = now
                selected[component] = pair
                metrics.consentChecksSent += 1
                startCheck(
                    .consent(component: component), base: pair.local.base, remote: pair.remote.address, transport: pair.local.transport,
                    username: username, authenticator: authenticator, component: component,
                    localPreference: pair.local.priority >> 8 & 0xFFFF, useCandidate: false,
                    rto: configuration.minimumRTO, now: now)
            }
        }
        if now >= pair.lastSent + configuration.keepaliveInterval {
            pair.lastSent = now
            selected[component] = pair
            metrics.keepalivesSent += 1
            let indication = STUNMessage(type: .bindingIndication, transactionID: STUNTransactionID(using: &rng))
            transmit(indication.encoded(authenticator: nil), from: pair.local.base, to: pair.remote.address, transport: pair.local.transport,
                     now: now)
        }
    }

    var allComponentsSelected: Bool { (1...configuration.components).allSatisfy { selected[$0] != nil } }

    /// Derives the connection state from the selected pairs, consent and the check list.
    mutating func updateConnectionState(now: Instant) {
        if let started = checksStarted, !allComponentsSelected, now >= started + configuration.checkingTimeout {
            checkingTimedOut = true
        }
        let state: ICEConnectionState
        if allComponentsSelected {
            let pairs = selected.values
            if pairs.contains(where: \.consentLost) {
                state = .failed
            } else if consentApplies && pairs.contains(where: { now >= $0.lastConsent + configuration.disconnectedTimeout }) {
                state = .disconnected
            } else if previousSession == nil && gatheringState == .complete && remoteEndOfCandidates && allSelectedNominated {
                state = .completed
            } else {
                state = .connected
            }
        } else if checkingTimedOut || checkListFailed {
            state = .failed
        } else if checksStarted != nil {
            state = .checking
        } else {
            state = connectionState == .new || connectionState == .failed ? connectionState : .checking
        }
        setConnectionState(state, now: now)
    }

    /// §6.1.2.6 / RFC 8838 §14: every pair failed and no candidate can come any more.
    private var checkListFailed: Bool {
        session.remote != nil && remoteEndOfCandidates && gatheringState == .complete
            && checkList.entries.allSatisfy { $0.state == .failed }
            && !checks.values.contains { if case .check = $0.purpose { $0.retransmits } else { false } }
    }
}
