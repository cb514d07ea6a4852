import NetTypes

extension SCTPAssociation {
    /// Queues a user message on `stream` (§6.1). It goes out, cut into DATA chunks of at
    /// most one packet each (§6.9), as the congestion and receive windows allow. Throws
    /// `.messageTooLarge` beyond the maximum message size, `.emptyMessage`,
    /// `.invalidStream`, `.streamResetting`, `.sendBufferFull`, and `.notEstablished`
    /// once shutting down or ended (before establishment messages wait in the queue).
    public mutating func send(_ message: [UInt8], stream: UInt16, ppid: UInt32, unordered: Bool = false,
                              reliability: SCTPReliability = .reliable, now: Instant) throws(SCTPError) {
        guard !ended, [.closed, .cookieWait, .cookieEchoed, .established].contains(state) else { throw .notEstablished }
        guard !message.isEmpty else { throw .emptyMessage }
        guard message.count <= configuration.maxMessageSize else {
            throw .messageTooLarge(size: message.count, limit: configuration.maxMessageSize)
        }
        let streams = state == .established ? outboundStreams : configuration.streams
        guard stream < streams else { throw .invalidStream(stream) }
        guard !resettingStreams.contains(stream) else { throw .streamResetting(stream) }
        // The limit covers the queue and the retransmission queue, so the memory held for
        // the peer stays bounded whatever window it advertises.
        guard queuedBytes + outstandingBytes + message.count <= configuration.sendBufferSize else { throw .sendBufferFull }
        // Without the peer's FORWARD-TSN nothing can be abandoned: all messages are reliable.
        let policy = state == .established && !peerSupportsForwardTSN ? .reliable : reliability
        sendQueue.push(SCTPOutboundMessage(id: nextMessageID, stream: stream, ppid: ppid, unordered: unordered,
                                           reliability: policy, created: now, bytes: message))
        nextMessageID += 1
        queuedBytes += message.count
        afterInput(now: now)
    }

    /// Sets the weight `stream` gets under weighted fair queueing (RFC 8260 §3.6): a data
    /// channel's RFC 8832 priority, 128 (very low) to 1024 (high), 1:2:4:8. Applies from
    /// the stream's next message on; other schedulers ignore it.
    public mutating func setPriority(_ priority: UInt16, stream: UInt16) {
        sendQueue.setWeight(priority, stream: stream)
    }

    /// The weight of `stream` under weighted fair queueing.
    public func priority(of stream: UInt16) -> Int { sendQueue.weight(of: stream) }

    // MARK: Packets out

    /// Sends what the state allows, bundled into packets of at most the MTU (§6.10):
    /// control chunks, a SACK, FORWARD-TSN, retransmissions, then new DATA.
    mutating func flush(now: Instant) {
        guard isEstablishedOrClosing else {
            pendingControl.removeAll()
            return
        }
        var packet = SCTPPacketBuilder(mtu: configuration.mtu)
        for chunk in pendingControl { append(chunk, to: &packet) }
        pendingControl.removeAll()
        if sackNow { append(.sack(makeSack()), to: &packet) }
        if forwardTSNNeeded, let forward = makeForwardTSN() {
            append(forward, to: &packet)
            forwardTSNNeeded = false
        }
        sendRetransmissions(into: &packet, now: now)
        if state == .established || state == .shutdownPending { sendNewData(into: &packet, now: now) }
        if !packet.chunks.isEmpty { transmit(packet.chunks, tag: peerTag) }
        if hasUnackedChunks, timers[.retransmission] == .distantFuture {
            timers[.retransmission] = now + rto.timeout
        }
    }

    /// Adds `chunk`, sending the packet first when it would not fit.
    mutating func append(_ chunk: SCTPChunk, to packet: inout SCTPPacketBuilder) {
        let size = chunk.encodedSize
        if !packet.fits(size) {
            transmit(packet.chunks, tag: peerTag)
            packet.reset()
        }
        if case .sack = chunk {
            sackNow = false
            packetsWithDataSinceSack = 0
            duplicates.removeAll()
            timers.stop(.delayedAck)
        }
        packet.add(chunk, size: size)
    }

    /// Whether an outstanding chunk is not gap-acknowledged (T3-rtx runs for it, §6.3.2).
    var hasUnackedChunks: Bool { outstanding.count > gapAckedChunks }

