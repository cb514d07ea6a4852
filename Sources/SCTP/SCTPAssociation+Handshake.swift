import NetTypes

extension SCTPAssociation {
    /// Starts the handshake: sends INIT and enters COOKIE-WAIT (§5.1 A). In WebRTC both
    /// sides call this; the collision resolves by §5.2.1.
    public mutating func connect(now: Instant) {
        guard !ended, state == .closed else { return }
        state = .cookieWait
        sendHandshake(.initiate(initChunk(cookie: nil, answering: nil)), tag: 0, now: now)
        afterInput(now: now)
    }

    /// Our INIT or the INIT ACK answering `peer`: tag, window, streams, initial TSN,
    /// extensions (RFC 3758 §3.1, RFC 5061 §4.2.7, RFC 8260 §2.2.1, §2.3.1) and, for INIT
    /// ACK, the State Cookie.
    func initChunk(cookie: [UInt8]?, answering peer: SCTPInitChunk?) -> SCTPInitChunk {
        var parameters: [SCTPParameter] = []
        if let cookie { parameters.append(.stateCookie(cookie)) }
        var extensions = [SCTPChunkType.reconfig]
        if configuration.partialReliability {
            extensions.append(SCTPChunkType.forwardTSN)
            parameters.append(.forwardTSNSupported)
        }
        if listsInterleaving(answering: peer) {
            extensions.append(SCTPChunkType.iData)
            if configuration.partialReliability { extensions.append(SCTPChunkType.iForwardTSN) }
        }
        parameters.append(.supportedExtensions(extensions))
        return SCTPInitChunk(initiateTag: localTag, advertisedWindow: UInt32(clamping: configuration.receiveWindow),
                             outboundStreams: configuration.streams, inboundStreams: configuration.streams,
                             initialTSN: localInitialTSN, parameters: parameters)
    }

    /// Whether our INIT (`peer` nil) or the INIT ACK answering `peer` lists I-DATA (RFC
    /// 8260 §2.2.1). An INIT lists it when we offer. An INIT ACK lists it when the peer's
    /// INIT does and we offer or accept, and when we offer and our own INIT is outstanding
    /// (an INIT collision: the INIT ACK keeps the parameters of our INIT, RFC 9260
    /// §5.2.1; an accepting peer takes that as our offer). An offerer in CLOSED does not
    /// list it unasked: it could not tell from the COOKIE ECHO whether an initiator that
    /// did not list it (accepting or off) then uses it.
    func listsInterleaving(answering peer: SCTPInitChunk?) -> Bool {
        switch configuration.interleaving {
        case .off: false
        case .accept: peer?.supportsInterleaving ?? false
        case .offer: peer.map { $0.supportsInterleaving || state == .cookieWait || state == .cookieEchoed } ?? true
        }
    }

    /// Sends INIT or COOKIE ECHO and arms T1 to resend it (§5.1).
    mutating func sendHandshake(_ chunk: SCTPChunk, tag: UInt32, now: Instant) {
        handshakeChunk = chunk
        initRetransmissions = 0
        transmit([chunk], tag: tag)
        timers[.initiation] = now + rto.timeout
    }

    mutating func initiationTimeout(now: Instant) {
        guard let chunk = handshakeChunk, state == .cookieWait || state == .cookieEchoed else {
            timers.stop(.initiation)
            return
        }
        initRetransmissions += 1
        statistics.timeouts += 1
        guard initRetransmissions <= configuration.maxInitRetransmits else {
            fail(.handshakeTimeout)
            return
        }
        rto.backOff()
        transmit([chunk], tag: state == .cookieWait ? 0 : peerTag)
        timers[.initiation] = now + rto.timeout
    }

    /// Processes the chunks of a packet that passed the tag check, in order (§6.10).
    mutating func receive(_ packet: SCTPPacket, now: Instant) {
        var hadData = false
        var reports: [SCTPErrorCause] = []
        chunks: for chunk in packet.chunks {
            guard !ended else { return }
            switch chunk {
            case .initiate(let initiate): receiveInit(initiate, now: now)
            case .initiateAck(let ack): receiveInitAck(ack, now: now)
            case .cookieEcho(let cookie):
                guard receiveCookieEcho(cookie, tag: packet.verificationTag, now: now) else { break chunks }
            case .cookieAck: receiveCookieAck(now: now)
            case .data(let data), .iData(let data):
                // §6: DATA only in ESTABLISHED and while the peer has not shut down.
                guard isEstablishedOrClosing, state != .shutdownReceived, state != .shutdownAckSent else { continue }
                hadData = true
                receiveData(data, interleaved: chunk.type == SCTPChunkType.iData)
            case .sack(let sack): if isEstablishedOrClosing { receiveSack(sack, now: now) }
            case .forwardTSN(let forward): if isEstablishedOrClosing { receiveForwardTSN(forward) }
            case .iForwardTSN(let forward): if isEstablishedOrClosing { receiveForwardTSN(forward) }
            case .reconfig(let parameters): if isEstablishedOrClosing { receiveReconfig(parameters, now: now) }
            case .heartbeat(let info): if isEstablishedOrClosing { pendingControl.append(.heartbeatAck(info: info)) }
            case .heartbeatAck(let info): receiveHeartbeatAck(info, now: now)
            case .abort(_, let causes): fail(.abortedByPeer(causes))
            case .error(let causes): receiveError(causes, now: now)
            case .shutdown(let cumulative): receiveShutdown(cumulativeTSN: cumulative, now: now)
            case .shutdownAck: receiveShutdownAck()
            case .shutdownComplete: receiveShutdownComplete()
            case .unknown(let type, _, _):
                // §3.2: the upper two bits: 00 stop, 01 stop and report, 10 skip, 11 skip and report.
                if type & 0x40 != 0 { reports.append(.unrecognizedChunk(chunk.encoded)) }
                if type & 0x80 == 0 { break chunks }
            }
        }
        if !reports.isEmpty, isEstablishedOrClosing { pendingControl.append(.error(reports)) }
        if hadData { dataPacketReceived(now: now) }
    }

