import NetTypes

extension TCPConnection {
    // MARK: Building segments

    /// Sends SYN (SYN-SENT) or SYN-ACK (SYN-RECEIVED) at the ISS and arms the
    /// retransmission timer (RFC 9293 §3.10.1, §3.10.7.2-3).
    mutating func sendSYN(now: Instant) {
        let flags: TCPFlags = state == .synSent ? .syn : [.syn, .ack]
        emit(sequence: iss, flags: flags, payload: [], now: now)
        if !handshakeRetransmitted { timedSegment = (iss, now) }
        armRetransmissionTimer(now: now, restart: true)
    }

    /// The options of our SYN or SYN-ACK, in the order Linux writes them: MSS,
    /// SACK-permitted, timestamps, NOP, window scale. A SYN-ACK carries only the options
    /// the peer's SYN offered (RFC 7323 §2.2, §3.2; RFC 2018 §2).
    func synOptions(isSYNACK: Bool, now: Instant) -> [TCPOption] {
        let sack = isSYNACK ? sackEnabled : configuration.sack
        let timestamps = isSYNACK ? timestampsEnabled : configuration.timestamps
        let scale = isSYNACK ? (windowScaleAgreed ? configuration.windowScale : nil) : configuration.windowScale
        var options: [TCPOption] = [.maximumSegmentSize(UInt16(clamping: advertisedMSS))]
        let ts = TCPOption.timestamps(value: timestampValue(now), echoReply: isSYNACK ? tsRecent : 0)
        switch (sack, timestamps) {
        case (true, true): options += [.sackPermitted, ts]
        case (false, true): options += [.noOperation, .noOperation, ts]
        case (true, false): options += [.noOperation, .noOperation, .sackPermitted]
        case (false, false): break
        }
        if let scale { options += [.noOperation, .windowScale(min(scale, 14))] }
        return options
    }

    /// Builds and queues a segment from this connection's state: ACK of RCV.NXT when
    /// `flags` has ACK, the window, timestamps and SACK blocks when negotiated.
    /// `ecnCapable` sends it ECT(0) (new data of an ECN connection, RFC 3168 §6.1.4-5).
    /// `payload` is a slice of the send buffer, copied once, into the wire bytes.
    mutating func emit(sequence: TCPSequence, flags: TCPFlags, payload: ArraySlice<UInt8>, now: Instant, ecnCapable: Bool = false) {
        let isSYN = flags.contains(.syn)
        let flags = flags.union(ecnFlags(for: flags))
        var options = TCPOptionBytes()
        if isSYN {
            options = TCPOptionBytes(synOptions(isSYNACK: flags.contains(.ack), now: now))
        } else {
            if timestampsEnabled {
                options = .alignedTimestamps(value: timestampValue(now), echoReply: tsRecent)
            }
            if sackEnabled && flags.contains(.ack) && !reassembly.isEmpty {
                // 40 option bytes: 4 blocks, or 3 beside timestamps (RFC 2018 §3).
                options.append(.noOperation)
                options.append(.noOperation)
                options.append(.sack(reassembly.sackBlocks(limit: timestampsEnabled ? 3 : 4)))
            }
        }
        let window = windowField(scaled: !isSYN)
        if flags.contains(.ack) {
            lastAckSent = rcvNxt
            unackedReceived = 0
            timers.stop(.delayedAck)
        }
        let segment = TCPSegment(sourcePort: local.port, destinationPort: remote.port, sequenceNumber: sequence,
                                 acknowledgmentNumber: flags.contains(.ack) ? rcvNxt : TCPSequence(0), flags: flags,
                                 window: window, optionBytes: options, payloadBytes: payload)
        queue(segment, to: remote, ecn: ecnCapable ? .ect0 : .notECT)
    }