    /// Header bytes of each DATA or, when interleaving, I-DATA chunk.
    var dataHeaderSize: Int { interleaving ? SCTPDataChunk.interleavedHeaderSize : SCTPDataChunk.headerSize }

    /// The largest fragment that fits a packet alone.
    var maxFragmentSize: Int { configuration.mtu - SCTPPacket.headerSize - dataHeaderSize }

    /// A fragment as the chunk type agreed: I-DATA when interleaving, else DATA.
    func dataChunk(_ fragment: SCTPDataChunk) -> SCTPChunk { interleaving ? .iData(fragment) : .data(fragment) }

    /// Whether the windows let one more DATA chunk of `size` bytes go (§6.1 A, B; §7.2).
    func windowsAllow(_ size: Int) -> Bool {
        if flightSize == 0 { return true }  // §6.1 A: one chunk may always be in flight (zero-window probe)
        return flightSize < congestionWindow && size <= peerReceiveWindow
    }

    mutating func sendRetransmissions(into packet: inout SCTPPacketBuilder, now: Instant) {
        var index = 0
        while index < outstanding.count {
            defer { index += 1 }
            guard outstanding[index].retransmit else { continue }
            if outstanding[index].shouldAbandon(at: now) {
                abandon(messageID: outstanding[index].messageID)
                continue
            }
            let size = outstanding[index].size
            // §7.2.4 rule 3: a fast retransmission fills one packet whatever cwnd says.
            let fastPath = fastRetransmitPending && packet.fits(dataHeaderSize + size + 3)
            guard fastPath || windowsAllow(size) else { break }
            outstanding[index].retransmit = false
            outstanding[index].transmissions += 1
            outstanding[index].sentAt = now
            outstanding[index].inFlight = true
            flightSize += size
            peerReceiveWindow = max(0, peerReceiveWindow - size)
            if rttProbe?.tsn == outstanding[index].chunk.tsn { rttProbe = nil }  // Karn (§6.3.1 C5)
            statistics.retransmissions += 1
            statistics.dataChunksSent += 1
            append(dataChunk(outstanding[index].chunk), to: &packet)
        }
        fastRetransmitPending = false
    }

    /// Cuts new DATA chunks from the scheduler's messages (RFC 8260 §3), one message at a
    /// time: its fragments take consecutive TSNs (RFC 9260 §6.9). When interleaving, the
    /// scheduler picks again after every fragment (I-DATA chunks, RFC 8260 §2.1).
    mutating func sendNewData(into packet: inout SCTPPacketBuilder, now: Instant) {
        sendQueue.reconsider()
        while let lane = sendQueue.select() {
            let message = sendQueue.head(of: lane)
            if message.offset == 0, message.expired(at: now) {
                // RFC 3758 §4: a timed message never sent is dropped with no trace on the wire.
                statistics.abandonedMessages += 1
                dequeue()
                continue
            }
            let room = packet.room - dataHeaderSize
            let size = min(message.remaining, maxFragmentSize)
            // Start a new packet rather than cut a small fragment to fill this one.
            let fragment = size <= room ? size : (packet.chunks.isEmpty ? room : 0)
            if fragment == 0 {
                transmit(packet.chunks, tag: peerTag)
                packet.reset()
                continue
            }
            guard windowsAllow(fragment) else { return }
            let (ssn, mid) = sequenceNumbers(of: message, lane: lane)
            let chunk = SCTPDataChunk(tsn: nextTSN, stream: message.stream, ssn: ssn, ppid: message.ppid,
                                      unordered: message.unordered, beginning: message.offset == 0,
                                      ending: message.offset + fragment == message.bytes.count, mid: mid, fsn: message.fragments,
                                      userData: message.bytes[message.offset..<message.offset + fragment])
            let remaining = sendQueue.updateHead(of: lane) { head in
                head.offset += fragment
                head.fragments += 1
                return head.remaining
            }
            queuedBytes -= fragment
            nextTSN &+= 1
            outstanding.append(SCTPOutstandingChunk(chunk: chunk, messageID: message.id, reliability: message.reliability,
                                                    created: message.created, sentAt: now))
            flightSize += fragment
            outstandingBytes += fragment
            peerReceiveWindow = max(0, peerReceiveWindow - fragment)
            if rttProbe == nil { rttProbe = (chunk.tsn, now) }
            statistics.dataChunksSent += 1
            append(dataChunk(chunk), to: &packet)
            if remaining == 0 {
                dequeue()
            } else if interleaving {
                sendQueue.fragmentSent()
            }
        }
    }

