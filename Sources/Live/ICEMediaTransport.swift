import DTLS
import DataChannel
import ICE
import NetTypes
import RTP
import SCTP
import SRTP
import STUN

/// An ICE agent with DTLS-SRTP on its selected pair (RFC 5764, RFC 8827), composed into
/// one sans-IO core so that a single driver (`UDPCoreDriver`) runs both through one drain
/// and one timer: the deadline is the earlier of the agent's and the DTLS endpoint's.
///
/// Without `expectDTLS()` or `secure(_:now:)` the transport is the agent alone: every
/// agent event comes out as `.ice`. Once DTLS is expected, the agent's data (a non-STUN
/// datagram on a pair of the component) is demultiplexed by its first byte (RFC 7983,
/// `PacketKind`): DTLS records go to the `DTLSEndpoint`, SRTP and SRTCP (RFC 5761 §4 tells them apart) to the SRTP
/// receiver keyed from the handshake's exported material (RFC 5764 §4.2), anything else is
/// dropped and counted. DTLS records leave on the agent's selected pair; a flight written
/// before the agent selected one (a server answering a ClientHello that came on a pair
/// still being checked) waits and goes out on selection; so do DTLS records that arrive
/// before `secure` (a peer whose ICE succeeded before this side had its description).
///
/// With `carryDataChannels(_:seed:)`, DTLS application data is SCTP (RFC 8261): once the
/// handshake connects, a `DataChannelEndpoint` in the DTLS role starts its association
/// (both sides send INIT, RFC 8841 §9.3), its packets travel as DTLS records and its events
/// come out as `.dataChannel`; SRTP is then keyed only if the handshake negotiated a
/// profile (a data-only peer such as a browser without media offers none).
public struct ICEMediaTransport: StreamCore {
    /// What the transport reports.
    public enum Event {
        /// An event of the agent (its data only while DTLS is not expected).
        case ice(ICEEvent)
        /// An event of the DTLS endpoint other than data: `connected` (SRTP is keyed by
        /// then), `alert`, `closed`, `failed`.
        case dtls(DTLSEvent)
        /// An RTP packet received, unprotected.
        case rtp([UInt8])
        /// An RTCP compound packet received, unprotected.
        case rtcp([UInt8])
        /// An event of the data channels (with `carryDataChannels`).
        case dataChannel(DataChannelEvent)
        /// The association's buffered amount fell to `bufferedAmountLowThreshold` or
        /// below (after having been above it), as RTCDataChannel's bufferedamountlow.
        case bufferedAmountLow
    }

    /// The component media and DTLS ride on (rtcp-mux, RFC 5761: one).
    public static let component = 1
    /// DTLS datagrams kept while no pair is selected, or before `secure` (a handshake
    /// flight is a few).
    static let waitingLimit = 16

    /// The agent; change it through `withAgent`, which keeps the transport's time.
    public private(set) var agent: ICEAgent
    /// The DTLS endpoint, once `secure` was called.
    public internal(set) var dtls: DTLSEndpoint?
    /// When the DTLS handshake could start (the agent had selected a pair and DTLS was
    /// asked for), and when it connected or failed.
    public private(set) var dtlsStartedAt: Instant?
    public private(set) var dtlsSettledAt: Instant?
    public internal(set) var counters = MediaTransportCounters()
    /// The data channels, once DTLS connected with `carryDataChannels` asked for.
    public internal(set) var dataChannels: DataChannelEndpoint?
    /// The SCTP configuration, seed and the peer's message size limit for the data
    /// channels; nil: no data channels.
    var dataChannelSetup: (configuration: SCTPConfiguration, seed: UInt64, peerMaxMessageSize: Int?, negotiated: [UInt16: DataChannelParameters])?
    /// See `Event.bufferedAmountLow`.
    public var bufferedAmountLowThreshold = 256 * 1024
    /// Whether the buffered amount was above the threshold when last looked at.
    var bufferedAboveThreshold = false

    private var sender: SRTPSender?
    private var receiver: SRTPReceiver?
    var outputs = OutputQueue<Event>()
    private var unsent: [[UInt8]] = []
    /// Whether the agent's data is media (demultiplexed), not the application's.
    private var carriesMedia = false
    /// DTLS records received before `secure`.
    private var early: [[UInt8]] = []
    /// The time of the latest input, for feeding the DTLS endpoint what the agent hands
    /// on while it is drained.
    var now = Instant(nanoseconds: .min)

    public init(agent: ICEAgent) { self.agent = agent }

    /// The negotiated SRTP profile once the handshake completed.
    public var srtpProfile: SRTPProfile? { sender?.profile }

    /// Runs `body` on the agent at `now` (signalling, candidates, closing).
    public mutating func withAgent<T>(now: Instant, _ body: (inout ICEAgent) -> T) -> T {
        advance(now)
        return body(&agent)
    }

