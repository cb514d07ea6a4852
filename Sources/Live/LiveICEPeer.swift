import DTLS
import DataChannel
import Foundation
import ICE
import NIOCore
import NIOPosix
import NetTypes
import SCTP
import JSEP
import SDP
import TLS

/// An ICE agent (RFC 8445) on real UDP sockets for one data component, signalled with
/// full descriptions (no trickling): `start` gathers and returns the local description,
/// `connect` takes the peer's and runs the checks, then data flows with `send` and
/// `receive` — or, with `echo`, every datagram received is sent back.
///
/// With `Configuration.dtls` set, the peer also runs DTLS-SRTP on the selected pair
/// (`ICEMediaTransport`, one core with the agent on the same driver): its description
/// carries a fresh certificate's fingerprint and its a=setup, `connect` starts DTLS in the
/// role the two setups give (RFC 8842), `secure` waits for the handshake, and media is
/// RTP protected on the wire: `sendRTP` and `receive` (unprotected packets); with `echo`,
/// every RTP packet received goes back re-protected.
///
/// With `Configuration.dataChannels` as well, DTLS also carries SCTP (RFC 8261) and data
/// channels (RFC 8831, 8832): the description adds sctp_port and max_message_size,
/// `dataChannelsReady` waits for the association, `openChannel`, `sendMessage` and
/// `closeChannel` act on channels, `channel(labelled:)` waits for one the peer opens,
/// `tally` tells what a channel received; with `echo`, every message goes back on its channel.
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
        /// The a=setup this peer signals when it runs DTLS-SRTP after ICE; nil: no DTLS.
        /// An offerer says actpass and an answerer normally active (RFC 8842 §5.2, §5.3);
        /// `defaultSetup(for:)` maps the ICE role that way.
        public var dtls: SetupRole?
        /// Run data channels over DTLS (needs `dtls`): SCTP with this configuration (its
        /// local port is signalled, its remote port taken from the peer's description).
        public var dataChannels: SCTPConfiguration?
        /// Channels agreed out of band (RFC 8832 §6), by stream id: open as soon as the
        /// association starts, before any message can arrive on them.
        public var negotiatedChannels: [UInt16: DataChannelParameters]

        public init(role: ICERole, localAddresses: [IPAddress] = [.v4(.loopback)], stunServers: [Endpoint] = [],
                    relayServers: [ICERelayServer] = [], echo: Bool = false, candidateTransports: [TransportKind] = [.udp],
                    dtls: SetupRole? = nil, dataChannels: SCTPConfiguration? = nil,
                    negotiatedChannels: [UInt16: DataChannelParameters] = [:]) {
            self.role = role
            self.localAddresses = localAddresses
            self.candidateTransports = candidateTransports
            self.stunServers = stunServers
            self.relayServers = relayServers
            self.echo = echo
            self.dtls = dtls
            self.dataChannels = dataChannels
            self.negotiatedChannels = negotiatedChannels
        }

        /// The a=setup of a peer whose ICE role follows offer/answer (the offerer is
        /// controlling, RFC 8445 §6.1.1): the controlling offerer says actpass, the
        /// controlled answerer active, so the answerer is the DTLS client (RFC 8842 §5.3).
        public static func defaultSetup(for role: ICERole) -> SetupRole { role == .controlling ? .actpass : .active }
    }

    /// The component data flows on (rtcp-mux style: one).
    private static let component = ICEMediaTransport.component

    public let configuration: Configuration
    private let driver: UDPCoreDriver<ICEMediaTransport>
    private let events: ICEPeerEvents
    /// The certificate DTLS presents (ECDSA P-256, self-signed); nil without DTLS.
    private let identity: TLSIdentity?

    /// A peer with fresh credentials (and with `dtls`, a fresh certificate); nothing is
    /// bound before `start`. Throws `LiveICEPeerError.dtls` when no certificate can be made.
    public init(configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        var ice = ICEConfiguration()
        ice.components = Self.component
        ice.stunServers = configuration.stunServers
        ice.relayServers = configuration.relayServers
        let agent = ICEAgent(configuration: ice, role: configuration.role, rng: Xoshiro256(seed: UInt64.random(in: .min ... .max)),
                             relayFactory: TURNRelayClient.make)
        let events = ICEPeerEvents(echo: configuration.echo)
        self.configuration = configuration
        self.events = events
        identity = try configuration.dtls.map { _ in try Self.makeIdentity() }
        driver = UDPCoreDriver(core: ICEMediaTransport(agent: agent), eventLoop: group.next()) { event, driver in
            events.handle(event, driver: driver)
        }
    }

    /// A self-signed ECDSA P-256 certificate valid from an hour ago for 30 days, as
    /// browsers make one per peer connection (RFC 8827 §6.5), its key and serial from
    /// OpenSSL's CSPRNG (`TLSRandomness.system`).
    private static func makeIdentity() throws -> TLSIdentity {
        do {
            return try TLSIdentity.generate(commonName: "icelab", notBefore: Int64(Date().timeIntervalSince1970) - 3_600,
                                            validity: .seconds(30 * 86_400), randomness: .system)
        } catch {
            throw LiveICEPeerError.dtls("cannot make a certificate: \(error)")
        }
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
        _ = try await driver.withCore { [bases, configuration] core, now in
            if configuration.dtls != nil { core.expectDTLS() }
            core.withAgent(now: now) { $0.startGathering(hostBases: bases, now: now) }
        }.get()
        guard try await wait(timeout: timeout, until: { [events] in events.gatheringComplete }) else {
            throw LiveICEPeerError.gatheringTimedOut(timeout)
        }
        let (fingerprint, setup, sctp) = (identity.map(DTLSFingerprint.init(identity:)), configuration.dtls, configuration.dataChannels)
        return try await driver.withCore { core, _ in
            ICEPeerDescription(credentials: core.agent.localCredentials,
                               candidates: core.agent.localCandidates.filter { $0.type != .peerReflexive }.map(ICECandidate.init),
                               fingerprint: fingerprint, setup: setup, sctpPort: sctp?.localPort, maxMessageSize: sctp?.maxMessageSize)
        }.get()
    }

    /// Hands the agent the peer's description (credentials, candidates, end-of-candidates)
    /// and waits until it connects, fails, or `timeout` passes. Candidates the agent cannot
    /// use (names instead of addresses) are left out. With DTLS, the handshake starts as
    /// soon as a pair is selected; throws `LiveICEPeerError.dtls` when the description
    /// lacks a fingerprint or setup, or the setups do not pair up.
    public func connect(remote: ICEPeerDescription, timeout: Duration) async throws -> ICEPeerResult {
        let candidates = remote.candidates.compactMap(Candidate.init)
        let dtls = try dtlsConfiguration(remote: remote)
        let sctp = try sctpConfiguration(remote: remote)
        let negotiated = configuration.negotiatedChannels
        let begin = try await driver.withCore { core, now in
            Result { () throws(DTLSError) in
                if let sctp {
                    core.carryDataChannels(sctp, seed: UInt64.random(in: .min ... .max), peerMaxMessageSize: remote.maxMessageSize,
                                           negotiated: negotiated)
                }
                if let dtls { try core.secure(dtls, now: now) }
                core.withAgent(now: now) { agent in
                    agent.setRemoteCredentials(remote.credentials, now: now)
                    for candidate in candidates { agent.addRemoteCandidate(candidate, now: now) }
                    agent.endOfRemoteCandidates(now: now)
                }
                return now
            }
        }.get().get()
        _ = try await wait(timeout: timeout, until: { [events] in events.settledAt != nil })
        return try await driver.withCore { [events] core, now in
            let selected = core.agent.selectedPair(component: Self.component).map {
                ICEPeerResult.Pair(local: ICECandidate($0.local), remote: ICECandidate($0.remote))
            }
            // An agent that settled before the remote description came (a peer that had
            // already checked in) took no time from it on.
            let elapsed = max(.zero, (events.settledAt ?? now) - begin)
            return ICEPeerResult(state: core.agent.connectionState, selected: selected, elapsed: elapsed)
        }.get()
    }

    /// The DTLS configuration for `remote`'s description, nil without DTLS.
    private func dtlsConfiguration(remote: ICEPeerDescription) throws -> DTLSConfiguration? {
        guard let setup = configuration.dtls, let identity else { return nil }
        guard let fingerprint = remote.fingerprint, let remoteSetup = remote.setup else {
            throw LiveICEPeerError.dtls("the remote description has no fingerprint and setup")
        }
        guard let role = setup.dtlsRole(remote: remoteSetup) else {
            throw LiveICEPeerError.dtls("setup \(setup.rawValue) here and \(remoteSetup.rawValue) there give no DTLS roles")
        }
        return DTLSConfiguration(role: role, identity: identity, remoteFingerprint: fingerprint)
    }

    /// The SCTP configuration for `remote`'s description, nil without data channels;
    /// throws `LiveICEPeerError.dataChannels` when the peer signalled none.
    private func sctpConfiguration(remote: ICEPeerDescription) throws -> SCTPConfiguration? {
        guard var sctp = configuration.dataChannels else { return nil }
        guard configuration.dtls != nil else { throw LiveICEPeerError.dataChannels("data channels need DTLS") }
        guard let port = remote.sctpPort else { throw LiveICEPeerError.dataChannels("the remote description has no sctp_port") }
        sctp.remotePort = port
        return sctp
    }

    /// Waits until the DTLS handshake connects, fails, or `timeout` passes (counted from
    /// the call), and reports it; call after `connect`.
    public func secure(timeout: Duration) async throws -> DTLSPeerResult {
        guard configuration.dtls != nil else { throw LiveICEPeerError.dtls("the peer was configured without DTLS") }
        _ = try await wait(timeout: timeout, until: { [events] in events.dtlsSettled })
        return try await driver.withCore { core, _ in DTLSPeerResult(core) }.get()
    }

    /// Sends `bytes` on the selected pair; false without one.
    @discardableResult
    public func send(_ bytes: [UInt8]) async -> Bool {
        (try? await driver.withCore { core, now in core.withAgent(now: now) { $0.send(bytes, component: Self.component, now: now) } }.get()) ?? false
    }

    /// Protects the RTP packet `packet` with SRTP and sends it on the selected pair; throws
    /// `MediaTransportError` (not secured, no pair, a packet SRTP refuses).
    public func sendRTP(_ packet: [UInt8]) async throws {
        try await driver.withCore { core, now in Result { () throws(MediaTransportError) in try core.sendRTP(packet, now: now) } }.get().get()
    }

    /// Packets the media transport sent, received and dropped.
    public func mediaCounters() async -> MediaTransportCounters? {
        try? await driver.withCore { core, _ in core.counters }.get()
    }

    /// The oldest datagram received and not yet taken (with DTLS: the oldest RTP packet,
    /// unprotected), waiting up to `timeout` for one; nil on timeout. Always nil with
    /// `echo` on.
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

    // MARK: Data channels

    /// Waits until the SCTP association is established (true), fails, or `timeout` passes.
    public func dataChannelsReady(timeout: Duration) async throws -> Bool {
        _ = try await wait(timeout: timeout, until: { [events] in events.associationEstablished || events.associationEnded })
        return try await driver.eventLoop.submit { [events] in events.associationEstablished && !events.associationEnded }.get()
    }

    /// Opens a channel (in-band with DCEP, or `negotiatedID` agreed out of band) and
    /// returns its stream id; `channel(id:timeout:)` waits until the peer acknowledged it.
    public func openChannel(_ parameters: DataChannelParameters, negotiatedID: UInt16? = nil) async throws -> UInt16 {
        try await driver.withCore { core, now in
            Result { () throws(MediaTransportError) in try core.openChannel(parameters, negotiatedID: negotiatedID, now: now) }
        }.get().get()
    }

    /// The open channel `id`, waiting up to `timeout` for it to open; nil if it does not.
    public func channel(id: UInt16, timeout: Duration) async throws -> DataChannelInfo? {
        _ = try await wait(timeout: timeout, until: { [events] in events.channels[id] != nil })
        return try await driver.eventLoop.submit { [events] in events.channels[id] }.get()
    }

    /// The first open channel labelled `label` (one the peer opened, typically), waiting up
    /// to `timeout` for it; nil if none opens.
    public func channel(labelled label: String, timeout: Duration) async throws -> DataChannelInfo? {
        let find: @Sendable (ICEPeerEvents) -> DataChannelInfo? = { events in
            events.channels.values.sorted { $0.id < $1.id }.first { $0.parameters.label == label }
        }
        _ = try await wait(timeout: timeout, until: { [events] in find(events) != nil })
        return try await driver.eventLoop.submit { [events] in find(events) }.get()
    }

    /// Sends a message on channel `id` (text when `isString`); throws `MediaTransportError`.
    public func sendMessage(_ bytes: [UInt8], isString: Bool = false, on id: UInt16) async throws {
        try await driver.withCore { core, now in
            Result { () throws(MediaTransportError) in try core.sendMessage(bytes, isString: isString, on: id, now: now) }
        }.get().get()
    }

    /// Sends `bytes` as binary messages of at most `chunk` bytes on channel `id`, keeping
    /// at most `highWater` bytes buffered: past it, waits for bufferedAmountLow (the
    /// buffered amount back at `ICEMediaTransport.bufferedAmountLowThreshold`). Throws
    /// `LiveICEPeerError.dataChannels` when the buffer does not drain within `timeout`.
    public func sendChunked(_ bytes: [UInt8], chunk: Int, on id: UInt16, highWater: Int, timeout: Duration) async throws {
        var offset = 0
        while offset < bytes.count {
            let message = Array(bytes[offset..<min(offset + chunk, bytes.count)])
            let low = try await driver.withCore { [events] core, now in
                Result { () throws(MediaTransportError) -> Int? in
                    try core.sendMessage(message, isString: false, on: id, now: now)
                    return core.bufferedAmount > highWater ? events.bufferedAmountLowCount : nil
                }
            }.get().get()
            offset += message.count
            if let low {
                let drained = try await wait(timeout: timeout, until: { [events] in events.bufferedAmountLowCount > low || events.associationEnded })
                guard drained else { throw LiveICEPeerError.dataChannels("the send buffer did not drain within \(timeout)") }
            }
        }
    }

    /// Closes channel `id` (a stream reset; the peer resets its side in turn).
    public func closeChannel(_ id: UInt16) async throws {
        try await driver.withCore { core, now in
            Result { () throws(MediaTransportError) in try core.closeChannel(id, now: now) }
        }.get().get()
    }

    /// What channel `id` received so far (binary bytes, hashed), waiting up to `timeout`
    /// until `done` holds of it; nil for a channel that received nothing and never opened.
    public func tally(of id: UInt16, timeout: Duration = .zero,
                      until done: @escaping @Sendable (DataChannelTally) -> Bool = { _ in true }) async throws -> DataChannelTally? {
        _ = try await wait(timeout: timeout, until: { [events] in events.tallies[id].map(done) ?? false })
        return try await driver.eventLoop.submit { [events] in events.tallies[id] }.get()
    }

    /// Every channel's tally, by stream id.
    public func tallies() async throws -> [UInt16: DataChannelTally] {
        try await driver.eventLoop.submit { [events] in events.tallies }.get()
    }

    /// The oldest text message received and not taken, waiting up to `timeout` for one.
    public func receiveText(timeout: Duration) async -> (channel: UInt16, text: String)? {
        guard (try? await wait(timeout: timeout, until: { [events] in !events.textInbox.isEmpty })) == true else { return nil }
        return try? await driver.eventLoop.submit { [events] in events.takeText() }.get()
    }

    /// Whether the association uses I-DATA (RFC 8260): one side offered it, the other
    /// offered or accepted it (`SCTPConfiguration.interleaving`).
    public func dataChannelsInterleave() async throws -> Bool {
        try await driver.withCore { core, _ in core.dataChannelsInterleave }.get()
    }

    /// How the SCTP association ended (`associationClosed` after SHUTDOWN, or
    /// `associationFailed`), waiting up to `timeout`; nil while it runs.
    public func dataChannelsEnded(timeout: Duration) async throws -> DataChannelEvent? {
        _ = try await wait(timeout: timeout, until: { [events] in events.associationEnded })
        return try await driver.eventLoop.submit { [events] in events.associationEnd }.get()
    }

    /// Closes the peer: a running SCTP association is shut down first (SHUTDOWN, SHUTDOWN
    /// ACK, SHUTDOWN COMPLETE, RFC 9260 §9.2), waiting at most `shutdownTimeout` for it,
    /// then DTLS sends close_notify, and the agent and the sockets close; pending waits
    /// end at once.
    public func close(shutdownTimeout: Duration = .seconds(3)) async {
        let shuttingDown = (try? await driver.withCore { core, now in core.shutdownDataChannels(now: now) }.get()) ?? false
        if shuttingDown { _ = try? await wait(timeout: shutdownTimeout, until: { [events] in events.associationEnded }) }
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
    /// DTLS cannot run: no certificate, or the descriptions do not agree on roles.
    case dtls(String)
    /// Data channels cannot run (no DTLS, no sctp_port from the peer) or a send stalled.
    case dataChannels(String)

    public var description: String {
        switch self {
        case .dtls(let why): return "DTLS: \(why)"
        case .dataChannels(let why): return "data channels: \(why)"
        case .cannotBind(let address, let reason): return "cannot bind a UDP socket on \(address): \(reason)"
        case .gatheringTimedOut(let timeout): return "gathering did not complete within \(timeout)"
        }
    }
}