    /// Queues `segment` for `destination`, in an IP packet with the ECN field `ecn`.
    mutating func queue(_ segment: TCPSegment, to destination: Endpoint, ecn: ECNCodepoint = .notECT) {
        statistics.segmentsSent += 1
        outputs.append(.transmit(Datagram(source: local, destination: destination, transport: .tcp,
                                          payload: segment.encode(source: local.address, destination: destination.address),
                                          ecn: ecn)))
    }

    /// An RST (or other bare control segment) without options.
    mutating func sendControl(sequence: TCPSequence, acknowledgment: TCPSequence?, flags: TCPFlags, now: Instant) {
        var flags = flags
        if acknowledgment != nil { flags.insert(.ack) }
        queue(TCPSegment(sourcePort: local.port, destinationPort: remote.port, sequenceNumber: sequence,
                         acknowledgmentNumber: acknowledgment ?? TCPSequence(0), flags: flags, window: 0), to: remote)
    }

    /// The RST answering `segment` from `source` when no connection wants it
    /// (RFC 9293 §3.10.7.1).
    mutating func sendReset(replyingTo segment: TCPSegment, from source: Endpoint) {
        guard let reply = TCPSegment.reset(answering: segment) else { return }
        queue(reply, to: source)
    }

    /// An ACK of RCV.NXT at SND.NXT.
    mutating func sendAck(now: Instant) {
        emit(sequence: sndNxt, flags: .ack, payload: [], now: now)
    }

    // MARK: The receive window

    /// The window field to send, moving the advertised right edge only forward and only
    /// by at least min(buffer/2, MSS) (receiver SWS avoidance, RFC 9293 §3.8.6.2.2). A SYN's
    /// window is never scaled (RFC 7323 §2.2).
    mutating func windowField(scaled: Bool) -> UInt16 {
        let shift = scaled ? Int(receiveShift) : 0
        let free = max(0, configuration.receiveBufferSize - readableBytes)
        var edge = rcvNxt + free
        if edge < rcvEdge || edge - rcvEdge < receiverSWSThreshold { edge = rcvEdge }
        let window = max(edge - rcvNxt, 0)
        let field = min((window + (1 << shift) - 1) >> shift, Int(UInt16.max))
        rcvEdge = max(rcvEdge, rcvNxt + (field << shift))
        return UInt16(field)
    }

    /// min(buffer/2, MSS): how far the window must open before the edge moves.
    var receiverSWSThreshold: Int { min(configuration.receiveBufferSize / 2, advertisedMSS) }

    /// Whether reading opened the window far enough to announce at once: the edge can
    /// move by the SWS threshold and the window advertised now is below it, so the
    /// sender may be stalled (RFC 9293 §3.8.6.2.2). A larger window rides on the next ACK.
    var windowUpdateIsWorthSending: Bool {
        let free = max(0, configuration.receiveBufferSize - readableBytes)
        return rcvEdge - rcvNxt < receiverSWSThreshold && (rcvNxt + free) - rcvEdge >= receiverSWSThreshold
    }

    // MARK: Sending data

    /// Sends what the windows, Nagle and SWS avoidance allow, or probes a zero window:
    /// called after every input.
    mutating func transmit(now: Instant) {
        guard state.canTransmit else { return }
        if inRecovery && sackEnabled {
            sendDuringSACKRecovery(now: now)
        } else {
            while sendNewSegment(usable: min(sndWnd, congestion.congestionWindow + inflation) - (sndNxt - sndUna), now: now) {}
        }
        updatePersistTimer(now: now)
    }