    /// The head message's SSN (DATA) or MID (I-DATA), assigned with its first fragment so
    /// that a message abandoned before it was sent leaves no hole in its stream's
    /// sequence (RFC 3758 §3.5). Unordered DATA carries SSN 0; unordered I-DATA has its
    /// own MID sequence per stream (RFC 8260 §2.1).
    mutating func sequenceNumbers(of message: SCTPOutboundMessage, lane: Int) -> (ssn: UInt16, mid: UInt32) {
        if interleaving {
            if let mid = message.mid { return (0, mid) }
            let mid: UInt32
            if message.unordered {
                mid = outgoingUnorderedMID[message.stream, default: 0]
                outgoingUnorderedMID[message.stream] = mid &+ 1
            } else {
                mid = outgoingMID[message.stream, default: 0]
                outgoingMID[message.stream] = mid &+ 1
            }
            sendQueue.updateHead(of: lane) { $0.mid = mid }
            return (0, mid)
        }
        if message.unordered { return (0, 0) }
        if let ssn = message.ssn { return (ssn, 0) }
        let ssn = outgoingSSN[message.stream, default: 0]
        outgoingSSN[message.stream] = ssn &+ 1
        sendQueue.updateHead(of: lane) { $0.ssn = ssn }
        return (ssn, 0)
    }

    /// Removes the message being sent from the send queue; what of it has no TSN yet is
    /// never sent.
    mutating func dequeue() {
        guard let lane = sendQueue.current else { return }
        queuedBytes -= sendQueue.head(of: lane).remaining
        sendQueue.removeCurrent()
    }

    // MARK: SACK (§6.2.1, §7.2)

    mutating func receiveSack(_ sack: SCTPSackChunk, now: Instant) {
        // §6.2.1 D i: a SACK older than the last one is stale.
        guard cumulativeAck.precedesOrEquals(sack.cumulativeTSN) else { return }
        guard sack.cumulativeTSN.precedes(nextTSN) else {
            abortForViolation("SACK acknowledges TSN \(sack.cumulativeTSN) not yet sent")
            return
        }
        let flightBefore = flightSize
        var newlyAcked = 0
        let cumulativeAdvanced = cumulativeAck != sack.cumulativeTSN
        // Cumulatively acknowledged chunks leave the retransmission queue.
        var removed = 0
        while removed < outstanding.count, outstanding[removed].chunk.tsn.precedesOrEquals(sack.cumulativeTSN) {
            let entry = outstanding[removed]
            if entry.inFlight { flightSize -= entry.size }
            outstandingBytes -= entry.size
            if entry.acked { gapAckedChunks -= 1 }
            if !entry.acked && !entry.abandoned { newlyAcked += entry.size }
            if let probe = rttProbe, probe.tsn == entry.chunk.tsn {
                if entry.transmissions == 1 { rto.sample(now - probe.sentAt) }
                rttProbe = nil
            }
            removed += 1
        }
        outstanding.removeFirst(removed)
        cumulativeAck = sack.cumulativeTSN
        if advancedPeerAckPoint.precedes(cumulativeAck) { advancedPeerAckPoint = cumulativeAck }

        // Gap Ack Blocks: acked above the cumulative point; the chunks between are missing.
        // Nothing to do without blocks when nothing was gap-acked before (no renege).
        var highestNewlyAcked: UInt32?
        let gapsToApply = !sack.gaps.isEmpty || gapAckedChunks > 0
        for index in outstanding.indices where gapsToApply {
            let offset = outstanding[index].chunk.tsn &- sack.cumulativeTSN
            let gapAcked = sack.gaps.contains { UInt32($0.start) <= offset && offset <= UInt32($0.end) }
            if gapAcked && !outstanding[index].acked {
                outstanding[index].acked = true
                gapAckedChunks += 1
                outstanding[index].retransmit = false
                if outstanding[index].inFlight {
                    flightSize -= outstanding[index].size
                    outstanding[index].inFlight = false
                }
                if !outstanding[index].abandoned { newlyAcked += outstanding[index].size }
                highestNewlyAcked = outstanding[index].chunk.tsn
            } else if !gapAcked && outstanding[index].acked {
                outstanding[index].acked = false  // reneged (§6.2.1 D iii): back to waiting for T3
                gapAckedChunks -= 1
            }
        }
        if let highest = highestNewlyAcked { countMissingReports(below: highest, now: now) }
        if let exit = fastRecoveryExit, exit.precedesOrEquals(cumulativeAck) { fastRecoveryExit = nil }

        // §7.2.1, §7.2.2: grow cwnd on a cumulative advance, outside fast recovery, when
        // the window was in use.
        if cumulativeAdvanced {
            errorCount = 0
            if fastRecoveryExit == nil && flightBefore + configuration.mtu > congestionWindow {
                if congestionWindow <= slowStartThreshold {
                    congestionWindow += min(newlyAcked, configuration.mtu)
                } else {
                    partialBytesAcked += newlyAcked
                    if partialBytesAcked >= congestionWindow {
                        partialBytesAcked -= congestionWindow
                        congestionWindow += configuration.mtu
                    }
                }
            }
        }
        if flightSize == 0 { partialBytesAcked = 0 }
        // §6.2.1 D iv: the peer's window less what is still in flight.
        peerReceiveWindow = max(0, Int(sack.advertisedWindow) - flightSize)

        // §6.3.2 R2, R3: stop T3 when nothing is outstanding, restart it on a new cumulative ack.
        if !hasUnackedChunks {
            timers.stop(.retransmission)
        } else if cumulativeAdvanced {
            timers[.retransmission] = now + rto.timeout
        }
        advanceForwardTSN()
    }