    var isEstablishedOrClosing: Bool {
        switch state {
        case .established, .shutdownPending, .shutdownSent, .shutdownReceived, .shutdownAckSent: true
        default: false
        }
    }

    /// An INIT (§5.1, §5.2.1): answered with an INIT ACK whose State Cookie holds all the
    /// association needs, so nothing is kept (an INIT flood costs no memory). In
    /// COOKIE-WAIT and COOKIE-ECHOED the answer carries the tag and TSN of our own INIT,
    /// which resolves a collision. In an established association an INIT would be a
    /// peer restart, which WebRTC does not use: it is discarded.
    mutating func receiveInit(_ initiate: SCTPInitChunk, now: Instant) {
        guard state == .closed || state == .cookieWait || state == .cookieEchoed else {
            statistics.packetsDiscarded += 1
            return
        }
        statistics.initsAnswered += 1
        if state != .closed {
            // A collision: the association exists, so what the peer offered is kept (in
            // CLOSED the cookie carries it, and nothing is kept).
            notePeerListing(interleaving: initiate.supportsInterleaving, interleavedForwardTSN: initiate.supportsInterleavedForwardTSN)
        }
        let cookie = SCTPCookie(created: now, localTag: localTag, localInitialTSN: localInitialTSN, peer: initiate)
        transmit([.initiateAck(initChunk(cookie: cookies.seal(cookie), answering: initiate))], tag: initiate.initiateTag)
    }

    /// An INIT ACK in COOKIE-WAIT (§5.1 C): echo the cookie, enter COOKIE-ECHOED.
    mutating func receiveInitAck(_ ack: SCTPInitChunk, now: Instant) {
        guard state == .cookieWait else { return }  // §5.2.3: otherwise discarded
        guard let cookie = ack.stateCookie else {
            // §5.1 C: an INIT ACK needs a cookie.
            peerTag = ack.initiateTag
            abortForViolation("INIT ACK without State Cookie")
            return
        }
        adopt(peerTag: ack.initiateTag, initialTSN: ack.initialTSN, window: ack.advertisedWindow,
              outbound: ack.outboundStreams, inbound: ack.inboundStreams,
              forwardTSN: ack.supportsForwardTSN, reconfig: ack.supportsReconfig,
              interleaving: ack.supportsInterleaving, interleavedForwardTSN: ack.supportsInterleavedForwardTSN)
        state = .cookieEchoed
        sendHandshake(.cookieEcho(cookie), tag: peerTag, now: now)
    }

    /// A COOKIE ECHO (§5.1 D, §5.2.4). Returns false when the packet must be discarded
    /// (a forged, stale, mis-tagged or replayed cookie): the chunks after it are not read.
    mutating func receiveCookieEcho(_ bytes: [UInt8], tag: UInt32, now: Instant) -> Bool {
        guard let cookie = cookies.open(bytes), cookie.localTag == localTag, tag == localTag else {
            statistics.cookiesRejected += 1
            statistics.packetsDiscarded += 1
            return false
        }
        let expiry = cookie.created + configuration.cookieLifetime
        if now > expiry {
            // §5.1.5 item 3: a Stale Cookie error, tagged with the peer's tag from the cookie.
            statistics.cookiesRejected += 1
            transmit([.error([.staleCookie(now - expiry)])], tag: cookie.peerTag)
            return false
        }
        switch state {
        case .closed, .cookieWait, .cookieEchoed:
            if configuration.interleaving == .offer, state == .cookieWait, !peerListedInterleaving, !cookie.peerSupportsInterleaving {
                // An INIT collision before the answer to our INIT: the peer's INIT did not
                // list I-DATA, but our INIT ACK did (§5.2.1 above), so an accepting peer
                // uses I-DATA and one that is off does not; only its INIT ACK to our INIT
                // tells which. Discarded until then: the peer resends the COOKIE ECHO on T1.
                statistics.packetsDiscarded += 1
                return false
            }
            adopt(peerTag: cookie.peerTag, initialTSN: cookie.peerInitialTSN, window: cookie.peerWindow,
                  outbound: cookie.peerOutboundStreams, inbound: cookie.peerInboundStreams,
                  forwardTSN: cookie.peerSupportsForwardTSN, reconfig: cookie.peerSupportsReconfig,
                  interleaving: cookie.peerSupportsInterleaving, interleavedForwardTSN: cookie.peerSupportsInterleavedForwardTSN)
            pendingControl.append(.cookieAck)
            establish(now: now)
            return true
        default:
            // §5.2.4 D: the same tags are a repeated COOKIE ECHO (our COOKIE ACK was
            // lost): answer again. Other tags would be a peer restart, unsupported here:
            // a replayed cookie must not disturb the association.
            guard cookie.peerTag == peerTag else {
                statistics.cookiesRejected += 1
                return false
            }
            pendingControl.append(.cookieAck)
            return true
        }
    }