    /// Sends the next new segment (or the FIN) at SND.NXT if `usable` octets of window
    /// allow it; false when nothing was sent.
    mutating func sendNewSegment(usable: Int, now: Instant) -> Bool {
        let pending = sendBuffer.end - sndNxt
        if pending > 0 {
            let length = min(pending, sendMSS, usable)
            guard length > 0 else { return false }
            if length < sendMSS {
                // RFC 9293 §3.8.6.2.1 (sender SWS avoidance) and §3.7.4 (Nagle): a short
                // segment only when it carries all queued data and nothing is unacknowledged
                // (or Nagle is off), or fills half the largest window the peer offered.
                let all = length == pending
                let idle = sndUna == sndMax
                guard (all && (idle || !configuration.nagle)) || (maxSndWnd > 0 && length >= maxSndWnd / 2) else { return false }
            }
            sndNxt = sndNxt + sendSegment(at: sndNxt, maxLength: length, now: now)
            return true
        }
        if let fin = finSequence, sndNxt == fin {
            sndNxt = sndNxt + sendSegment(at: sndNxt, maxLength: 0, now: now)  // FIN needs no window
            return true
        }
        return false
    }

    /// Sends (or resends) up to `maxLength` octets from `sequence`, with FIN when they
    /// reach the end of the stream after `close`; returns the sequence space used.
    /// Maintains SND.MAX, HighRxt, the RTT probe (Karn) and the retransmission timer.
    @discardableResult
    mutating func sendSegment(at sequence: TCPSequence, maxLength: Int, now: Instant) -> Int {
        let payload = sendBuffer.octets(from: sequence, length: maxLength)
        let end = sequence + payload.count
        let fin = finSequence == end
        var flags: TCPFlags = .ack
        if fin { flags.insert(.fin) }
        if !payload.isEmpty && end == sendBuffer.end { flags.insert(.psh) }
        // RFC 3168 §6.1.5: retransmissions go Not-ECT; CWR rides on new data only.
        let ecnCapable = ecnEnabled && !payload.isEmpty && sequence >= sndMax
        if ecnCapable && cwrPending {
            flags.insert(.cwr)
            cwrPending = false
        }
        emit(sequence: sequence, flags: flags, payload: payload, now: now, ecnCapable: ecnCapable)
        let used = payload.count + (fin ? 1 : 0)
        if sequence < sndMax {
            statistics.retransmissions += 1
            if highRxt < sequence + used { highRxt = sequence + used }
            if let timed = timedSegment, sequence <= timed.sequence, timed.sequence < sequence + max(used, 1) { timedSegment = nil }
        } else if timedSegment == nil && !timestampsEnabled && used > 0 {
            timedSegment = (sequence, now)
        }
        if sndMax < sequence + used { sndMax = sequence + used }
        armRetransmissionTimer(now: now, restart: false)
        return used
    }

    /// RFC 6675 §5 (C): while cwnd − pipe allows a segment, retransmit the first lost
    /// hole (NextSeg rule 1), else send new data (rule 2).
    mutating func sendDuringSACKRecovery(now: Instant) {
        while true {
            let room = congestion.congestionWindow - pipe()
            guard room >= sendMSS else { break }
            if let hole = nextLostHole() {
                let limit = min(scoreboard.nextSACKedStart(after: hole) ?? sndMax, sndMax)
                sendSegment(at: hole, maxLength: min(sendMSS, limit - hole), now: now)
                continue
            }
            let usable = min(room, sndWnd - (sndNxt - sndUna))
            if !sendNewSegment(usable: usable, now: now) { break }
        }
    }

    /// RFC 6675 §4 NextSeg rule 1: the first octet above HighRxt (and SND.UNA) that is
    /// neither SACKed nor yet retransmitted and that IsLost judges lost.
    func nextLostHole() -> TCPSequence? {
        guard let highSACK = scoreboard.highestSACKed else { return nil }
        var s = max(sndUna, highRxt)
        while s < highSACK {
            if let end = scoreboard.sackedEnd(containing: s) { s = end; continue }
            return scoreboard.isLost(s, mss: sendMSS, dupThreshold: configuration.duplicateAckThreshold) ? s : nil
        }
        return nil
    }

