import ICE
import NetTypes
import STUN
import Testing

/// ICE-TCP (RFC 6544): TCP host candidates as browsers gather them (passive and active),
/// their priorities and pairing rules, checks and data over RFC 4571-framed connections,
/// peer-reflexive candidates for the port an active candidate really connects from, and
/// pairs failing when their connection is refused or breaks.
@Suite struct ICETCPTests {
    static let aliceUDP = try! Endpoint(parsing: "10.0.0.1:1000")
    static let aliceTCP = try! Endpoint(parsing: "10.0.0.1:1001")
    static let bobUDP = try! Endpoint(parsing: "10.0.0.2:2000")
    static let bobTCP = try! Endpoint(parsing: "10.0.0.2:2001")

    static func agent(_ role: ICERole, bases: [ICEHostBase], seed: UInt64, _ adjust: (inout ICEConfiguration) -> Void = { _ in }) -> ICEAgent {
        var configuration = ICEConfiguration()
        adjust(&configuration)
        var agent = ICEAgent(configuration: configuration, role: role, rng: Xoshiro256(seed: seed))
        agent.startGathering(hostBases: bases, now: .zero)
        return agent
    }

    /// Two agents with the given bases, credentials and candidates exchanged.
    static func pipe(alice aliceBases: [ICEHostBase], bob bobBases: [ICEHostBase], chunk: Int = 7,
                     _ adjust: (inout ICEConfiguration) -> Void = { _ in }) -> StreamPipe {
        var alice = agent(.controlling, bases: aliceBases, seed: 1, adjust)
        var bob = agent(.controlled, bases: bobBases, seed: 2, adjust)
        alice.setRemoteCredentials(bob.localCredentials, now: .zero)
        bob.setRemoteCredentials(alice.localCredentials, now: .zero)
        for candidate in bob.localCandidates { alice.addRemoteCandidate(signalled(candidate), now: .zero) }
        for candidate in alice.localCandidates { bob.addRemoteCandidate(signalled(candidate), now: .zero) }
        alice.endOfRemoteCandidates(now: .zero)
        bob.endOfRemoteCandidates(now: .zero)
        let listening = [aliceBases, bobBases].map { Set($0.filter { $0.transport == .tcp && !$0.simultaneousOpen }.map(\.endpoint)) }
        let simultaneousOpen = [aliceBases, bobBases].map { Set($0.filter(\.simultaneousOpen).map(\.endpoint)) }
        return StreamPipe(alice, bob, listening: listening, simultaneousOpen: simultaneousOpen, chunk: chunk)
    }

    static func signalled(_ candidate: Candidate) -> Candidate {
        var c = candidate
        c.base = candidate.address
        return c
    }

    static let tcpOnly = (alice: [ICEHostBase(endpoint: aliceTCP, component: 1, transport: .tcp)],
                          bob: [ICEHostBase(endpoint: bobTCP, component: 1, transport: .tcp)])

    // MARK: Gathering and pairing

    @Test func aTCPBaseGivesAPassiveAndAnActiveHostCandidate() {
        let agent = Self.agent(.controlling, bases: [ICEHostBase(endpoint: Self.aliceUDP, component: 1),
                                                     ICEHostBase(endpoint: Self.aliceTCP, component: 1, transport: .tcp)], seed: 1) {
            $0.stunServers = [try! Endpoint(parsing: "10.9.9.9:3478")]
        }
        let tcp = agent.localCandidates.filter { $0.transport == .tcp }
        #expect(tcp.map(\.tcpType) == [.passive, .active])
        #expect(tcp.map(\.address) == [Self.aliceTCP, Endpoint(Self.aliceTCP.address, 9)])
        #expect(tcp.allSatisfy { $0.type == .host && $0.base == $0.address })
        // libwebrtc's host TCP type preference (90), direction preference active 6, passive 4.
        #expect(tcp.allSatisfy { $0.priority >> 24 == 90 })
        #expect(tcp[1].priority > tcp[0].priority)
        #expect((tcp[0].priority >> 8 & 0xFFFF) >> 13 == 4 && (tcp[1].priority >> 8 & 0xFFFF) >> 13 == 6)
        let udp = agent.localCandidates.first { $0.transport == .udp }!
        #expect(udp.priority > tcp[1].priority)
        #expect(tcp[0].description.hasSuffix("tcptype passive"))
        // The same foundation for both (type, base address, transport), not the UDP one's.
        #expect(tcp[0].foundation == tcp[1].foundation && tcp[0].foundation != udp.foundation)
    }

