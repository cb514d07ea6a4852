import ICE
import NIOCore
import NIOPosix
import NetTypes
import SDP

/// An ICE agent (RFC 8445) on real UDP sockets for one data component, signalled with
/// full descriptions (no trickling): `start` gathers and returns the local description,
/// `connect` takes the peer's and runs the checks, then data flows with `send` and
/// `receive` — or, with `echo`, every datagram received is sent back.
public final class LiveICEPeer: Sendable {
    /// What the peer gathers from and how it behaves.
    public struct Configuration: Sendable {
        public var role: ICERole
        /// One host candidate per address, in order of preference (port: ephemeral).
        public var localAddresses: [IPAddress]
        /// Which host candidates each address gets: `.udp` (a bound socket), `.tcp`
        /// (ICE-TCP, RFC 6544: a listener for a passive candidate, and an active one).
        public var candidateTransports: [TransportKind]
        /// STUN servers for server-reflexive candidates.
        public var stunServers: [Endpoint]
        /// TURN servers for relayed candidates (the TURN client, `TURNRelayClient`).
        public var relayServers: [ICERelayServer]
        /// Send every datagram received on a valid pair back on the selected pair,
        /// instead of keeping it for `receive`.
        public var echo: Bool

        public init(role: ICERole, localAddresses: [IPAddress] = [.v4(.loopback)], stunServers: [Endpoint] = [],
                    relayServers: [ICERelayServer] = [], echo: Bool = false, candidateTransports: [TransportKind] = [.udp]) {
            self.role = role
            self.localAddresses = localAddresses
            self.candidateTransports = candidateTransports
            self.stunServers = stunServers
            self.relayServers = relayServers
            self.echo = echo
        }
    }

    /// The component data flows on (rtcp-mux style: one).
    private static let component = 1

    public let configuration: Configuration
    private let driver: UDPCoreDriver<ICEAgent>
    private let events: ICEPeerEvents

    /// A peer with fresh credentials; nothing is bound before `start`.
    public init(configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        var ice = ICEConfiguration()
        ice.components = Self.component
        ice.stunServers = configuration.stunServers
        ice.relayServers = configuration.relayServers
        let agent = ICEAgent(configuration: ice, role: configuration.role, rng: Xoshiro256(seed: UInt64.random(in: .min ... .max)),
                             relayFactory: TURNRelayClient.make)
        let events = ICEPeerEvents(echo: configuration.echo)
        self.configuration = configuration
        self.events = events
        driver = UDPCoreDriver(core: agent, eventLoop: group.next()) { event, driver in events.handle(event, driver: driver) }
    }

    /// Binds a socket per local address (and listens on one for TCP candidates), gathers,
    /// and returns the local description once gathering is complete. Throws `LiveICEPeerError.cannotBind` for an address of no
    /// local interface, `.gatheringTimedOut` if gathering is not complete within `timeout`
    /// (a STUN or TURN server that does not answer).
    public func start(timeout: Duration) async throws -> ICEPeerDescription {
        var bases: [ICEHostBase] = []
        for transport in configuration.candidateTransports {
            for address in configuration.localAddresses {
                do {
                    let endpoint = transport == .tcp
                        ? try await driver.listenStream(on: Endpoint(address, 0), transport: .tcp)
                        : try await driver.bind(Endpoint(address, 0))
                    bases.append(ICEHostBase(endpoint: endpoint, component: Self.component, transport: transport))
                } catch {
                    throw LiveICEPeerError.cannotBind(address, reason: "\(error)")
                }
            }
        }
        _ = try await driver.withCore { [bases] core, now in core.startGathering(hostBases: bases, now: now) }.get()
        guard try await wait(timeout: timeout, until: { [events] in events.gatheringComplete }) else {
            throw LiveICEPeerError.gatheringTimedOut(timeout)
        }
        return try await driver.withCore { core, _ in
            ICEPeerDescription(credentials: core.localCredentials,
                               candidates: core.localCandidates.filter { $0.type != .peerReflexive }.map(ICECandidate.init))
        }.get()
    }

    /// Hands the agent the peer's description (credentials, candidates, end-of-candidates)
    /// and waits until it connects, fails, or `timeout` passes. Candidates the agent cannot
    /// use (names instead of addresses) are left out.
    public func connect(remote: ICEPeerDescription, timeout: Duration) async throws -> ICEPeerResult {
        let candidates = remote.candidates.compactMap(Candidate.init)
        let begin = try await driver.withCore { core, now in
            core.setRemoteCredentials(remote.credentials, now: now)
            for candidate in candidates { core.addRemoteCandidate(candidate, now: now) }
            core.endOfRemoteCandidates(now: now)
            return now
        }.get()
        _ = try await wait(timeout: timeout, until: { [events] in events.settledAt != nil })
        return try await driver.withCore { [events] core, now in
            let selected = core.selectedPair(component: Self.component).map {
                ICEPeerResult.Pair(local: ICECandidate($0.local), remote: ICECandidate($0.remote))
            }
            return ICEPeerResult(state: core.connectionState, selected: selected, elapsed: (events.settledAt ?? now) - begin)
        }.get()
    }

    /// Sends `bytes` on the selected pair; false without one.
    @discardableResult
    public func send(_ bytes: [UInt8]) async -> Bool {
        (try? await driver.withCore { core, now in core.send(bytes, component: Self.component, now: now) }.get()) ?? false
    }

    /// The oldest datagram received and not yet taken, waiting up to `timeout` for one;
    /// nil on timeout. Always nil with `echo` on.
    public func receive(timeout: Duration) async -> [UInt8]? {
        guard (try? await wait(timeout: timeout, until: { [events] in !events.inbox.isEmpty })) == true else { return nil }
        return try? await driver.eventLoop.submit { [events] in events.takeDatagram() }.get()
    }

    /// Sends `bytes` every `interval` (a datagram may be lost, or reach a peer that has
    /// not selected its pair yet) until a datagram comes back, and returns that; nil when
    /// none does within `timeout`. For peers without `echo`.
    public func sendUntilReply(_ bytes: [UInt8], timeout: Duration, interval: Duration = .milliseconds(250)) async -> [UInt8]? {
        var waited = Duration.zero
        while waited < timeout {
            await send(bytes)
            if let reply = await receive(timeout: min(interval, timeout - waited)) { return reply }
            waited = waited + interval
        }
        return nil
    }

    /// Closes the agent and the sockets; pending waits end at once.
    public func close() async {
        _ = try? await driver.withCore { [events] core, now in
            core.close(now: now)
            events.cancelWaits()
        }.get()
        await driver.close()
    }

    /// Waits on the event loop until `ready` holds (true) or `timeout` passes (false).
    private func wait(timeout: Duration, until ready: @escaping @Sendable () -> Bool) async throws -> Bool {
        try await driver.eventLoop.flatSubmit { [events, driver] in
            events.wait(on: driver.eventLoop, timeout: timeout, until: ready)
        }.get()
    }
}

/// Errors of `LiveICEPeer`.
public enum LiveICEPeerError: Error, CustomStringConvertible {
    case cannotBind(IPAddress, reason: String)
    case gatheringTimedOut(Duration)

    public var description: String {
        switch self {
        case .cannotBind(let address, let reason): return "cannot bind a UDP socket on \(address): \(reason)"
        case .gatheringTimedOut(let timeout): return "gathering did not complete within \(timeout)"
        }
    }
}
