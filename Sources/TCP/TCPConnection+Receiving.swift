import NetTypes

extension TCPConnection {
    /// SEGMENT ARRIVES (RFC 9293 §3.10.7), by state.
    mutating func process(_ segment: TCPSegment, from source: Endpoint, now: Instant) {
        switch state {
        case .closed: sendReset(replyingTo: segment, from: source)  // §3.10.7.1
        case .listen: processInListen(segment, from: source, now: now)
        case .synSent: processInSYNSent(segment, now: now)
        default: processSynchronized(segment, now: now)
        }
    }

    /// §3.10.7.2: RST ignored, ACK answered by RST, SYN answered by SYN-ACK.
    mutating func processInListen(_ segment: TCPSegment, from source: Endpoint, now: Instant) {
        let flags = segment.flags
        if flags.contains(.rst) { return }
        if flags.contains(.ack) { sendReset(replyingTo: segment, from: source); return }
        guard flags.contains(.syn) else { return }
        remote = source
        chooseInitialSequenceNumber()
        acceptSYN(segment)
        state = .synReceived
        sendSYN(now: now)
    }

    /// §3.10.7.3: the answer to our SYN, or the peer's SYN (simultaneous open).
    mutating func processInSYNSent(_ segment: TCPSegment, now: Instant) {
        let flags = segment.flags
        let ack = segment.acknowledgmentNumber
        if flags.contains(.ack) && (ack <= iss || sndMax < ack) {
            if !flags.contains(.rst) { sendControl(sequence: ack, acknowledgment: nil, flags: .rst, now: now) }
            return
        }
        if flags.contains(.rst) {
            // Only an RST that acknowledges our SYN is believed (RFC 5961 §3.2 note for SYN-SENT).
            if flags.contains(.ack) { enterClosed(event: .reset) }
            return
        }
        guard flags.contains(.syn) else { return }
        acceptSYN(segment)
        if flags.contains(.ack) {
            sampleRTT(segment, acknowledging: ack, now: now)
            sndUna = ack
            sendBuffer.release(upTo: ack)
            updateSendWindow(segment, scaled: false, force: true)
            establish(now: now)
            sendAck(now: now)
            if !segment.payloadBytes.isEmpty || flags.contains(.fin) {
                var rest = segment
                rest.flags.remove(.syn)
                rest.sequenceNumber = rest.sequenceNumber + 1
                processText(rest, now: now)
            }
        } else {
            // Simultaneous open (Figure 8): SYN-RECEIVED, answer with SYN-ACK.
            state = .synReceived
            updateSendWindow(segment, scaled: false, force: true)
            sendSYN(now: now)
        }
    }

    /// Takes the peer's SYN: IRS, RCV.NXT and the options both sides offered (MSS
    /// §3.7.1, window scale RFC 7323 §2.2, timestamps §3.2, SACK RFC 2018 §2).
    mutating func acceptSYN(_ segment: TCPSegment) {
        irs = segment.sequenceNumber
        rcvNxt = irs + 1
        rcvEdge = rcvNxt
        lastAckSent = rcvNxt
        let ipv4 = local.address.family == .ipv4
        let peerMSS = Int(segment.maximumSegmentSize ?? (ipv4 ? 536 : 1220))
        if let peerScale = segment.windowScale, configuration.windowScale != nil {
            windowScaleAgreed = true
            sendShift = min(peerScale, 14)
            receiveShift = configuration.receiveShift
        } else {
            windowScaleAgreed = false
            sendShift = 0
            receiveShift = 0
        }
        sackEnabled = configuration.sack && segment.isSACKPermitted
        acceptECN(segment.flags)
        if configuration.timestamps, let ts = segment.timestamps {
            timestampsEnabled = true
            tsRecent = ts.value
        } else {
            timestampsEnabled = false
        }
        sendMSS = max(1, min(peerMSS, advertisedMSS) - (timestampsEnabled ? 12 : 0))
        congestion = configuration.congestionControl.makeController(
            mss: sendMSS, initialWindow: configuration.initialWindowSegments * sendMSS)
    }

    /// The handshake completed: ESTABLISHED, or FIN-WAIT-1 when the application closed
    /// during it (RFC 9293 §3.10.4, SYN-RECEIVED).
    mutating func establish(now: Instant) {
        state = finQueued ? .finWait1 : .established
        retransmissionCount = 0
        if handshakeRetransmitted { rtt.raiseInitialAfterSYNTimeout() }
        rtt.resetBackoff()
        timers.stop(.retransmission)
        outputs.append(.event(.connected))
    }

