import ICE
import JSEP
import NetTypes
import SDP
import Signaling

/// JSEP between the session's agents (RFC 8829): real SDP offers and answers and RFC 8840
/// trickle fragments, written by the SDP module, carried by the session's
/// `SignalingChannel` and parsed again at the peer — so lost, late, reordered or
/// colliding messages play out as they do between browsers.
///
/// The offerer offers as soon as it has credentials (with trickle; without, once it has
/// gathered); the answerer starts its agent on the offer and answers. Both follow the
/// "perfect negotiation" pattern for glare: the answerer is polite (rolls its offer
/// back), the offerer impolite (ignores the colliding offer). Candidates gathered before
/// their description has been sent wait for it; candidates that arrive before their
/// description are queued by the receiving application; candidates of an earlier ICE
/// generation (another ufrag) are dropped (RFC 8838 §4.3).
extension SessionRunner {
    // MARK: Starting and offering

    func start() {
        connectToSignalingServer()
        // With `glare` the answerer starts at the same moment and offers too.
        if spec.signaling.glare { startOffering(answerer) }
        startOffering(offerer)
    }

    /// Starts the side's agent and offers: at once with trickle, else once it has gathered.
    private func startOffering(_ side: Side) {
        side.started = network.simulation.now
        if !spec.trickle { side.negotiation.awaitingGathering = true }
        side.negotiation.state = .haveLocalOffer
        let bases = bindBases(side)
        side.driver.withCore { agent, now in agent.startGathering(hostBases: bases, now: now) }
        if spec.trickle { sendOffer(from: side) }
    }

    /// ICE restart from the offerer (RFC 8829 §5.2.1: a new offer with new credentials);
    /// `moved` is the side whose host changed networks, which gathers anew.
    func restart(regatherOn moved: Side?) {
        guard offerer.started != nil, answerer.started != nil else { return }
        restartSide(offerer, regather: moved === offerer)
        if moved === answerer { answerer.negotiation.regatherOnRestart = true }
        offerer.negotiation.state = .haveLocalOffer
        if spec.trickle || offerer.driver.core.gatheringState == .complete {
            sendOffer(from: offerer)
        } else {
            offerer.negotiation.awaitingGathering = true
        }
    }

    func sendOffer(from side: Side) {
        side.negotiation.awaitingGathering = false
        side.negotiation.state = .haveLocalOffer
        let sections = sectionsToOffer(side)
        // The DTLS client's later offers keep its role (RFC 8842); the server's say actpass.
        let setup: SetupRole = security != nil && side === answerer && side.negotiation.lastAnswer != nil ? .active : .actpass
        let offer = localDescription(side).offer(sections.map { SessionMediaSections.offered($0, in: spec, atOfferer: side === offerer) },
                                                 setup: setup)
        let text = offer.serialized()
        side.negotiation.pendingOffer = text
        if side === offerer && offerSentAt == nil { offerSentAt = network.simulation.now }
        transmit(text, kind: "offer", as: .offer(sdp: text), from: side) { [self] in receiveOffer(text, at: other(side)) }
        announce(side, bundle: offer.media.first)
        scheduleResend(text, from: side)
    }

    /// Sends the unanswered offer again every `signaling.resend` until it is answered or replaced.
    private func scheduleResend(_ text: String, from side: Side) {
        guard let interval = spec.signaling.resend else { return }
        network.simulation.schedule(after: interval) { [self] _ in
            guard side.negotiation.pendingOffer == text, side.negotiation.state == .haveLocalOffer else { return }
            log.add(session: name, source: side.role, kind: "signaling", "offer unanswered after \(interval): sent again")
            transmit(text, kind: "offer", as: .offer(sdp: text), from: side) { [self] in receiveOffer(text, at: other(side)) }
            scheduleResend(text, from: side)
        }
    }

    /// The side's description: credentials, and without trickle every candidate (with
    /// end-of-candidates); a new `o=` version.
    private func localDescription(_ side: Side) -> LocalDescription {
        side.negotiation.version += 1
        let agent = side.driver.core
        let candidates = spec.trickle ? [] : agent.localCandidates.filter { $0.type != .peerReflexive }.map { sdpCandidate($0, of: side) }
        return LocalDescription(credentials: agent.localCredentials, candidates: candidates, endOfCandidates: !spec.trickle,
                                fingerprint: security?.advertisedFingerprint(atOfferer: side === offerer),
                                isLite: agent.configuration.isLite,
                                origin: Origin(sessionID: side.negotiation.sessionID, sessionVersion: side.negotiation.version))
    }

    // MARK: Receiving descriptions