    /// Treats the agent's data as DTLS and SRTP from now on, keeping DTLS records until
    /// `secure` (call it before the remote description is applied: the peer may finish
    /// its checks and send its ClientHello before this side knows its DTLS role).
    public mutating func expectDTLS() { carriesMedia = true }

    /// Starts DTLS-SRTP with `configuration`: a client sends its ClientHello as soon as the
    /// agent has selected a pair; a server answers the client's (one that came early
    /// included). Throws the endpoint's `.invalidConfiguration`; a second call does nothing.
    public mutating func secure(_ configuration: DTLSConfiguration, now: Instant) throws(DTLSError) {
        advance(now)
        guard dtls == nil else { return }
        // The endpoint's addresses are not used: its records ride the selected pair.
        let unbound = Endpoint(.v4(.any), 0)
        dtls = try DTLSEndpoint(configuration: configuration, local: unbound, remote: unbound, randomness: .system)
        carriesMedia = true
        if agent.selectedPair(component: Self.component) != nil { startDTLS(now: now) }
        let waiting = early
        early = []
        for bytes in waiting { demultiplex(bytes) }
    }

    /// Protects the RTP packet `packet` with SRTP and sends it on the selected pair.
    public mutating func sendRTP(_ packet: [UInt8], now: Instant) throws(MediaTransportError) {
        advance(now)
        guard let sender else { throw .notSecured }
        let protected: [UInt8]
        do { protected = try sender.protectRTP(packet) } catch { throw .protection(error) }
        guard agent.send(protected, component: Self.component, now: now) else { throw .noSelectedPair }
        counters.rtpSent += 1
    }

    /// Closes DTLS (its close_notify leaves on the selected pair first) and the agent.
    public mutating func close(now: Instant) {
        advance(now)
        if dtls != nil {
            dtls!.close(now: now)
            // Closing queues only the alert's datagram (no event follows a close).
            while case .transmit(let datagram) = dtls!.pollOutput() { _ = agent.send(datagram.payload, component: Self.component, now: now) }
        }
        agent.close(now: now)
    }

