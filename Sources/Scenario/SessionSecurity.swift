import DTLS
import ICE
import NetTypes
import RTP
import SRTP
import STUN
import Simulator
import TLS

/// The security layer of one session (RFC 8827 §6.5, RFC 5764): each agent's DTLS
/// endpoint, started once its ICE agent has a selected pair, and the SRTP contexts
/// keyed from the handshake that protect the session's media.
///
/// Roles follow JSEP and RFC 8842: the offer says `a=setup:actpass`, the answerer (as
/// every browser) answers `active` and so is the DTLS client; the offerer serves.
/// Each side's certificate is an ECDSA P-256 self-signed one, generated from the run's
/// seed with browser-like dates (from a day before the session's start, for 30 days:
/// libwebrtc's `kDefaultCertificateLifetimeInSeconds`), so fingerprints repeat per seed.
/// Like libwebrtc's `DtlsTransport`, an endpoint starts when its ICE transport becomes
/// writable, with a first retransmission timeout from the ICE round-trip time, and a
/// server keeps one ClientHello that arrives before that.
final class SessionSecurity {
    /// One agent's half.
    final class Side {
        let isOfferer: Bool
        let identity: TLSIdentity
        /// The fingerprint of `identity`'s certificate.
        let fingerprint: DTLSFingerprint
        /// The fingerprint this side expects of the peer's certificate: the one in the
        /// peer's description, once it has been applied.
        var expected: DTLSFingerprint?
        /// A selected pair reported before the peer's description (and so its
        /// fingerprint) was applied: the endpoint starts when the fingerprint comes.
        var pendingStart: (local: Endpoint, remote: Endpoint, roundTrip: Duration?)?
        var bridge: SimCoreBridge<DTLSEndpoint>?
        /// A ClientHello that came before this side's ICE was writable (libwebrtc keeps one).
        var cachedHello: [UInt8]?
        var sender: SRTPSender?
        var receiver: SRTPReceiver?
        var connectedAt: Instant?
        var failure: DTLSError?
        var profile: SRTPProfile?
        /// Sizes of the DTLS datagrams this side sent and received, for the MTU diagnosis.
        var largestSent = 0
        var largestReceived = 0
        var datagramsReceived = 0
        /// SRTP and SRTCP packets that failed to unprotect (before keys, replayed, forged).
        var rejected = 0

        init(isOfferer: Bool, identity: DTLSIdentityCache.Entry) {
            self.isOfferer = isOfferer
            self.identity = identity.identity
            fingerprint = identity.fingerprint
        }

        var role: DTLSRole { isOfferer ? .server : .client }
        /// `offerer` or `answerer`, as events name the side.
        var name: String { isOfferer ? "offerer" : "answerer" }
        var isConnected: Bool { connectedAt != nil }
    }

    /// The scenario's certificate clock: simulated time zero is this Unix time
    /// (2026-01-01), as for the TURN servers' certificates.
    static let epoch = ServerSet.certificateEpoch
    /// libwebrtc's certificate lifetime (`kDefaultCertificateLifetimeInSeconds`).
    static let certificateLifetime = Duration.seconds(30 * 86_400)
    let spec: DTLSSpec
    let offerer: Side
    let answerer: Side
    private let simulation: Simulation
    private let sessionName: String
    private let log: EventLog
    /// Sends a DTLS datagram from the offerer's (true) or answerer's agent.
    var transmit: (_ fromOfferer: Bool, [UInt8]) -> Void = { _, _ in }
    /// Called when a side's handshake completes, with that side's DTLS role and
    /// addresses: its media may start, and its SCTP association (RFC 8261).
    var onConnected: (_ atOfferer: Bool, _ isClient: Bool, _ local: Endpoint, _ remote: Endpoint) -> Void = { _, _, _, _ in }
    /// Application data a side's endpoint decrypted: SCTP packets (RFC 8261 §5).
    var onApplicationData: (_ atOfferer: Bool, [UInt8]) -> Void = { _, _ in }

    init(_ spec: DTLSSpec, session: SessionSpec, simulation: Simulation, log: EventLog) throws(ScenarioError) {
        self.spec = spec
        self.simulation = simulation
        self.log = log
        sessionName = session.name
        let notBefore = Self.epoch + session.start.nanoseconds / 1_000_000_000 - 86_400
        func identity(_ role: String) throws(ScenarioError) -> DTLSIdentityCache.Entry {
            let stream = "dtls-identity:\(session.name):\(role)"
            do {
                return try DTLSIdentityCache.shared.entry(.init(seed: simulation.seed, name: stream, notBefore: notBefore)) { () throws(TLSError) in
                    var rng = simulation.randomStream(for: stream)
                    return try TLSIdentity.generate(commonName: "WebRTC", notBefore: notBefore, validity: Self.certificateLifetime, rng: &rng)
                }
            } catch {
                throw ScenarioError(session.location, "cannot make the DTLS certificate of session '\(session.name)': \(error)")
            }
        }
        offerer = Side(isOfferer: true, identity: try identity("offerer"))
        answerer = Side(isOfferer: false, identity: try identity("answerer"))
    }

