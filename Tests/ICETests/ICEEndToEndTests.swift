import ICE
import NetTypes
import Simulator
import Testing

/// Two agents in the simulator, signalling through scheduled closures.
@Suite struct ICEEndToEndTests {
    /// Runs until both agents are connected (or `limit` passes); returns the instant.
    @discardableResult
    static func runUntilConnected(_ bed: ICETestbed, limit: Duration = .seconds(60)) -> Instant? {
        let end = bed.simulation.now + limit
        while bed.simulation.now < end {
            bed.simulation.run(for: .milliseconds(10))
            if [bed.alice.state, bed.bob.state].allSatisfy({ $0 == .connected || $0 == .completed }) { return bed.simulation.now }
        }
        return nil
    }

    /// Sends numbered datagrams both ways and runs a little.
    static func exchangeData(_ bed: ICETestbed, count: Int = 5) {
        for i in 0..<count {
            #expect(bed.alice.send([0x80, UInt8(i)]))
            #expect(bed.bob.send([0x81, UInt8(i)]))
        }
        bed.simulation.run(for: .milliseconds(200))
    }

    @Test func connectsAndDataFlowsBothWays() throws {
        let bed = ICETestbed()
        bed.start(alice: bed.configuration(), bob: bed.configuration())
        let connected = try #require(Self.runUntilConnected(bed))
        #expect(connected < Instant.zero + .seconds(1))
        Self.exchangeData(bed)
        #expect(bed.bob.received == (0..<5).map { [0x80, UInt8($0)] })
        #expect(bed.alice.received == (0..<5).map { [0x81, UInt8($0)] })
        let pair = try #require(bed.alice.agent.selectedPair(component: 1))
        #expect(pair.local.type == .host && pair.remote.type == .host)
        bed.simulation.run(for: .seconds(2))
        #expect(bed.alice.state == .completed && bed.bob.state == .completed)
        #expect(bed.alice.agent.gatheringState == .complete)
        let metrics = bed.alice.agent.metrics
        #expect(metrics.timeToFirstConnected != nil && metrics.timeToNominated != nil)
        #expect(metrics.checksSent > 0 && metrics.checksReceived > 0 && metrics.pairsFormed > 0 && metrics.stunBytesSent > 0)
        #expect(bed.alice.driver.unroutable == 0)
    }

    @Test func trickledCandidatesOneByOneStillConnect() throws {
        let bed = ICETestbed(ipv6: true)
        bed.start(alice: bed.configuration(), bob: bed.configuration(), trickleStep: .milliseconds(150))
        try #require(Self.runUntilConnected(bed) != nil)
        // Data may flow on the first valid pair; a better one that succeeds later takes over.
        bed.simulation.run(for: .seconds(2))
        // Checks began before the peer's last candidate arrived (RFC 8838).
        let firstCheck = try #require(bed.alice.events.first { if case .pairStateChanged(_, _, .inProgress) = $0.kind { true } else { false } })
        #expect(firstCheck.time < Instant.zero + .milliseconds(300))
        // Dual-stack: RFC 8421 puts IPv6 first, so the IPv6 host pair wins.
        let pair = try #require(bed.alice.agent.selectedPair(component: 1))
        #expect(pair.local.address.address.family == .ipv6 && pair.remote.type == .host)
        Self.exchangeData(bed)
        #expect(bed.bob.received.count == 5 && bed.alice.received.count == 5)
    }

    @Test func twoComponentsEachGetAPair() throws {
        let bed = ICETestbed()
        let config = bed.configuration { $0.components = 2 }
        bed.start(alice: config, bob: config)
        try #require(Self.runUntilConnected(bed) != nil)
        for component in 1...2 {
            let pair = try #require(bed.alice.agent.selectedPair(component: component))
            #expect(pair.local.component == component && pair.remote.component == component)
        }
        _ = bed.alice.driver.withCore { agent, now in agent.send([0x90], component: 2, now: now) }
        bed.simulation.run(for: .milliseconds(100))
        #expect(bed.bob.events.contains { $0.kind == .data(component: 2, [0x90], ecn: .notECT) })
    }