    @Test func serverReflexiveQueriesGoFromUDPBasesOnly() {
        var agent = Self.agent(.controlling, bases: [ICEHostBase(endpoint: Self.aliceTCP, component: 1, transport: .tcp),
                                                     ICEHostBase(endpoint: Self.aliceUDP, component: 1)], seed: 1) {
            $0.stunServers = [try! Endpoint(parsing: "10.9.9.9:3478")]
        }
        var sent: [Datagram] = []
        var now = Instant.zero
        for _ in 0..<5 {
            now = now + .milliseconds(50)
            agent.handleTimeout(now: now)
            while case .transmit(let d) = agent.pollOutput() { sent.append(d) }
        }
        #expect(!sent.isEmpty && sent.allSatisfy { $0.transport == .udp && $0.source == Self.aliceUDP })
    }

    @Test func activePairsWithPassiveOnlyAndLocalPassivePairsArePruned() {
        let passive = Candidate(foundation: "p", component: 1, transport: .tcp, priority: 1, address: Self.bobTCP, type: .host, tcpType: .passive)
        let active = Candidate(foundation: "a", component: 1, transport: .tcp, priority: 1, address: Endpoint(Self.bobTCP.address, 9),
                               type: .host, tcpType: .active)
        let so = Candidate(foundation: "s", component: 1, transport: .tcp, priority: 1, address: try! Endpoint(parsing: "10.0.0.2:2002"),
                           type: .host, tcpType: .simultaneousOpen)
        let untyped = Candidate(foundation: "u", component: 1, transport: .tcp, priority: 1, address: try! Endpoint(parsing: "10.0.0.2:2003"),
                                type: .host)
        let udp = Candidate(foundation: "d", component: 1, priority: 1, address: Self.bobUDP, type: .host)
        var agent = Self.agent(.controlling, bases: Self.tcpOnly.alice, seed: 1)
        for candidate in [passive, active, so, untyped, udp] { agent.addRemoteCandidate(candidate, now: .zero) }
        let pairs = agent.checkList.pairs.map { ($0.local.tcpType, $0.remote.address) }
        #expect(pairs.count == 1)
        #expect(pairs.first?.0 == .active && pairs.first?.1 == Self.bobTCP)
    }

    // MARK: Checks and data over connections

    @Test func tcpOnlyAgentsConnectOverFramedConnectionsAndCarryData() throws {
        var pipe = Self.pipe(alice: Self.tcpOnly.alice, bob: Self.tcpOnly.bob, chunk: 5)
        pipe.run(until: .zero + .seconds(2))
        #expect(pipe.bothConnected)
        let alice = try #require(pipe.agents[0].selectedPair(component: 1))
        let bob = try #require(pipe.agents[1].selectedPair(component: 1))
        // Alice (active, port 9) connected to Bob's passive candidate; Bob learned the port
        // the connection really came from as a peer-reflexive active candidate.
        #expect(alice.local.tcpType == .active && alice.remote.address == Self.bobTCP)
        #expect(bob.local.address == Self.bobTCP && bob.remote.type == .peerReflexive && bob.remote.tcpType == .active)
        #expect(bob.remote.address.address == Self.aliceTCP.address && bob.remote.address.port != 9)
        #expect(pipe.refused == 0)
        // Data both ways, one frame per send, split 5 bytes at a time on the way.
        let payload = [UInt8](repeating: 0x80, count: 1_200)
        let sentByAlice = pipe.agents[0].send(payload, now: pipe.now)
        let sentByBob = pipe.agents[1].send([0x81] + payload, now: pipe.now)
        #expect(sentByAlice && sentByBob)
        pipe.run(until: pipe.now + .milliseconds(100))
        #expect(pipe.events[1].contains { if case .data(1, let bytes, _) = $0 { bytes == payload } else { false } })
        #expect(pipe.events[0].contains { if case .data(1, let bytes, _) = $0 { bytes == [0x81] + payload } else { false } })
        // One frame holds at most 65,535 bytes.
        let oversized = pipe.agents[0].send([UInt8](repeating: 0x80, count: 65_536), now: pipe.now)
        #expect(!oversized)
    }

    /// RFC 4571 frames reassembled from any split: a byte at a time, across frame
    /// boundaries, several frames in one read.
    @Test(arguments: [1, 2, 3, 19, 4_096])
    func framesSurviveAnySplit(chunk: Int) throws {
        var pipe = Self.pipe(alice: Self.tcpOnly.alice, bob: Self.tcpOnly.bob, chunk: chunk)
        pipe.run(until: .zero + .seconds(2))
        #expect(pipe.agents[0].selectedPair(component: 1)?.local.transport == .tcp)
        let frames: [[UInt8]] = [[0x80, 1], [], [0x80] + [UInt8](repeating: 7, count: 300), [0x90, 2, 3]]
        for frame in frames { _ = pipe.agents[0].send(frame, now: pipe.now) }
        pipe.run(until: pipe.now + .milliseconds(100))
        let received = pipe.events[1].compactMap { if case .data(1, let bytes, _) = $0 { bytes } else { nil } }
        // The empty frame is no RTP/RTCP/STUN packet: the agent drops it (RFC 7983).
        #expect(received == frames.filter { !$0.isEmpty })
    }

