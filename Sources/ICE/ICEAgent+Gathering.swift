import NetTypes
import STUN

extension ICEAgent {
    /// Host candidates, one per UDP base (§5.1.1.1), a passive and an active one per
    /// listening TCP base (RFC 6544 §4.1, as browsers gather them) and a simultaneous-open
    /// one per bound S-O base, unless only relays may be used.
    mutating func gatherHostCandidates(now: Instant) {
        guard configuration.transportPolicy == .all else { return }
        for base in hostBases {
            guard base.transport == .udp else {
                gatherTCPHostCandidates(base, now: now)
                continue
            }
            let priority = Candidate.priority(type: .host, localPreference: localPreference(base.endpoint.address), component: base.component)
            let foundation = foundations.foundation(type: .host, base: base.endpoint.address, server: nil, transport: .udp)
            addLocalCandidate(
                Candidate(foundation: foundation, component: base.component, priority: priority, address: base.endpoint, type: .host),
                now: now)
        }
    }

    /// The passive candidate of a TCP base and the active one of its address (port 9,
    /// RFC 6544 §4.5: the port of an active candidate is not known before it connects;
    /// its base has port 9 too, and the driver names connections it opens for it so).
    /// An S-O base gives its simultaneous-open candidate at the bound port (RFC 6544 §4.1:
    /// the port its connections leave from and the peer's connect to).
    private mutating func gatherTCPHostCandidates(_ base: ICEHostBase, now: Instant) {
        let preference = localPreference(base.endpoint.address)
        let foundation = foundations.foundation(type: .host, base: base.endpoint.address, server: nil, transport: .tcp)
        let active = Endpoint(base.endpoint.address, ICEAgent.activeTCPPort)
        let candidates = base.simultaneousOpen
            ? [(base.endpoint, TCPCandidateType.simultaneousOpen)]
            : [(base.endpoint, TCPCandidateType.passive), (active, .active)]
        for (address, tcpType) in candidates {
            let priority = Candidate.tcpPriority(type: .host, tcpType: tcpType, localPreference: preference, component: base.component)
            addLocalCandidate(
                Candidate(foundation: foundation, component: base.component, transport: .tcp, priority: priority, address: address,
                          type: .host, tcpType: tcpType),
                now: now)
        }
    }

    /// Queues STUN queries (every UDP base × server of its family) and relay allocations
    /// (one per TURN server, family and component, from the first UDP base of the
    /// server's family). TCP bases get no server-reflexive candidates: browsers gather
    /// none over TCP, and a NAT's TCP mapping of one connection says little of the next.
    mutating func queueServerQueries() {
        guard !configuration.isLite else { return }
        if configuration.transportPolicy == .all {
            for base in hostBases where base.transport == .udp {
                for server in configuration.stunServers where server.address.family == base.endpoint.address.family {
                    gatheringJobs.append(.stun(base: base.endpoint, server: server))
                }
            }
        }
        guard let relayFactory else { return }
        for server in configuration.relayServers {
            for component in 1...configuration.components {
                guard let base = hostBases.first(where: {
                    $0.component == component && $0.transport == .udp && $0.endpoint.address.family == server.endpoint.address.family
                }) else { continue }
                for family in server.families {
                    let request = ICERelayRequest(server: server, family: family, base: base.endpoint, component: component)
                    relays.append(RelaySlot(request: request, client: relayFactory(request, Xoshiro256(seed: rng.next()))))
                    gatheringJobs.append(.relay(relays.count - 1))
                }
            }
        }
    }

