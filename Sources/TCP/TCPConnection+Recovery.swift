import NetTypes

extension TCPConnection {
    /// New data acknowledged up to `ack` (§3.10.7.4 fifth step): RTT sample, send buffer,
    /// NewReno/SACK recovery or the congestion controller, the retransmission timer.
    mutating func acknowledge(upTo ack: TCPSequence, segment: TCPSegment, now: Instant) {
        sampleRTT(segment, acknowledging: ack, now: now)
        let dataStart = max(sndUna, sendBuffer.start)
        let dataAcked = max(0, min(ack, sendBuffer.end) - dataStart)
        let ackedSpace = ack - sndUna
        sendBuffer.release(upTo: ack)
        sndUna = ack
        if sndNxt < sndUna { sndNxt = sndUna }
        if sndMax < sndUna { sndMax = sndUna }
        if let probe = windowProbeEnd, probe <= ack { windowProbeEnd = nil }
        scoreboard.acknowledge(upTo: ack)
        retransmissionCount = 0
        softError = nil
        if inRecovery {
            if recover < ack {
                // RFC 6582 §3.2 step 5 (full acknowledgment): cwnd is ssthresh again.
                inRecovery = false
                inflation = 0
                duplicateAcks = 0
            } else {
                partialAck(acked: ackedSpace, now: now)
            }
        } else {
            duplicateAcks = 0
            if dataAcked > 0 { congestion.onAck(ackedBytes: dataAcked, smoothedRTT: rtt.smoothedRTT, now: now) }
        }
        // RFC 6298 §5.2-5.3: stop when everything is acknowledged, else restart.
        if sndUna == sndMax {
            timers.stop(.retransmission)
        } else if !inRecovery || partialAckRestartedTimer {
            armRetransmissionTimer(now: now, restart: true)
        }
    }

    /// A partial acknowledgment during fast recovery (RFC 6582 §3.2 step 5): the next hole
    /// is lost too, retransmit it; deflate the window by what was acknowledged, adding one
    /// SMSS back when at least that much was. With SACK the scoreboard drives the rest
    /// (RFC 6675); the first unacknowledged segment is resent the same way.
    mutating func partialAck(acked: Int, now: Instant) {
        if !sackEnabled {
            inflation -= acked
            if acked >= sendMSS { inflation += sendMSS }
        }
        if highRxt <= sndUna || !sackEnabled {
            sendSegment(at: sndUna, maxLength: min(sendMSS, max(sendBuffer.end - sndUna, 0)), now: now)
        }
        // RFC 6582 §4 ("Impatient"): only the first partial ACK resets the timer.
        partialAckRestartedTimer = !partialAckSeen
        partialAckSeen = true
    }

    /// A duplicate acknowledgment (RFC 5681 §3.2): the third, or a SACK scoreboard that
    /// shows the first segment lost (RFC 6675 §5), starts fast retransmit unless recovery
    /// after the last one is not over (RFC 6582 §3.2 step 2); later ones inflate the
    /// window (non-SACK) or let the pipe send more (SACK).
    mutating func duplicateAck(now: Instant) {
        duplicateAcks += 1
        if inRecovery {
            if !sackEnabled { inflation += sendMSS }
            return
        }
        let lost = sackEnabled && scoreboard.isLost(sndUna, mss: sendMSS, dupThreshold: configuration.duplicateAckThreshold)
        guard duplicateAcks >= configuration.duplicateAckThreshold || lost, recover < sndUna else { return }
        enterFastRecovery(now: now)
    }

    /// Fast retransmit (RFC 5681 §3.2 steps 2-4, RFC 6582 §3.2 step 2): remember
    /// `recover`, halve through the controller, resend the first unacknowledged segment.
    mutating func enterFastRecovery(now: Instant) {
        statistics.fastRetransmits += 1
        inRecovery = true
        partialAckSeen = false
        partialAckRestartedTimer = false
        recover = sndMax - 1
        congestion.onCongestionEvent(flightSize: flightSize, now: now)
        inflation = sackEnabled ? 0 : configuration.duplicateAckThreshold * sendMSS
        highRxt = sndUna
        timedSegment = nil
        sendSegment(at: sndUna, maxLength: min(sendMSS, max(sendBuffer.end - sndUna, 0)), now: now)
    }

    /// The retransmission timer expired (RFC 6298 §5.4-5.6): give up after the limit,
    /// else resend the first unacknowledged segment with the timer backed off; for data,
    /// the controller collapses cwnd and sending restarts from SND.UNA (go-back-N, the
    /// scoreboard cleared: RFC 2018 §8).
    mutating func retransmissionTimeout(now: Instant) {
        let limit: Int
        switch state {
        case .synSent: limit = configuration.synRetries
        case .synReceived: limit = configuration.synAckRetries
        default: limit = configuration.maximumRetransmissions
        }
        guard retransmissionCount < limit else {
            if state == .synReceived && passive {
                state = .listen
                timers.stopAll()
                outputs.append(.event(.error(.timedOut(.synReceived))))
            } else {
                enterClosed(event: .error(.timedOut(state)))
            }
            return
        }
        let handshaking = state == .synSent || state == .synReceived
        guard handshaking || sndUna < sndMax else { return }  // nothing outstanding
        retransmissionCount += 1
        statistics.timeouts += 1
        statistics.retransmissions += 1
        rtt.backOff()
        timedSegment = nil
        if handshaking {
            handshakeRetransmitted = true
            sendSYN(now: now)
            return
        }
        congestion.onRetransmissionTimeout(flightSize: flightSize, now: now)
        recover = sndMax - 1  // RFC 6582 §3.2 step 2 after a timeout
        inRecovery = false
        inflation = 0
        duplicateAcks = 0
        scoreboard.clear()
        highRxt = sndUna
        sndNxt = sndUna
        statistics.retransmissions -= 1  // sendSegment counts the resend itself
        let length = min(sendMSS, max(sendBuffer.end - sndUna, 0))
        sndNxt = sndUna + sendSegment(at: sndUna, maxLength: length, now: now)
        armRetransmissionTimer(now: now, restart: true)
    }

    /// An RTT sample from the ACK of new data: from the timestamp echo when timestamps
    /// are on (RFC 7323 §4), else from the timed segment if the ACK covers it and it was
    /// never retransmitted (Karn's algorithm, RFC 6298 §3).
    mutating func sampleRTT(_ segment: TCPSegment, acknowledging ack: TCPSequence, now: Instant) {
        if timestampsEnabled, let ts = segment.timestamps, ts.echoReply != 0 {
            let elapsed = timestampValue(now) &- ts.echoReply
            if elapsed < 1 << 31 { rtt.sample(.milliseconds(Int64(elapsed))) }
            timedSegment = nil
        } else if let timed = timedSegment, timed.sequence < ack {
            rtt.sample(now - timed.sentAt)
            timedSegment = nil
        }
    }
}