    /// §7.2.4: each SACK that acks a TSN above a missing chunk counts a miss (the "highest
    /// newly acknowledged" variant); the third starts a fast retransmit.
    mutating func countMissingReports(below highest: UInt32, now: Instant) {
        for index in outstanding.indices {
            let entry = outstanding[index]
            guard !entry.acked, !entry.abandoned, !entry.retransmit, !entry.fastRetransmitted,
                  entry.chunk.tsn.precedes(highest) else { continue }
            outstanding[index].missingReports += 1
            guard outstanding[index].missingReports >= 3 else { continue }
            if entry.shouldAbandon(at: now) {
                abandon(messageID: entry.messageID)
                continue
            }
            outstanding[index].retransmit = true
            outstanding[index].fastRetransmitted = true
            if outstanding[index].inFlight {
                flightSize -= entry.size
                outstanding[index].inFlight = false
            }
            statistics.fastRetransmits += 1
            fastRetransmitPending = true
            if fastRecoveryExit == nil {
                // §7.2.3, §7.2.4 rule 2: enter fast recovery once per window.
                slowStartThreshold = max(congestionWindow / 2, 4 * configuration.mtu)
                congestionWindow = slowStartThreshold
                partialBytesAcked = 0
                fastRecoveryExit = nextTSN &- 1
            }
        }
    }

    // MARK: T3-rtx (§6.3.3)

    mutating func retransmissionTimeout(now: Instant) {
        timers.stop(.retransmission)
        guard isEstablishedOrClosing, hasUnackedChunks else { return }
        statistics.timeouts += 1
        errorCount += 1
        guard errorCount <= configuration.maxAssociationRetransmits else {
            fail(.retransmissionLimit)
            return
        }
        // §7.2.3: ssthresh halves, cwnd drops to one MTU; §6.3.3 E2: back off the RTO.
        slowStartThreshold = max(congestionWindow / 2, 4 * configuration.mtu)
        congestionWindow = configuration.mtu
        partialBytesAcked = 0
        fastRecoveryExit = nil
        rto.backOff()
        rttProbe = nil
        // §6.3.3 E3: everything unacknowledged goes again, as the window allows.
        for index in outstanding.indices where !outstanding[index].acked && !outstanding[index].abandoned {
            if outstanding[index].shouldAbandon(at: now) {
                abandon(messageID: outstanding[index].messageID)
                continue
            }
            outstanding[index].retransmit = true
            if outstanding[index].inFlight {
                flightSize -= outstanding[index].size
                outstanding[index].inFlight = false
            }
        }
        advanceForwardTSN()
        if advancedPeerAckPoint != cumulativeAck { forwardTSNNeeded = true }
        timers[.retransmission] = now + rto.timeout
    }