    @Test func consentLossDisconnectsThenFailsAndRestartRecovers() throws {
        let bed = ICETestbed()
        bed.start(alice: bed.configuration(), bob: bed.configuration())
        try #require(Self.runUntilConnected(bed) != nil)
        bed.simulation.run(for: .seconds(10))
        #expect(bed.alice.state == .completed)
        let down = bed.simulation.now
        bed.aliceLink.update(LinkConfig(latency: .milliseconds(5), isUp: false))
        bed.simulation.run(for: .seconds(40))
        for peer in [bed.alice!, bed.bob!] {
            let disconnected = try #require(peer.firstTime(of: .disconnected))
            let failed = try #require(peer.firstTime(of: .failed))
            // RFC 7675: consent lost 30 s after the last response (checks every 4-6 s).
            #expect(disconnected - down < .seconds(9))
            #expect(failed - down >= .seconds(24) && failed - down <= .seconds(31))
            #expect(!peer.send([0x80]))
        }
        bed.aliceLink.update(LinkConfig(latency: .milliseconds(5)))
        bed.restartBoth()
        try #require(Self.runUntilConnected(bed, limit: .seconds(5)) != nil)
        Self.exchangeData(bed)
        #expect(bed.bob.received.count == 5 && bed.alice.received.count == 5)
    }

    @Test func restartKeepsDataOnTheOldPairUntilTheNewOneIsSelected() throws {
        let bed = ICETestbed()
        bed.start(alice: bed.configuration(), bob: bed.configuration())
        try #require(Self.runUntilConnected(bed) != nil)
        let oldUfrag = bed.alice.agent.localCredentials.ufrag
        bed.restartBoth()
        #expect(bed.alice.agent.localCredentials.ufrag != oldUfrag)
        #expect(bed.alice.send([0x80, 1]))
        bed.simulation.run(for: .seconds(2))
        #expect(bed.bob.received.contains([0x80, 1]))
        let selections = bed.alice.events.filter { if case .selectedPairChanged = $0.kind { true } else { false } }
        #expect(selections.count == 2)
        #expect(bed.alice.states.last == .completed)
        bed.simulation.run(for: .seconds(20))
        #expect(bed.alice.state == .completed && bed.bob.state == .completed)
    }

    @Test func connectsThroughThirtyPercentLoss() throws {
        let lossy = LinkConfig(latency: .milliseconds(5), loss: .bernoulli(0.3))
        var slowest: [ICENominationPolicy: Duration] = [:]
        for policy in [ICENominationPolicy.libwebrtc, .regular] {
            for seed in 1...4 as ClosedRange<UInt64> {
                let bed = ICETestbed(seed: seed, aliceLinkConfig: lossy)
                let config = bed.configuration { $0.nomination = policy; $0.pacingInterval = policy.pacingInterval }
                bed.start(alice: config, bob: config)
                let connected = try #require(Self.runUntilConnected(bed, limit: .seconds(30)))
                slowest[policy] = max(slowest[policy] ?? .zero, connected - .zero)
                bed.simulation.run(for: .seconds(40))
                #expect(bed.alice.state != .failed && bed.bob.state != .failed)
                #expect(bed.alice.agent.metrics.checksRetransmitted > 0 || bed.bob.agent.metrics.checksRetransmitted > 0)
            }
        }
        // A lost check costs RFC 8489 retransmissions (500 ms doubling to 3 s) under the RFC
        // policy, the next pacer turns under libwebrtc's, which repeats unanswered checks.
        #expect(slowest.values.allSatisfy { $0 < .seconds(15) }, "\(slowest)")
        #expect(slowest[.libwebrtc]! < slowest[.regular]!, "\(slowest)")
    }

    @Test func relayOnlyPolicySelectsRelayPairs() throws {
        let bed = ICETestbed()
        let config = bed.configuration { $0.transportPolicy = .relay }
        bed.start(alice: config, bob: bed.configuration())
        try #require(Self.runUntilConnected(bed) != nil)
        #expect(bed.alice.agent.localCandidates.allSatisfy { $0.type == .relayed || $0.type == .peerReflexive })
        #expect(bed.alice.events.allSatisfy { if case .candidateGathered(let c) = $0.kind { c.type == .relayed } else { true } })
        let pair = try #require(bed.alice.agent.selectedPair(component: 1))
        #expect(pair.local.type == .relayed)
        #expect(bed.alice.agent.checkList.pairs.allSatisfy { $0.local.type == .relayed })
        Self.exchangeData(bed)
        #expect(bed.bob.received.count == 5 && bed.alice.received.count == 5)
        #expect(bed.relayServer.core.relayedDatagrams > 10)
    }

    @Test func fullAgentNominatesForALitePeer() throws {
        let bed = ICETestbed()
        // Both start "controlled": the full agent takes control when it learns the peer is lite.
        bed.start(alice: bed.configuration(), aliceRole: .controlled, bob: bed.configuration { $0.isLite = true })
        try #require(Self.runUntilConnected(bed) != nil)
        #expect(bed.alice.agent.role == .controlling && bed.bob.agent.role == .controlled)
        #expect(bed.bob.agent.metrics.checksSent == 0)
        #expect(bed.bob.agent.localCandidates.allSatisfy { $0.type == .host })
        Self.exchangeData(bed)
        #expect(bed.bob.received.count == 5 && bed.alice.received.count == 5)
    }