    private func receiveOffer(_ text: String, at side: Side) {
        guard let (offer, remote, version) = parse(text, kind: "offer", at: side) else { return }
        if let last = side.negotiation.lastAnswer, last.offerVersion == version {
            log.add(session: name, source: side.role, kind: "signaling", "offer v\(version) again: answer sent again")
            transmit(last.text, kind: "answer", as: .answer(sdp: last.text), from: side) { [self] in receiveAnswer(last.text, at: other(side)) }
            return
        }
        if let applied = side.negotiation.remoteVersion, version <= applied {
            log.add(session: name, source: side.role, kind: "signaling", "stale offer v\(version) ignored")
            return
        }
        if side.negotiation.state == .haveLocalOffer {
            guard side === answerer else {
                log.add(session: name, source: side.role, kind: "signaling", "glare: offer v\(version) ignored (impolite)")
                return
            }
            log.add(session: name, source: side.role, kind: "signaling", "glare: own offer rolled back (polite)")
            side.negotiation.state = .stable
            side.negotiation.pendingOffer = nil
            side.negotiation.awaitingGathering = false
        }
        if let current = side.negotiation.remoteUfrag, current != remote.credentials.ufrag {
            let regather = side.negotiation.regatherOnRestart
            side.negotiation.regatherOnRestart = false
            restartSide(side, regather: regather)
        }
        side.negotiation.state = .haveRemoteOffer
        side.negotiation.remoteOffer = offer
        apply(remote, version: version, at: side)
        if side.started == nil {
            side.started = network.simulation.now
            if !spec.trickle { side.negotiation.awaitingGathering = true }
            let bases = bindBases(side)
            side.driver.withCore { agent, now in agent.startGathering(hostBases: bases, now: now) }
        }
        guard side.negotiation.state == .haveRemoteOffer, !side.negotiation.awaitingGathering else { return }
        if spec.trickle || side.driver.core.gatheringState == .complete {
            sendAnswer(from: side)
        } else {
            side.negotiation.awaitingGathering = true
        }
    }

    func sendAnswer(from side: Side) {
        guard side.negotiation.state == .haveRemoteOffer, let offer = side.negotiation.remoteOffer,
              let offerVersion = side.negotiation.remoteVersion else { return }
        side.negotiation.awaitingGathering = false
        let answer = localDescription(side).answer(to: offer, capabilities: SessionMediaSections.answerCapabilities)
        let text = answer.serialized()
        side.negotiation.state = .stable
        side.negotiation.lastAnswer = (offerVersion, text)
        transmit(text, kind: "answer", as: .answer(sdp: text), from: side) { [self] in receiveAnswer(text, at: other(side)) }
        announce(side, bundle: answer.media.first { !$0.isRejected })
        agree(to: sections(of: answer), at: side)
        negotiateIfNeeded(side)
    }

    private func receiveAnswer(_ text: String, at side: Side) {
        guard let (answer, remote, version) = parse(text, kind: "answer", at: side) else { return }
        guard side.negotiation.state == .haveLocalOffer else {
            log.add(session: name, source: side.role, kind: "signaling", "answer v\(version) ignored: no offer pending")
            return
        }
        if let applied = side.negotiation.remoteVersion, version <= applied {
            log.add(session: name, source: side.role, kind: "signaling", "stale answer v\(version) ignored")
            return
        }
        side.negotiation.state = .stable
        side.negotiation.pendingOffer = nil
        apply(remote, version: version, at: side)
        if side === offerer && answerAppliedAt == nil { answerAppliedAt = network.simulation.now }
        agree(to: sections(of: answer), at: side)
        negotiateIfNeeded(side)
    }

    /// Parses a description as `setRemoteDescription` does; nil (and an event) when it fails.
    private func parse(_ text: String, kind: String, at side: Side) -> (SessionDescription, RemoteDescription, UInt64)? {
        do {
            let description = try SessionDescription(parsing: text)
            let remote = try RemoteDescription(description)
            return (description, remote, UInt64(description.origin.sessionVersion) ?? 0)
        } catch {
            log.add(session: name, source: side.role, kind: "signaling", "\(kind) rejected: \(error)")
            return nil
        }
    }

    /// Applies the peer's description: credentials (and lite), fingerprint, candidates,
    /// end-of-candidates, then any fragments that came before it.
    private func apply(_ remote: RemoteDescription, version: UInt64, at side: Side) {
        let ufrag = remote.credentials.ufrag
        if let old = side.negotiation.remoteUfrag, old != ufrag { side.negotiation.oldRemoteUfrags.insert(old) }
        side.negotiation.remoteUfrag = ufrag
        side.negotiation.remoteVersion = version
        side.driver.withCore { agent, now in agent.setRemoteCredentials(remote.credentials, isLite: remote.isLite, now: now) }
        if let fingerprint = remote.fingerprint { security?.remoteFingerprint(fingerprint, atOfferer: side === offerer) }
        deliver(remote.candidates, endOfCandidates: remote.endOfCandidates, to: side)
        let early = side.negotiation.early
        side.negotiation.early = early.filter { $0.ufrag != ufrag && !side.negotiation.oldRemoteUfrags.contains($0.ufrag) }
        for fragment in early where fragment.ufrag == ufrag { deliver(fragment, to: side) }
    }