    /// The fingerprint `a=fingerprint` carries in a side's description (RFC 8122 §5): its
    /// certificate's — except, with `fingerprint: mismatch`, the answerer's, which names
    /// a certificate one hex digit away (a tampered or stale answer), so the offerer
    /// must refuse the handshake.
    func advertisedFingerprint(atOfferer: Bool) -> DTLSFingerprint {
        let real = side(atOfferer).fingerprint
        guard !atOfferer, spec.fingerprint == .mismatch else { return real }
        // The last hex digit becomes 1 if it was 0, else 0: the low nibble of the last byte.
        var digest = real.digest
        let last = digest[digest.count - 1]
        digest[digest.count - 1] = last & 0xF0 | (last & 0x0F == 0 ? 1 : 0)
        // Still 32 bytes, so still a well-formed fingerprint.
        return try! DTLSFingerprint(digest: digest)
    }

    /// The peer's description was applied at a side: it now knows the fingerprint to
    /// expect, and starts its endpoint if its ICE was already writable. Later
    /// descriptions (an ICE restart, renegotiation) keep the certificate and change
    /// nothing.
    func remoteFingerprint(_ fingerprint: DTLSFingerprint, atOfferer: Bool) {
        let side = side(atOfferer)
        guard side.expected == nil else { return }
        side.expected = fingerprint
        if let start = side.pendingStart {
            side.pendingStart = nil
            iceWritable(atOfferer: atOfferer, local: start.local, remote: start.remote, roundTrip: start.roundTrip)
        }
    }

    private func side(_ atOfferer: Bool) -> Side { atOfferer ? offerer : answerer }

    /// The side's ICE agent has a selected pair (`local` → `remote`, `roundTrip` apart):
    /// its DTLS endpoint starts (a client sends its ClientHello; a server reads one that
    /// came early). Later calls (a new pair) change nothing: DTLS outlives pair changes.
    func iceWritable(atOfferer: Bool, local: Endpoint, remote: Endpoint, roundTrip: Duration?) {
        let side = side(atOfferer)
        guard side.bridge == nil else { return }
        guard let expected = side.expected else {
            side.pendingStart = (local, remote, roundTrip)
            return
        }
        let configuration = DTLSConfiguration(
            role: side.role, identity: side.identity, remoteFingerprint: expected, srtpProfiles: spec.srtpProfiles,
            mtu: spec.mtu, fallbackMTU: spec.fallbackMTU, initialRetransmissionTimeout: spec.initialTimeout(roundTrip: roundTrip),
            maximumRetransmissions: spec.maximumRetransmissions)
        let randomness = TLSRandomness.seeded(simulation.randomStream(for: "dtls:\(sessionName):\(side.name)"))
        let endpoint: DTLSEndpoint
        do {
            endpoint = try DTLSEndpoint(configuration: configuration, local: local, remote: remote, randomness: randomness)
        } catch {
            // The spec's values were range-checked when the scenario was read.
            return fail(side, error)
        }
        let bridge = SimCoreBridge(simulation: simulation, core: endpoint,
                                   onTransmit: { [unowned self, unowned side] datagram in
            side.largestSent = max(side.largestSent, datagram.payload.count)
            transmit(side.isOfferer, datagram.payload)
        }, onEvent: { [unowned self, unowned side] event in handle(event, at: side) })
        side.bridge = bridge
        log.add(session: sessionName, source: side.name, kind: "dtls",
                "\(side.role) started, first timeout \(configuration.initialRetransmissionTimeout)")
        bridge.withCore { core, now in core.start(now: now) }
        if let hello = side.cachedHello {
            side.cachedHello = nil
            bridge.deliver(Datagram(source: remote, destination: local, payload: hello))
        }
    }

    /// A datagram the side's agent received that is not STUN: DTLS goes to its endpoint
    /// (nil returned); SRTP and SRTCP come back unprotected, nil when they do not
    /// authenticate (or arrive before the keys).
    func received(_ bytes: [UInt8], atOfferer: Bool) -> [UInt8]? {
        let side = side(atOfferer)
        switch PacketKind(classifying: bytes) {
        case .dtls:
            side.datagramsReceived += 1
            side.largestReceived = max(side.largestReceived, bytes.count)
            if let bridge = side.bridge {
                bridge.deliver(Datagram(source: bridge.core.remote, destination: bridge.core.local, payload: bytes))
            } else if side.role == .server, Self.isClientHello(bytes) {
                side.cachedHello = bytes
            }
            return nil
        case .rtp:
            guard let receiver = side.receiver else { side.rejected += 1; return nil }
            do {
                return RTPPacket.isRTCP(bytes) ? try receiver.unprotectRTCP(bytes) : try receiver.unprotectRTP(bytes)
            } catch {
                side.rejected += 1
                return nil
            }
        default:
            return nil
        }
    }