    // MARK: Partial reliability (RFC 3758)

    /// Abandons every chunk of a message, sent or not (RFC 3758 §3.5 A3).
    mutating func abandon(messageID: Int) {
        var found = false
        for index in outstanding.indices where outstanding[index].messageID == messageID && !outstanding[index].abandoned {
            found = true
            outstanding[index].abandoned = true
            outstanding[index].retransmit = false
            if outstanding[index].inFlight {
                flightSize -= outstanding[index].size
                outstanding[index].inFlight = false
            }
        }
        if sendQueue.selectLane(headedBy: messageID) {
            dequeue()  // its unsent rest never gets TSNs
        }
        if found { statistics.abandonedMessages += 1 }
    }

    /// RFC 3758 §3.5 C1-C2: moves the advanced peer ack point over abandoned chunks and
    /// asks for a FORWARD-TSN when it moved past the cumulative ack.
    mutating func advanceForwardTSN() {
        guard peerSupportsForwardTSN else { return }
        for entry in outstanding where !entry.chunk.tsn.precedesOrEquals(advancedPeerAckPoint) {
            guard entry.abandoned, entry.chunk.tsn == advancedPeerAckPoint &+ 1 else { break }
            advancedPeerAckPoint = entry.chunk.tsn
        }
        if advancedPeerAckPoint != cumulativeAck { forwardTSNNeeded = true }
    }

    /// The FORWARD-TSN for the current advanced peer ack point, with the largest skipped
    /// SSN of each ordered stream among the abandoned chunks (RFC 3758 §3.5 C4); when
    /// interleaving, the I-FORWARD-TSN with the largest skipped MID of each stream's
    /// ordered and unordered messages (RFC 8260 §2.3.1).
    func makeForwardTSN() -> SCTPChunk? {
        guard advancedPeerAckPoint != cumulativeAck else { return nil }
        if interleaving {
            var skipped: [SCTPSkippedMessage] = []
            for entry in outstanding where entry.chunk.tsn.precedesOrEquals(advancedPeerAckPoint) && entry.abandoned {
                let chunk = entry.chunk
                if let index = skipped.firstIndex(where: { $0.stream == chunk.stream && $0.unordered == chunk.unordered }) {
                    if skipped[index].mid &- chunk.mid >= 1 << 31 { skipped[index].mid = chunk.mid }
                } else {
                    skipped.append(SCTPSkippedMessage(stream: chunk.stream, unordered: chunk.unordered, mid: chunk.mid))
                }
            }
            return .iForwardTSN(SCTPIForwardTSNChunk(newCumulativeTSN: advancedPeerAckPoint, messages: skipped))
        }
        var skipped: [UInt16: UInt16] = [:]
        for entry in outstanding where entry.chunk.tsn.precedesOrEquals(advancedPeerAckPoint) && !entry.chunk.unordered {
            if let ssn = skipped[entry.chunk.stream], !ssn.precedes(entry.chunk.ssn) { continue }
            skipped[entry.chunk.stream] = entry.chunk.ssn
        }
        return .forwardTSN(SCTPForwardTSNChunk(newCumulativeTSN: advancedPeerAckPoint,
                                               streams: skipped.sorted { $0.key < $1.key }.map { SCTPSkippedStream(stream: $0.key, ssn: $0.value) }))
    }
}

/// The chunks of the packet being filled, and the room left under the MTU.
struct SCTPPacketBuilder {
    let mtu: Int
    var chunks: [SCTPChunk] = []
    var size = SCTPPacket.headerSize

    init(mtu: Int) { self.mtu = mtu }

    var room: Int { mtu - size }
    func fits(_ chunkSize: Int) -> Bool { chunks.isEmpty || size + chunkSize <= mtu }

    mutating func add(_ chunk: SCTPChunk, size chunkSize: Int) {
        chunks.append(chunk)
        size += chunkSize
    }

    mutating func reset() {
        chunks.removeAll(keepingCapacity: true)
        size = SCTPPacket.headerSize
    }
}