    // MARK: Trickle

    /// A candidate the side gathered (nil: gathering complete), trickled to the peer
    /// once the description with its credentials has gone.
    func trickle(_ candidate: Candidate?, from side: Side) {
        let ufrag = side.driver.core.localCredentials.ufrag
        let entry = (ufrag: ufrag, candidate: candidate.map { sdpCandidate($0, of: side) })
        guard side.negotiation.announcedUfrag == ufrag else { side.negotiation.unsent.append(entry); return }
        sendFragment(entry.candidate, from: side)
    }

    /// The side's description has gone: its credentials are announced, and the candidates
    /// that waited for them follow (those of superseded credentials are dropped).
    private func announce(_ side: Side, bundle: MediaDescription?) {
        let ufrag = side.driver.core.localCredentials.ufrag
        side.negotiation.announcedUfrag = ufrag
        if let bundle { side.negotiation.bundle = (bundle.mediaLine, bundle.mid ?? "0") }
        let waiting = side.negotiation.unsent
        side.negotiation.unsent = []
        for entry in waiting where entry.ufrag == ufrag { sendFragment(entry.candidate, from: side) }
    }

    private func sendFragment(_ candidate: ICECandidate?, from side: Side) {
        guard let bundle = side.negotiation.bundle else { return }
        let credentials = side.driver.core.localCredentials
        let text = TrickleFragment(ufrag: credentials.ufrag, password: credentials.password, mediaLine: bundle.mediaLine,
                                   mid: bundle.mid, candidate: candidate).serialized
        // Over a server, as browsers trickle: an RTCIceCandidateInit of the BUNDLE
        // section, an empty candidate line ending the generation.
        let candidateInit = SignalingCandidate(candidate: candidate?.description ?? "", sdpMid: bundle.mid, sdpMLineIndex: 0,
                                               usernameFragment: credentials.ufrag)
        transmit(text, kind: "trickle", as: .candidate(candidateInit), from: side) { [self] in receiveFragment(text, at: other(side)) }
    }

    private func receiveFragment(_ text: String, at side: Side) {
        do {
            let fragment = try TrickleFragment(parsing: text)
            receive(SignalledCandidate(ufrag: fragment.ufrag, candidate: fragment.candidate), at: side)
        } catch {
            log.add(session: name, source: side.role, kind: "signaling", "candidate rejected: \(error)")
        }
    }

    /// A candidate message from the signaling server; null (no ufrag) ends the current generation.
    private func receiveCandidate(_ candidateInit: SignalingCandidate?, at side: Side) {
        guard let ufrag = candidateInit?.usernameFragment ?? side.negotiation.remoteUfrag else {
            log.add(session: name, source: side.role, kind: "signaling", "candidate rejected: no usernameFragment")
            return
        }
        do throws(SDPParseError) {
            let line = candidateInit?.candidate ?? ""
            receive(SignalledCandidate(ufrag: ufrag, candidate: line.isEmpty ? nil : try ICECandidate(parsing: line)), at: side)
        } catch {
            log.add(session: name, source: side.role, kind: "signaling", "candidate rejected: \(error)")
        }
    }

    private func receive(_ fragment: SignalledCandidate, at side: Side) {
        if fragment.ufrag == side.negotiation.remoteUfrag {
            deliver(fragment, to: side)
        } else if side.negotiation.oldRemoteUfrags.contains(fragment.ufrag) {
            log.add(session: name, source: side.role, kind: "signaling", "candidate of ufrag \(fragment.ufrag) dropped: an earlier ICE generation")
        } else if side.negotiation.early.count < SessionNegotiation.maximumEarly {
            side.negotiation.early.append(fragment)
        } else {
            log.add(session: name, source: side.role, kind: "signaling", "candidate dropped: \(SessionNegotiation.maximumEarly) already wait for their description")
        }
    }

    private func deliver(_ fragment: SignalledCandidate, to side: Side) {
        deliver(fragment.candidate.map { [$0] } ?? [], endOfCandidates: fragment.candidate == nil, to: side)
    }

    /// Hands signalled candidates to the side's agent: names resolved by mDNS or dropped,
    /// and end-of-candidates when the peer has said it.
    private func deliver(_ candidates: [ICECandidate], endOfCandidates: Bool, to side: Side) {
        let usable = candidates.compactMap { remoteCandidate($0, at: side) }
        side.driver.withCore { agent, now in
            for candidate in usable { agent.addRemoteCandidate(candidate, now: now) }
            if endOfCandidates { agent.endOfRemoteCandidates(now: now) }
        }
    }

