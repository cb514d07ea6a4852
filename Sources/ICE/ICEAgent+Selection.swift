import NetTypes

/// Nomination (RFC 8445 §8.1) and the choice of the pair data flows on, by
/// `ICENominationPolicy`.
extension ICEAgent {
    /// Whether a check of pair `i` by the controlling agent carries USE-CANDIDATE besides
    /// a nominating check: on every check with aggressive nomination (RFC 5245 §8.1.1.2);
    /// with libwebrtc's semi-aggressive nomination while the component has no selected
    /// pair or when the pair ranks above the selected one, unless the peer is lite
    /// (`BasicIceController::GetUseCandidateAttr`, `NominationMode::SEMI_AGGRESSIVE`).
    func nominatesInCheck(_ i: Int) -> Bool {
        switch configuration.nomination {
        case .regular: return false
        case .aggressive: return true
        case .libwebrtc:
            guard !remoteIsLite else { return false }
            guard let pair = selected[checkList[i].component], pair.credentials.local == session.local else { return true }
            return checkList.priority(i, role: role) > CandidatePair.priority(role: role, local: pair.local.priority, remote: pair.remote.priority)
        }
    }

    /// The controlling agent's nominations, per component. Regular (§8.1.1), when no pair
    /// of the component is nominated or nominating: the best valid pair once no better pair can
    /// still succeed and the peer has signalled end-of-candidates, or `nominationWait`
    /// after the component's first valid pair. libwebrtc and aggressive: the selected pair,
    /// when it is neither nominated nor being nominated, by a check with USE-CANDIDATE (libwebrtc
    /// pings the selected connection first, `FindNextPingableConnection` rule 1).
    mutating func nominate(now: Instant) {
        guard role == .controlling, canCheck else { return }
        for component in 1...configuration.components {
            let candidate: Int?
            switch configuration.nomination {
            case .regular:
                guard !checkList.entries.contains(where: { $0.component == component && ($0.nominated || $0.nominating) }) else { continue }
                candidate = regularNomination(component: component, now: now)
            case .libwebrtc, .aggressive:
                candidate = selectedIndex(component: component).flatMap { checkList[$0].nominated || checkList[$0].nominating ? nil : $0 }
            }
            guard let best = candidate else { continue }
            checkList[best].nominating = true
            checkList.trigger(best)
        }
    }

    /// Regular nomination's choice for `component`, if it is time to nominate.
    private func regularNomination(component: Int, now: Instant) -> Int? {
        guard let best = checkList.best(role: role, where: { $0.component == component && $0.isValid }) else { return nil }
        let bestPriority = checkList.priority(best, role: role)
        let betterPending = checkList.entries.indices.contains {
            checkList[$0].component == component && checkList[$0].state != .failed && checkList[$0].state != .succeeded
                && checkList.priority($0, role: role) > bestPriority
        }
        let waited = now >= (firstValid[component] ?? now) + configuration.nominationWait
        return waited || (!betterPending && remoteEndOfCandidates) ? best : nil
    }

    /// The check-list index of the selected pair of `component`, when the current session
    /// selected it.
    func selectedIndex(component: Int) -> Int? {
        guard let pair = selected[component], pair.credentials.local == session.local else { return nil }
        return checkList.index(base: pair.local.base, remote: pair.remote.address, transport: pair.local.transport)
    }

    /// The time `nominate` next has to look, if a component is waiting for better pairs
    /// (regular nomination only).
    var nominationDeadline: Instant? {
        guard configuration.nomination == .regular, role == .controlling, canCheck else { return nil }
        var earliest: Instant?
        for component in 1...configuration.components {
            guard let first = firstValid[component], !checkList.hasNominated(component: component),
                  !checkList.entries.contains(where: { $0.component == component && $0.nominating }) else { continue }
            earliest = min(earliest ?? .distantFuture, first + configuration.nominationWait)
        }
        return earliest
    }

    /// Marks pair `i` nominated and selects again for its component. RFC policies stop the
    /// component's other checks (§8.1.2); libwebrtc keeps checking better pairs.
    mutating func markNominated(_ i: Int, now: Instant) {
        guard !checkList[i].nominated else { return }
        checkList.nominate(i)
        emit(.pairNominated(local: checkList.local(i), remote: checkList.remote(i)), now: now)
        let component = checkList[i].component
        updateSelection(component: component, now: now)
        guard configuration.nomination != .libwebrtc else { return }
        stopRetransmitting { [generation, entries = checkList.entries] purpose in
            if case .check(let p, let g) = purpose { g == generation && entries[p].component == component && p != i } else { false }
        }
    }

    /// Selects the pair data of `component` should flow on, if it changed: the best valid
    /// pair, preferring nominated ones, as soon as it is valid (W3C "connected": a usable
    /// pair; libwebrtc `BasicIceController::ShouldSwitchConnection` switches when a better
    /// pair becomes writable). libwebrtc's controlling side ranks by priority alone (it
    /// then nominates what it selected); a lite agent, which proves no pair itself, takes
    /// nominated pairs only (RFC 8445 §2.5).
    mutating func updateSelection(component: Int, now: Instant) {
        let valid = checkList.best(role: role, where: { $0.component == component && $0.isValid })
        let nominated = checkList.best(role: role, where: { $0.component == component && $0.nominated && $0.isValid })
        let best: Int?
        if configuration.isLite {
            best = nominated
        } else if configuration.nomination == .libwebrtc && role == .controlling {
            best = valid
        } else {
            best = nominated ?? valid
        }
        guard let best else { return }
        let isNominated = checkList[best].nominated
        if var current = selected[component], current.local == checkList.local(best), current.remote == checkList.remote(best),
           current.credentials.local == session.local {
            if isNominated && !current.nominated {
                current.nominated = true
                selected[component] = current
                recordNomination(now: now)
            }
            return
        }
        select(best, nominated: isNominated, now: now)
        recordNomination(now: now)
    }

    /// Makes pair `i` the selected pair of its component.
    private mutating func select(_ i: Int, nominated: Bool, now: Instant) {
        let pair = checkList.pair(i)
        selected[pair.component] = SelectedPair(
            local: pair.local, remote: pair.remote, credentials: session, nominated: nominated, lastConsent: now,
            nextConsentCheck: now + consentDelay(), lastSent: now, roundTripTime: pair.roundTripTime)
        // Reported with the valid pair's local candidate (§7.2.5.3.2): the address the peer
        // sees, e.g. server-reflexive, while data leaves from `pair.local`'s base.
        emit(.selectedPairChanged(component: pair.component, local: pair.validLocal ?? pair.local, remote: pair.remote), now: now)
    }

    /// Whether every component's selected pair belongs to the current session and is
    /// nominated.
    var allSelectedNominated: Bool {
        (1...configuration.components).allSatisfy { selected[$0].map { $0.nominated && $0.credentials.local == session.local } ?? false }
    }

    /// Once every component's selected pair is nominated: the time to nomination, and the
    /// session before a restart is done with.
    private mutating func recordNomination(now: Instant) {
        guard allSelectedNominated else { return }
        previousSession = nil
        if metrics.timeToNominated == nil, let start = startTime { metrics.timeToNominated = now - start }
    }
}