    // MARK: SansIOCore

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        advance(now)
        agent.handle(datagram, now: now)
    }

    public mutating func handleTimeout(now: Instant) {
        advance(now)
        agent.handleTimeout(now: now)
        dtls?.handleTimeout(now: now)
        if dataChannels != nil {
            dataChannels!.handleTimeout(now: now)
            noteBufferedAmount()
        }
    }

    public mutating func streamOpened(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {
        advance(now)
        agent.streamOpened(local: local, remote: remote, transport: transport, now: now)
    }

    public mutating func streamClosed(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {
        advance(now)
        agent.streamClosed(local: local, remote: remote, transport: transport, now: now)
    }

    /// Drains the agent (routing its data), then the DTLS endpoint (its records go to the
    /// agent, whose transmits come out next), then the data channels (their SCTP packets
    /// go to the DTLS endpoint); the deadline is the earliest of the three.
    public mutating func pollOutput() -> CoreOutput<Event> {
        while true {
            if let output = outputs.next() { return output }
            let agentDeadline: Instant
            switch agent.pollOutput() {
            case .transmit(let datagram): return .transmit(datagram)
            case .event(let event): route(event); continue
            case .timeout(let deadline): agentDeadline = deadline
            }
            guard dtls != nil else { return .timeout(agentDeadline) }
            let dtlsDeadline: Instant
            switch dtls!.pollOutput() {
            case .transmit(let datagram): sendDTLS(datagram.payload); continue
            case .event(let event): dtlsEvent(event); continue
            case .timeout(let deadline): dtlsDeadline = min(agentDeadline, deadline)
            }
            guard dataChannels != nil else { return .timeout(dtlsDeadline) }
            switch dataChannels!.pollOutput() {
            case .transmit(let datagram): sendSCTP(datagram.payload)
            case .event(let event): outputs.append(.event(.dataChannel(event)))
            case .timeout(let deadline): return .timeout(min(dtlsDeadline, deadline))
            }
        }
    }

    // MARK: Routing

    mutating func advance(_ time: Instant) { if time > now { now = time } }

    private mutating func route(_ event: ICEEvent) {
        switch event.kind {
        case .data(let component, let bytes, _) where carriesMedia:
            if component == Self.component { demultiplex(bytes) }
        case .selectedPairChanged(let component, _, _) where component == Self.component && dtls != nil:
            outputs.append(.event(.ice(event)))
            startDTLS(now: now)
            let waiting = unsent
            unsent = []
            for payload in waiting { sendDTLS(payload) }
        default:
            outputs.append(.event(.ice(event)))
        }
    }

    /// RFC 7983 §7: 20-63 DTLS, 128-191 RTP and RTCP; the rest is not ours.
    private mutating func demultiplex(_ bytes: [UInt8]) {
        switch PacketKind(classifying: bytes) {
        case .dtls:
            guard dtls != nil else { return keep(bytes, in: &early) }
            dtls!.handle(Datagram(source: dtls!.remote, destination: dtls!.local, payload: bytes), now: now)
        case .rtp:
            guard let receiver else { counters.mediaBeforeKeys += 1; return }
            do {
                if RTPPacket.isRTCP(bytes) {
                    outputs.append(.event(.rtcp(try receiver.unprotectRTCP(bytes))))
                    counters.rtcpReceived += 1
                } else {
                    outputs.append(.event(.rtp(try receiver.unprotectRTP(bytes))))
                    counters.rtpReceived += 1
                }
            } catch {
                counters.unprotectFailures += 1
            }
        default:
            counters.otherDropped += 1
        }
    }

    /// Starts the handshake once (a client sends its first flight).
    private mutating func startDTLS(now: Instant) {
        guard dtlsStartedAt == nil else { return }
        dtlsStartedAt = now
        dtls!.start(now: now)
    }

    private mutating func sendDTLS(_ payload: [UInt8]) {
        if agent.send(payload, component: Self.component, now: now) { return }
        keep(payload, in: &unsent)
    }

    /// Appends to a bounded wait list, dropping its oldest (DTLS retransmits what is lost).
    private func keep(_ bytes: [UInt8], in list: inout [[UInt8]]) {
        if list.count == Self.waitingLimit { list.removeFirst() }
        list.append(bytes)
    }

    private mutating func dtlsEvent(_ event: DTLSEvent) {
        switch event {
        case .connected(let connection):
            dtlsSettledAt = now
            startDataChannels(role: connection.role, now: now)
            do {
                // A data-only handshake may negotiate no SRTP profile; that is no failure.
                if dataChannels == nil || connection.srtpProfile != nil { try keySRTP(connection) }
            } catch {
                // A profile DTLS negotiated that SRTP cannot key: the association is useless.
                dtls!.close(now: now)
                outputs.append(.event(.dtls(.failed(.handshakeFailure("SRTP keying failed: \(error)")))))
                return
            }
        case .failed:
            dtlsSettledAt = now
        case .data(let packet):
            receiveSCTP(packet)
            return
        case .alert, .closed:
            break
        }
        outputs.append(.event(.dtls(event)))
    }

    /// SRTP keys from the exported material (RFC 5764 §4.2), split by DTLS role.
    private mutating func keySRTP(_ connection: DTLSConnection) throws(MediaTransportError) {
        guard let negotiated = connection.srtpProfile, let profile = SRTPProfile(id: negotiated.rawValue) else {
            throw .noSRTPProfile
        }
        do {
            let keys = try SRTPKeyingMaterial(exported: connection.srtpKeyingMaterial, profile: profile,
                                              role: connection.role == .client ? .client : .server)
            (sender, receiver) = try keys.contexts()
        } catch {
            throw .protection(error)
        }
    }
}

/// Packets an `ICEMediaTransport` handled.
public struct MediaTransportCounters: Sendable, Equatable {
    public var rtpSent = 0
    public var rtpReceived = 0
    public var rtcpReceived = 0
    /// SRTP or SRTCP packets that did not authenticate, replayed, or malformed.
    public var unprotectFailures = 0
    /// RTP-range datagrams that arrived before the keys.
    public var mediaBeforeKeys = 0
    /// Datagrams of no kind the transport carries (RFC 7983: ZRTP, QUIC, …), DTLS data
    /// without data channels.
    public var otherDropped = 0
    /// SCTP packets the DTLS endpoint refused to send (too large, not connected).
    public var sctpSendFailures = 0
}

/// Errors of sending media on an `ICEMediaTransport`.
public enum MediaTransportError: Error, CustomStringConvertible {
    /// DTLS-SRTP has not completed (or was not asked for).
    case notSecured
    /// The agent has no selected pair (or its consent expired).
    case noSelectedPair
    /// The handshake negotiated no SRTP profile icelab implements.
    case noSRTPProfile
    case protection(SRTPError)
    /// Data channels were not asked for, or DTLS has not connected yet.
    case noDataChannels
    case dataChannel(DataChannelError)
    /// A message larger than the peer's a=max-message-size (RFC 8841 §6.1).
    case messageTooLarge(Int, limit: Int)

    public var description: String {
        switch self {
        case .notSecured: "DTLS-SRTP is not connected"
        case .noSelectedPair: "no selected ICE pair to send on"
        case .noSRTPProfile: "no SRTP profile was negotiated"
        case .protection(let error): "SRTP: \(error)"
        case .noDataChannels: "data channels are not running (not asked for, or DTLS not connected)"
        case .dataChannel(let error): "data channel: \(error)"
        case .messageTooLarge(let size, let limit): "a \(size)-byte message exceeds the peer's max-message-size \(limit)"
        }
    }
}