    mutating func receiveCookieAck(now: Instant) {
        guard state == .cookieEchoed else { return }
        establish(now: now)
    }

    /// Records that the peer listed I-DATA or I-FORWARD-TSN (RFC 8260 §2.2.1, §2.3.1).
    mutating func notePeerListing(interleaving: Bool, interleavedForwardTSN: Bool) {
        if interleaving { peerListedInterleaving = true }
        if interleavedForwardTSN { peerListedInterleavedForwardTSN = true }
    }

    /// The peer's side of the association, from its INIT ACK or its cookie. What the
    /// peer listed is only recorded here; the extensions in use are decided once, at
    /// establishment (`decideExtensions`).
    mutating func adopt(peerTag: UInt32, initialTSN: UInt32, window: UInt32, outbound: UInt16, inbound: UInt16,
                        forwardTSN: Bool, reconfig: Bool, interleaving: Bool, interleavedForwardTSN: Bool) {
        self.peerTag = peerTag
        peerCumulativeTSN = initialTSN &- 1
        expectedPeerReconfigSequence = initialTSN
        peerReceiveWindow = Int(window)
        outboundStreams = min(configuration.streams, inbound)
        inboundStreams = min(configuration.streams, outbound)
        peerListedForwardTSN = forwardTSN
        notePeerListing(interleaving: interleaving, interleavedForwardTSN: interleavedForwardTSN)
        peerSupportsReconfig = reconfig
    }

    /// Decides, on entering ESTABLISHED, whether I-DATA is used: when the peer listed it in
    /// anything we read before (an INIT of a collision, an INIT ACK, the INIT in the State
    /// Cookie its COOKIE ECHO returned) and we are not off. RFC 8260 §2.2.1 asks for
    /// I-DATA when the INIT and the INIT ACK both list it; in a collision each side reads
    /// two of each in an order set by timing and loss, and establishes on either
    /// handshake, so the rule is taken over all of them and both sides reach the same
    /// answer (docs/sctp.md, "User message interleaving", gives the argument): whatever
    /// the peer listed answers or prompts a listing of ours (`listsInterleaving`).
    /// Deciding earlier, at the INIT ACK, missed an offer read afterwards. With I-DATA,
    /// partial reliability needs I-FORWARD-TSN on both sides (§2.3.1); plain FORWARD-TSN
    /// is not used then.
    mutating func decideExtensions() {
        interleaving = configuration.interleaving != .off && peerListedInterleaving
        peerSupportsForwardTSN = configuration.partialReliability
            && (interleaving ? peerListedInterleavedForwardTSN : peerListedForwardTSN)
        if interleaving { sendQueue.interleave(fragmentSize: maxFragmentSize) }
    }

    mutating func establish(now: Instant) {
        state = .established
        decideExtensions()
        if !peerSupportsForwardTSN {
            // Without FORWARD-TSN nothing sent can be abandoned (RFC 3758 §3.3): messages
            // queued before the handshake become reliable.
            sendQueue.forEachMessage { $0.reliability = .reliable }
        }
        handshakeChunk = nil
        timers.stop(.initiation)
        rto.resetBackoff()
        if let interval = configuration.heartbeatInterval { timers[.heartbeat] = now + interval }
        outputs.append(.event(.established))
    }

    /// An ERROR chunk (§3.3.10): reported; a Stale Cookie in COOKIE-ECHOED restarts the
    /// handshake with a fresh INIT (§5.2.6, without the optional Cookie Preservative).
    mutating func receiveError(_ causes: [SCTPErrorCause], now: Instant) {
        outputs.append(.event(.peerError(causes)))
        if state == .cookieEchoed, causes.contains(where: { $0.code == SCTPErrorCause.staleCookieCode }) {
            state = .cookieWait
            let retries = initRetransmissions
            sendHandshake(.initiate(initChunk(cookie: nil, answering: nil)), tag: 0, now: now)
            initRetransmissions = retries + 1
            if initRetransmissions > configuration.maxInitRetransmits { fail(.handshakeTimeout) }
        }
    }
}