    /// Runs the oldest gathering job (one pacer turn).
    mutating func runGatheringJob(now: Instant) {
        let job = gatheringJobs.removeFirst()
        switch job {
        case .stun(let base, let server):
            let id = stunTransactions.start(STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 0, low: 0)),
                                            from: base, to: server, now: now)
            let component = hostBases.first { $0.endpoint == base }?.component ?? 1
            stunQueries[id] = STUNQuery(base: base, server: server, component: component)
            drainSTUNTransactions(now: now)
        case .relay(let index):
            relays[index].client.start(now: now)
            drainRelay(index, now: now)
        }
    }

    /// Forwards the gathering transactions' datagrams and handles their outcomes.
    mutating func drainSTUNTransactions(now: Instant) {
        while true {
            switch stunTransactions.pollOutput() {
            case .transmit(let datagram):
                metrics.stunBytesSent += datagram.payload.count
                outputs.append(.transmit(datagram))
            case .event(let event):
                guard let query = stunQueries.removeValue(forKey: event.id) else { continue }
                if case .success(_, let response, _, _) = event, let mapped = response.message.mappedAddress {
                    addServerReflexive(mapped, query: query, now: now)
                }
            case .timeout(let deadline):
                timers[.gathering] = deadline
                return
            }
        }
    }

    private mutating func addServerReflexive(_ mapped: Endpoint, query: STUNQuery, now: Instant) {
        let priority = Candidate.priority(type: .serverReflexive, localPreference: localPreference(query.base.address), component: query.component)
        let foundation = foundations.foundation(type: .serverReflexive, base: query.base.address, server: query.server.address, transport: .udp)
        addLocalCandidate(Candidate(
            foundation: foundation, component: query.component, priority: priority, address: mapped, type: .serverReflexive,
            relatedAddress: query.base, base: query.base), now: now)
    }

    /// Forwards a relay client's datagrams and handles its events.
    mutating func drainRelay(_ index: Int, now: Instant) {
        var events: [ICERelayEvent] = []
        loop: while true {
            switch relays[index].client.pollOutput() {
            case .transmit(let datagram): outputs.append(.transmit(datagram))
            case .event(let event): events.append(event)
            case .timeout(let deadline): relays[index].deadline = deadline; break loop
            }
        }
        for event in events { handleRelayEvent(event, relay: index, now: now) }
    }

    private mutating func handleRelayEvent(_ event: ICERelayEvent, relay index: Int, now: Instant) {
        let request = relays[index].request
        switch event {
        case .allocated(let relayed, let mapped):
            relays[index].isSettled = true
            let serverRank = UInt32(configuration.relayServers.firstIndex(of: request.server) ?? 0)
            let preference = LocalPreference.relay(localPreference(request.base.address) - min(serverRank, 127),
                                                   over: request.server.transport)
            let candidate = Candidate(
                foundation: foundations.foundation(type: .relayed, base: request.base.address, server: request.server.endpoint.address,
                                                   transport: request.server.transport),
                component: request.component, priority: Candidate.priority(type: .relayed, localPreference: preference, component: request.component),
                address: relayed, type: .relayed, relatedAddress: mapped, base: relayed, relayProtocol: request.server.transport)
            relays[index].relayed = candidate
            addLocalCandidate(candidate, now: now)
        case .failed:
            relays[index].isSettled = true
            if let candidate = relays[index].relayed {
                relays[index].relayed = nil
                localCandidates.removeAll { $0 == candidate }
                for i in checkList.entries.indices where checkList.local(i) == candidate && checkList[i].state != .failed {
                    setPairState(i, .failed, now: now)
                }
            }
        case .received(let payload, let peer, let ecn):
            guard let relayed = relays[index].relayed else { return }
            receive(payload, at: relayed.address, from: peer, ecn: ecn, now: now)
        }
    }

    /// Adds a gathered candidate unless redundant (same component, transport, address and
    /// base as one already there, §5.1.3), announces it and pairs it with the remote candidates.
    mutating func addLocalCandidate(_ candidate: Candidate, now: Instant) {
        guard !localCandidates.contains(where: {
            $0.address == candidate.address && $0.base == candidate.base && $0.transport == candidate.transport
                && $0.component == candidate.component
        }) else { return }
        localCandidates.append(candidate)
        metrics.candidatesGathered += 1
        emit(.candidateGathered(candidate), now: now)
        formPairs(now: now)
    }

    /// Gathering is complete when no job, query or allocation is outstanding.
    mutating func updateGatheringState(now: Instant) {
        guard gatheringState == .gathering, gatheringJobs.isEmpty, stunQueries.isEmpty,
              relays.indices.allSatisfy({ relays[$0].isSettled }) else { return }
        setGatheringState(.complete, now: now)
    }

    func localPreference(_ address: IPAddress) -> UInt32 {
        localPreferences[address] ?? LocalPreference.highest
    }
}