    /// RTP or RTCP from the side, protected; nil before its keys exist.
    func protect(_ bytes: [UInt8], fromOfferer: Bool) -> [UInt8]? {
        guard let sender = side(fromOfferer).sender else { return nil }
        return try? (RTPPacket.isRTCP(bytes) ? sender.protectRTCP(bytes) : sender.protectRTP(bytes))
    }

    /// Sends `bytes` as one DTLS application data record from the side (RFC 8261: an SCTP
    /// packet); dropped before the handshake completed.
    func sendApplicationData(_ bytes: [UInt8], fromOfferer: Bool) {
        side(fromOfferer).bridge?.withCore { endpoint, now in try? endpoint.send(bytes, now: now) }
    }

    /// Whether the side has its SRTP keys (its media may flow).
    func isSecured(_ atOfferer: Bool) -> Bool { side(atOfferer).sender != nil }

    /// A DTLS record whose first handshake message is a ClientHello (RFC 6347 §4.2.2).
    private static func isClientHello(_ bytes: [UInt8]) -> Bool {
        bytes.count > 25 && bytes[0] == 22 && bytes[13] == 1
    }

    private func handle(_ event: DTLSEvent, at side: Side) {
        let source = side.name
        switch event {
        case .connected(let connection):
            guard let id = connection.srtpProfile?.rawValue, let profile = SRTPProfile(id: id) else {
                return fail(side, .handshakeFailure("no SRTP profile negotiated"))
            }
            do {
                let keys = try SRTPKeyingMaterial(exported: connection.srtpKeyingMaterial, profile: profile,
                                                  role: side.role == .client ? .client : .server)
                (side.sender, side.receiver) = try keys.contexts()
            } catch {
                return fail(side, .cryptoFailure("SRTP keys: \(error)"))
            }
            side.profile = profile
            side.connectedAt = simulation.now
            log.add(session: sessionName, source: source, kind: "dtls", "connected \(profile)")
            if let endpoint = side.bridge?.core {
                onConnected(side.isOfferer, side.role == .client, endpoint.local, endpoint.remote)
            }
        case .failed(let error):
            fail(side, error)
        case .alert(let alert):
            log.add(session: sessionName, source: source, kind: "dtls", "alert \(alert)")
        case .closed:
            log.add(session: sessionName, source: source, kind: "dtls", "closed")
        case .data(let bytes):
            onApplicationData(side.isOfferer, bytes)
        }
    }

    private func fail(_ side: Side, _ error: DTLSError) {
        guard side.failure == nil else { return }
        side.failure = error
        log.add(session: sessionName, source: side.name, kind: "dtls", "failed: \(error)")
    }

    // MARK: Result

    /// How the handshake ended.
    var outcome: DTLSOutcome {
        if offerer.isConnected && answerer.isConnected { return .connected }
        if offerer.failure != nil || answerer.failure != nil { return .failed }
        return offerer.bridge != nil || answerer.bridge != nil ? .connecting : .new
    }

    /// When both sides were connected.
    var connectedAt: Instant? { offerer.connectedAt.flatMap { a in answerer.connectedAt.map { max(a, $0) } } }

    /// Flights sent again by both sides.
    var retransmissions: Int {
        [offerer, answerer].reduce(0) { $0 + ($1.bridge?.core.counters.retransmissions ?? 0) }
    }

    /// The negotiated profile (both sides agree when both connected).
    var profile: SRTPProfile? { offerer.profile ?? answerer.profile }

    /// Why the handshake failed, nil unless it did: `fingerprint-mismatch` (a certificate
    /// not the one its description names), `mtu` (it timed out, some DTLS datagrams did
    /// arrive, but in one direction none as large as the largest sent: the path drops
    /// large datagrams; a diagnosis only a simulator, seeing both ends, can make; under
    /// very heavy random loss it can also be loss), `timeout` (no answer after the last
    /// retransmission), or the error's description.
    var failureReason: String? {
        let errors = [offerer.failure, answerer.failure].compactMap { $0 }
        guard !errors.isEmpty else { return nil }
        if errors.contains(where: { if case .fingerprintMismatch = $0 { true } else { false } }) {
            return DTLSFailureReason.fingerprintMismatch.rawValue
        }
        if errors.contains(where: { if case .retransmissionLimit = $0 { true } else { false } }) {
            let someArrived = offerer.datagramsReceived + answerer.datagramsReceived > 0
            let dropsLarge = someArrived && [(offerer, answerer), (answerer, offerer)].contains { sender, receiver in
                sender.largestSent > receiver.largestReceived
            }
            return (dropsLarge ? DTLSFailureReason.mtu : .timeout).rawValue
        }
        return "\(errors[0])"
    }
}