    @Test func udpWinsOverTCPWhenBothWork() throws {
        let alice = [ICEHostBase(endpoint: Self.aliceUDP, component: 1)] + Self.tcpOnly.alice
        let bob = [ICEHostBase(endpoint: Self.bobUDP, component: 1)] + Self.tcpOnly.bob
        var pipe = Self.pipe(alice: alice, bob: bob)
        pipe.run(until: .zero + .seconds(3))
        let selected = try #require(pipe.agents[0].selectedPair(component: 1))
        #expect(selected.local.transport == .udp && selected.remote.address == Self.bobUDP)
    }

    @Test func aRefusedConnectionFailsItsPairAtOnce() {
        var pipe = Self.pipe(alice: Self.tcpOnly.alice, bob: Self.tcpOnly.bob)
        pipe.listening = [[], []]
        pipe.run(until: .zero + .seconds(1))
        #expect(pipe.refused == 2)
        for i in 0..<2 {
            #expect(pipe.agents[i].checkList.pairs.allSatisfy { $0.state == .failed })
            #expect(pipe.agents[i].connectionState == .failed)
        }
    }

    @Test func aBrokenConnectionFailsTheSelectedPair() throws {
        var pipe = Self.pipe(alice: Self.tcpOnly.alice, bob: Self.tcpOnly.bob)
        pipe.listening[0] = []
        pipe.run(until: .zero + .seconds(2))
        let selected = try #require(pipe.agents[0].selectedPair(component: 1))
        pipe.reset(agent: 0, local: selected.local.base, remote: selected.remote.address)
        pipe.run(until: pipe.now + .milliseconds(50))
        for i in 0..<2 { #expect(pipe.agents[i].connectionState == .failed) }
        let sent = pipe.agents[0].send([0x80], now: pipe.now)
        #expect(!sent)
    }

    @Test func aBrokenSelectedPairGivesWayToAnotherValidPair() throws {
        // Both agents listen, so each has a connection of its own: Bob's active pair is
        // valid too, and takes over when the selected one (on Alice's connection) breaks.
        var pipe = Self.pipe(alice: Self.tcpOnly.alice, bob: Self.tcpOnly.bob)
        pipe.run(until: .zero + .seconds(2))
        let bobBefore = try #require(pipe.agents[1].selectedPair(component: 1))
        #expect(bobBefore.local.tcpType == .passive)
        #expect(pipe.agents[1].checkList.pairs.contains { $0.local.tcpType == .active && $0.isValid })
        let alice = try #require(pipe.agents[0].selectedPair(component: 1))
        pipe.reset(agent: 0, local: alice.local.base, remote: alice.remote.address)
        pipe.run(until: pipe.now + .milliseconds(50))
        let bobAfter = try #require(pipe.agents[1].selectedPair(component: 1))
        #expect(bobAfter.local.tcpType == .active && bobAfter.remote.address == Self.aliceTCP)
        #expect(pipe.agents[1].connectionState == .connected || pipe.agents[1].connectionState == .completed)
    }

    @Test func acceptedConnectionsAreBoundedAndOnlyOnPassiveBases() {
        var agent = Self.agent(.controlled, bases: Self.tcpOnly.bob, seed: 2) { $0.maximumTCPConnections = 2 }
        _ = drainTransmits(&agent)
        for port in UInt16(50_000)..<50_003 {
            agent.streamOpened(local: Self.bobTCP, remote: Endpoint(Self.aliceTCP.address, port), transport: .tcp, now: .zero)
        }
        // A connection on an endpoint that is no passive base is closed too.
        agent.streamOpened(local: Self.bobUDP, remote: Endpoint(Self.aliceTCP.address, 50_009), transport: .tcp, now: .zero)
        let closes = drainTransmits(&agent).filter(\.isStreamClose)
        #expect(closes.map(\.destination.port) == [50_002, 50_009])
    }

    @Test func garbageOnAConnectionIsHarmless() {
        var agent = Self.agent(.controlled, bases: Self.tcpOnly.bob, seed: 2)
        let remote = Endpoint(Self.aliceTCP.address, 50_000)
        agent.streamOpened(local: Self.bobTCP, remote: remote, transport: .tcp, now: .zero)
        var rng = Xoshiro256(seed: 9)
        for _ in 0..<200 {
            let bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            agent.handle(Datagram(source: remote, destination: Self.bobTCP, transport: .tcp, payload: bytes), now: .zero)
        }
        _ = drainTransmits(&agent)
        #expect(agent.selectedPair(component: 1) == nil)
    }

    private func drainTransmits(_ agent: inout ICEAgent) -> [Datagram] {
        var sent: [Datagram] = []
        while true {
            switch agent.pollOutput() {
            case .transmit(let d): sent.append(d)
            case .event: continue
            case .timeout: return sent
            }
        }
    }
}