    /// §3.10.7.4 for the synchronized states.
    mutating func processSynchronized(_ segment: TCPSegment, now: Instant) {
        let flags = segment.flags
        // Simultaneous open: the peer's SYN-ACK repeats the SYN already received at IRS;
        // only its ACK is new (Figure 8, step 5). (A copy only then: copying every
        // segment cost a retain and a release of its data.)
        if state == .synReceived && flags.contains([.syn, .ack]) && segment.sequenceNumber == irs {
            var rest = segment
            rest.flags.remove(.syn)
            rest.sequenceNumber = irs + 1
            processSynchronized(rest, now: now)
            return
        }
        // The peer's SYN again (our SYN-ACK was lost): answer with the SYN-ACK at once.
        if state == .synReceived && flags.contains(.syn) && !flags.contains(.ack) && segment.sequenceNumber == irs {
            emit(sequence: iss, flags: [.syn, .ack], payload: [], now: now)
            return
        }
        // PAWS (RFC 7323 §5.3 R1): an older TSval than TS.Recent is a stale duplicate.
        if timestampsEnabled, !flags.contains(.rst), let ts = segment.timestamps,
           TCPSequence(ts.value) < TCPSequence(tsRecent) {
            sendAck(now: now)
            return
        }
        // First: the sequence number (acceptability test of §3.10.7.4).
        guard isAcceptable(segment) else {
            if !flags.contains(.rst) { sendAck(now: now) }
            if state == .timeWait && flags.contains(.fin) {
                // The peer's FIN again (our ACK was lost): restart 2·MSL (eighth step).
                timers[.timeWait] = now + configuration.maximumSegmentLifetime * Int64(2)
            }
            return
        }
        // RFC 7323 §4.3: TS.Recent from a segment covering Last.ACK.sent.
        if timestampsEnabled, let ts = segment.timestamps, segment.sequenceNumber <= lastAckSent,
           !(TCPSequence(ts.value) < TCPSequence(tsRecent)) {
            tsRecent = ts.value
        }
        // Second: RST (RFC 5961 §3.2: exactly RCV.NXT resets, else a challenge ACK).
        if segment.flags.contains(.rst) {
            guard segment.sequenceNumber == rcvNxt else { sendAck(now: now); return }
            processReset(now: now)
            return
        }
        // Fourth: a SYN in a synchronized state gets a challenge ACK (RFC 5961 §4.2).
        if segment.flags.contains(.syn) {
            sendAck(now: now)
            return
        }
        // Fifth: the ACK field.
        guard segment.flags.contains(.ack) else { return }
        guard processAck(segment, now: now) else { return }
        // Seventh and eighth: text and FIN.
        processText(segment, now: now)
    }

    /// The acceptability test of §3.10.7.4 against RCV.NXT and the advertised window.
    func isAcceptable(_ segment: TCPSegment) -> Bool {
        let length = segment.sequenceLength
        let window = max(rcvEdge - rcvNxt, 0)
        let seq = segment.sequenceNumber
        let inWindow = { (s: TCPSequence) in rcvNxt <= s && s < rcvNxt + window }
        switch (length, window) {
        case (0, 0): return seq == rcvNxt
        case (0, _): return inWindow(seq)
        case (_, 0): return false
        default: return inWindow(seq) || inWindow(seq + length - 1)
        }
    }

    /// An accepted RST (§3.10.7.4, second step).
    mutating func processReset(now: Instant) {
        switch state {
        case .synReceived where passive:
            // Back to LISTEN (the listener drops the half-open entry).
            state = .listen
            timers.stopAll()
        case .closing, .lastAck, .timeWait:
            enterClosed(event: .closed)
        default:
            enterClosed(event: .reset)
        }
    }

    /// The fifth step: the ACK field. Returns false when the segment is to be dropped.
    mutating func processAck(_ segment: TCPSegment, now: Instant) -> Bool {
        let ack = segment.acknowledgmentNumber
        let highestAckable = max(sndMax, windowProbeEnd ?? sndMax)
        if state == .synReceived {
            guard sndUna < ack, ack <= highestAckable else {
                sendControl(sequence: ack, acknowledgment: nil, flags: .rst, now: now)
                return false
            }
            updateSendWindow(segment, scaled: true, force: true)
            establish(now: now)
        }
        // RFC 5961 §5.2: an ACK for data never sent, or too old to be plausible.
        if highestAckable < ack || ack < sndUna - max(maxSndWnd, 1) {
            sendAck(now: now)
            return false
        }
        if sackEnabled {
            let (cumulative, highData) = (max(sndUna, ack), sndMax)
            segment.optionBytes.forEachSACKBlock { scoreboard.add($0, cumulativeAck: cumulative, highData: highData) }
        }
        if sndUna < ack {
            acknowledge(upTo: ack, segment: segment, now: now)
            if segment.flags.contains(.ece) { reduceForECE(now: now) }
        } else if ack == sndUna && isDuplicateAck(segment) {
            duplicateAck(now: now)
        }
        updateSendWindow(segment, scaled: true)
        switch state {
        case .finWait1 where finAcknowledged:
            state = .finWait2
        case .closing where finAcknowledged:
            enterTimeWait(now: now)
        case .lastAck where finAcknowledged:
            enterClosed(event: .closed)
            return false
        default:
            break
        }
        return true
    }