    @Test func roleConflictWhenBothStartControlling() throws {
        let bed = ICETestbed()
        bed.start(alice: bed.configuration(), aliceRole: .controlling, bob: bed.configuration(), bobRole: .controlling)
        try #require(Self.runUntilConnected(bed) != nil)
        let roles = [bed.alice.agent.role, bed.bob.agent.role]
        #expect(Set(roles) == [.controlling, .controlled])
        let switched = bed.alice.agent.role == .controlled ? bed.alice! : bed.bob!
        #expect(switched.events.contains { $0.kind == .roleChanged(.controlled) })
        // The larger tie-breaker keeps control (RFC 8445 §7.3.1.1).
        let winner = bed.alice.agent.role == .controlling ? bed.alice! : bed.bob!
        #expect(winner.agent.tieBreaker >= switched.agent.tieBreaker)
        Self.exchangeData(bed)
        #expect(bed.bob.received.count == 5)
    }

    @Test func sameSeedSameEventLog() throws {
        func run(_ seed: UInt64) -> [String] {
            let lossy = LinkConfig(latency: .milliseconds(5), loss: .bernoulli(0.1))
            let bed = ICETestbed(seed: seed, aliceLinkConfig: lossy, ipv6: true)
            bed.start(alice: bed.configuration(), bob: bed.configuration(), trickleStep: .milliseconds(30))
            bed.simulation.run(for: .seconds(20))
            return bed.alice.log + ["--"] + bed.bob.log
        }
        let first = run(7)
        #expect(first == run(7))
        #expect(first != run(8))
        #expect(first.contains { $0.hasSuffix("selected 1") || $0.contains("selected 1 ") })
    }

    @Test func failsWhenEveryPairFailsAfterEndOfCandidates() throws {
        let bed = ICETestbed()
        bed.aliceLink.update(LinkConfig(latency: .milliseconds(5), isUp: false))
        var config = bed.configuration { $0.relayServers = []; $0.stunServers = [] }
        config.checkingTimeout = .seconds(120)
        bed.start(alice: config, bob: config)
        bed.simulation.run(for: .seconds(30))
        // The only pair's check ran out of retransmissions at 15.5 s (500 ms doubling to 3 s, Rc = 7).
        let failed = try #require(bed.bob.firstTime(of: .failed))
        #expect(failed > Instant.zero + .seconds(15) && failed < Instant.zero + .seconds(17))
        #expect(bed.bob.agent.checkList.pairs.allSatisfy { $0.state == .failed })
        #expect(bed.bob.states == [.checking, .failed])
    }

    @Test func checkingTimeoutFailsWithoutEndOfCandidates() throws {
        let bed = ICETestbed()
        bed.aliceLink.update(LinkConfig(latency: .milliseconds(5), isUp: false))
        let config = bed.configuration { $0.relayServers = []; $0.stunServers = []; $0.checkingTimeout = .seconds(5) }
        bed.start(alice: config, bob: config)
        bed.simulation.run(for: .seconds(8))
        let failed = try #require(bed.bob.firstTime(of: .failed))
        #expect(failed < Instant.zero + .seconds(6))
    }

    @Test func keepalivesGoOnAnIdlePairWithoutConsent() throws {
        let bed = ICETestbed()
        let config = bed.configuration { $0.consentFreshness = false }
        bed.start(alice: config, bob: config)
        try #require(Self.runUntilConnected(bed) != nil)
        bed.simulation.run(for: .seconds(61))
        // Tr = 15 s: four keepalives in a minute of silence, and the pair stays up.
        #expect(bed.alice.agent.metrics.keepalivesSent == 4)
        #expect(bed.alice.agent.metrics.consentChecksSent == 0)
        #expect(bed.alice.state == .completed)
    }

    @Test func consentChecksAreRandomisedAroundTheInterval() throws {
        let bed = ICETestbed()
        bed.start(alice: bed.configuration(), bob: bed.configuration())
        try #require(Self.runUntilConnected(bed) != nil)
        bed.simulation.run(for: .seconds(100))
        let sent = bed.alice.agent.metrics.consentChecksSent
        // 100 s / (5 s × [0.8, 1.2]) — between 16 and 25, never the keepalive.
        #expect(sent >= 16 && sent <= 25)
        #expect(bed.alice.agent.metrics.keepalivesSent == 0)
        #expect(bed.alice.state == .completed)
    }
}