    // MARK: Candidates in SDP

    /// A local candidate as the side writes it: with mDNS, a host address becomes a
    /// random `.local` name (draft-ietf-mmusic-mdns-ice-candidates §3.1.1), which the
    /// side's responder answers for.
    private func sdpCandidate(_ candidate: Candidate, of side: Side) -> ICECandidate {
        var written = ICECandidate(candidate)
        guard candidate.type == .host, spec.mdns.hides(offerer: side === offerer) else { return written }
        var random = network.simulation.randomStream(for: "mdns:\(spec.name):\(side.role):\(candidate.address)")
        let hostname = (0..<2).map { _ in String(random.next(), radix: 16) }.joined(separator: "-") + ".local"
        side.negotiation.mdnsNames[hostname] = candidate.address.address
        written.address = .hostname(hostname)
        return written
    }

    /// A signalled candidate as the side's agent takes it. A `.local` name resolves by
    /// multicast DNS (§3.2.2) only on the sender's local network (same NAT or firewall);
    /// unresolved, the candidate is dropped and the address shows up, if at all, as
    /// peer-reflexive from the checks. Other names are not resolved (as browsers, which
    /// refuse FQDN candidates they would have to look up).
    private func remoteCandidate(_ written: ICECandidate, at side: Side) -> Candidate? {
        guard case .hostname(let hostname) = written.address else { return Candidate(written) }
        let sender = other(side)
        let address = network.shareLocalNetwork(sender.host.name, side.host.name) ? sender.negotiation.mdnsNames[hostname] : nil
        log.add(session: name, source: side.role, kind: "mdns",
                address.map { "\(hostname) resolved to \($0)" } ?? "\(hostname) not resolved: candidate dropped")
        guard let address else { return nil }
        var resolved = written
        resolved.address = .ip(address)
        return Candidate(resolved)
    }

    // MARK: The channel

    /// Logs `text` as the side sends it and hands it to the channel: to the modelled one
    /// (`deliver` runs at the peer when it arrives), or as `message` to the side's
    /// connection to the signaling server.
    private func transmit(_ text: String, kind: String, as message: @autoclosure () -> SignalingPeerMessage, from side: Side,
                          deliver: @escaping () -> Void) {
        log.add(session: name, source: side.role, kind: kind, text)
        if let connection = side.signaling {
            connection.send(message())
        } else if !channel.send(fromOfferer: side === offerer, deliver) {
            log.add(session: name, source: side.role, kind: "signaling", "\(kind) lost")
        }
    }

    // MARK: The signaling server

    /// A session's room on a signaling server node: its name when that is a valid room
    /// name (1 to 40 characters of `A-Za-z0-9-_.`); otherwise the name with other
    /// characters made `_` and cut to 40, then `-` and the FNV-1a hash of the whole name in
    /// hex, so that names which read alike after that get rooms of their own and every
    /// room name is valid (at most 57 of the 64 characters rooms allow).
    static func roomName(forSession name: String) -> String {
        if name.count <= 40, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) { return name }
        let readable = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" }.prefix(40))
        let hash = name.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
        return readable + "-" + String(hash, radix: 16)
    }

    /// With `signaling.server`: both sides connect to the server node now and join the
    /// session's room (`roomName`).
    func connectToSignalingServer() {
        guard let server = signalingServer else { return }
        let room = Self.roomName(forSession: name)
        for side in [offerer!, answerer!] {
            let rng = network.simulation.randomStream(for: "websocket:\(name):\(side.role)")
            let connection = SignalingConnection(from: side.host, to: server.endpoint, serverName: server.name, room: room, rng: rng)
            connection.onProgress = { [unowned self, unowned side] in log.add(session: name, source: side.role, kind: "signaling", $0) }
            connection.onFailure = { [unowned self, unowned side] reason in
                log.add(session: name, source: side.role, kind: "signaling", "signaling failed: \(reason)")
            }
            connection.onMessage = { [unowned self, unowned side] message in receive(message, at: side) }
            side.signaling = connection
        }
    }

    /// A message the server relayed from the peer.
    private func receive(_ message: SignalingPeerMessage, at side: Side) {
        switch message {
        case .offer(let sdp): receiveOffer(sdp, at: side)
        case .answer(let sdp): receiveAnswer(sdp, at: side)
        case .candidate(let candidateInit): receiveCandidate(candidateInit, at: side)
        case .join, .bye, .joined, .peerJoined, .peerLeft, .error: break
        }
    }
}