    /// RFC 5681 §2's duplicate ACK (checked before the window update): outstanding data,
    /// no data or SYN/FIN, the same ACK and the same window.
    func isDuplicateAck(_ segment: TCPSegment) -> Bool {
        sndUna < sndMax && segment.payloadBytes.isEmpty && !segment.flags.contains(.fin)
            && Int(segment.window) << Int(sendShift) == sndWnd
    }

    /// The window update of §3.10.7.4: SND.WL1/WL2 keep an old segment from setting the
    /// window, except for the handshake's segments (`force`). A SYN's window is unscaled.
    mutating func updateSendWindow(_ segment: TCPSegment, scaled: Bool, force: Bool = false) {
        let seq = segment.sequenceNumber
        let ack = segment.acknowledgmentNumber
        guard force || sndWl1 < seq || (sndWl1 == seq && sndWl2 <= ack) else { return }
        sndWnd = Int(segment.window) << Int(scaled ? sendShift : 0)
        sndWl1 = seq
        sndWl2 = ack
        maxSndWnd = max(maxSndWnd, sndWnd)
    }

    /// The seventh and eighth steps: in-order data to the application, out-of-order data
    /// to the reassembly queue (with an immediate ACK carrying SACK), then FIN.
    mutating func processText(_ segment: TCPSegment, now: Instant) {
        let acceptsData = state.acceptsData
        var seq = segment.sequenceNumber
        var payload = segment.payloadBytes
        // Trim what was already received and what lies beyond the window.
        if seq < rcvNxt {
            let skip = min(rcvNxt - seq, payload.count)
            payload.removeFirst(skip)
            seq = seq + skip
        }
        let room = max(rcvEdge - seq, 0)
        let finInWindow = segment.flags.contains(.fin) && payload.count < room
        if payload.count > room { payload.removeLast(payload.count - room) }
        let length = payload.count
        var immediateAck = false
        if acceptsData && length > 0 && !peerFINReceived {
            if seq == rcvNxt {
                let hadHoles = !reassembly.isEmpty
                deliver(consume payload)
                while let more = reassembly.takeContiguous(at: rcvNxt) { deliver(more) }
                immediateAck = hadHoles  // RFC 5681 §4.2: ACK at once when a hole fills
                outputs.append(.event(.dataReceived(readable: readableBytes)))
            } else {
                reassembly.insert(payload, at: seq)
                immediateAck = true  // RFC 5681 §4.2: out-of-order data is acknowledged at once
            }
        } else if length > 0 {
            immediateAck = true
        }
        if finInWindow { peerFIN = seq + length }
        if let fin = peerFIN, fin == rcvNxt, !peerFINReceived {
            processFIN(now: now)
            return
        }
        if immediateAck {
            sendAck(now: now)
        } else if length > 0 {
            scheduleAck(now: now)
        }
    }

    /// Appends in-order octets to the receive buffer and advances RCV.NXT.
    mutating func deliver(_ bytes: consuming ArraySlice<UInt8>) {
        let count = bytes.count
        received.append(bytes)
        rcvNxt = rcvNxt + count
        unackedReceived += count
    }

    /// `deliver` for a run the reassembly queue hands over: its chunks move by reference.
    mutating func deliver(_ run: TCPChunkQueue) {
        received.append(contentsOf: run)
        rcvNxt = rcvNxt + run.count
        unackedReceived += run.count
    }

    /// The delayed-ACK decision (RFC 9293 §3.8.6.3, RFC 5681 §4.2): at once after two
    /// full-sized segments' worth, otherwise within the delayed-ACK timeout.
    mutating func scheduleAck(now: Instant) {
        let fullSegment = advertisedMSS - (timestampsEnabled ? 12 : 0)
        if !configuration.delayedAck || unackedReceived >= 2 * fullSegment {
            sendAck(now: now)
        } else if timers[.delayedAck] == .distantFuture {
            timers[.delayedAck] = now + configuration.delayedAckTimeout
        }
    }

    /// The peer's FIN at RCV.NXT (eighth step): ACK it, tell the application, move on.
    mutating func processFIN(now: Instant) {
        peerFINReceived = true
        rcvNxt = rcvNxt + 1
        outputs.append(.event(.peerClosed))
        switch state {
        case .synReceived, .established:
            state = .closeWait
        case .finWait1:
            if finAcknowledged { enterTimeWait(now: now) } else { state = .closing }
        case .finWait2:
            enterTimeWait(now: now)
        default:
            break
        }
        sendAck(now: now)
    }

    /// TIME-WAIT for 2·MSL (§3.6.1); other timers stop.
    mutating func enterTimeWait(now: Instant) {
        state = .timeWait
        timers.stopAll()
        timers[.timeWait] = now + configuration.maximumSegmentLifetime * Int64(2)
    }
}