    /// RFC 6675 §4 SetPipe: octets believed in the network, segment by segment from
    /// HighACK to HighData: those not SACKed and not lost, plus those retransmitted.
    ///
    /// Computed hole by hole rather than segment by segment (it runs for every segment
    /// sent in recovery): inside a hole between SACKed blocks no octet is SACKed, so
    /// IsLost gives every segment of the hole the same answer, and the segments counted
    /// as retransmitted are those that start below HighRxt, segments being cut at SMSS
    /// from the start of the hole. IsLost of a hole is read off the blocks above it
    /// (every block from `index` on lies wholly above the hole's start): their number and
    /// their octets, kept as a running count instead of walking the scoreboard per hole.
    func pipe() -> Int {
        var total = 0
        var start = sndUna
        var index = 0
        let blocks = scoreboard.blocks
        let threshold = configuration.duplicateAckThreshold
        var sackedAbove = 0
        for block in blocks { sackedAbove += block.end - block.start }
        while start < sndMax {
            while index < blocks.count && blocks[index].end <= start {
                sackedAbove -= blocks[index].end - blocks[index].start
                index += 1
            }
            if index < blocks.count && blocks[index].start <= start {
                start = blocks[index].end
                continue
            }
            let end = index < blocks.count ? min(blocks[index].start, sndMax) : sndMax
            let length = end - start
            // RFC 6675 §4 IsLost(start), as `SACKScoreboard.isLost` computes it.
            let lost = blocks.count - index >= threshold || sackedAbove > (threshold - 1) * sendMSS
            if !lost { total += length }
            if start < highRxt {
                let segments = (highRxt - start + sendMSS - 1) / sendMSS
                total += min(length, segments * sendMSS)
            }
            start = end
        }
        return total
    }

    // MARK: Timers

    /// RFC 6298 §5.1 (start when data is sent and the timer is off) and §5.3 (`restart`).
    mutating func armRetransmissionTimer(now: Instant, restart: Bool) {
        if restart || timers[.retransmission] == .distantFuture {
            timers[.retransmission] = now + rtt.timeout
        }
    }

    /// Arms the persist timer when data waits with nothing in flight, so that no ACK
    /// will come to reopen the window: a zero window (RFC 9293 §3.8.6.1) or one too small
    /// for the sender's SWS avoidance (the override timeout of §3.8.6.2.1). Stops it
    /// otherwise.
    mutating func updatePersistTimer(now: Instant) {
        let waiting = sendBuffer.end - sndNxt > 0
        if waiting && sndUna == sndMax {
            if timers[.persist] == .distantFuture { timers[.persist] = now + persistTimeout }
        } else {
            timers.stop(.persist)
            if sndWnd > 0 { persistBackoff = 0 }
        }
    }

    /// The persist interval: the RTO, doubled per unanswered probe, at most the maximum RTO.
    var persistTimeout: Duration {
        var timeout = rtt.baseTimeout
        for _ in 0..<min(persistBackoff, 30) where timeout < configuration.maximumRTO { timeout = timeout * Int64(2) }
        return min(timeout, configuration.maximumRTO)
    }

    /// The persist timer fired. Behind a zero window: one octet of new data beyond it
    /// (RFC 9293 §3.8.6.1), SND.NXT unmoved, the timer backed off. Behind a small window:
    /// what fits, sent despite SWS avoidance (§3.8.6.2.1 override).
    mutating func probeWindow(now: Instant) {
        let pending = sendBuffer.end - sndNxt
        guard pending > 0, sndUna == sndMax else { return }
        if sndWnd > 0 {
            sndNxt = sndNxt + sendSegment(at: sndNxt, maxLength: min(sndWnd, sendMSS, pending), now: now)
            return
        }
        statistics.windowProbes += 1
        emit(sequence: sndNxt, flags: .ack, payload: sendBuffer.octets(from: sndNxt, length: 1), now: now)
        windowProbeEnd = sndNxt + 1
        persistBackoff += 1
        timers[.persist] = now + persistTimeout
    }
}
