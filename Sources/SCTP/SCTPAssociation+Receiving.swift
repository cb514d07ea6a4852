import NetTypes

extension SCTPAssociation {
    /// TSNs held above the cumulative point at most: far more than a 1 MiB window of
    /// full-size chunks, and a bound on the linear work each arriving chunk costs.
    static let maxOutOfOrderTSNs = 4096

    /// Bytes reassembly holds: fragments of incomplete messages, whole messages waiting
    /// for earlier ones.
    var receiveBufferedBytes: Int { reassembly.bufferedBytes + interleavedReassembly.bufferedBytes }

    /// The window we advertise: the receive buffer less what reassembly holds (§6.2).
    var advertisedWindow: Int { max(0, configuration.receiveWindow - receiveBufferedBytes) }

    /// A DATA or I-DATA chunk (§6.2): duplicates are reported, chunks beyond the window or
    /// the tracked gap range are dropped (the sender retransmits), others go to
    /// reassembly. The chunk type must be the one agreed (RFC 8260 §2.2.1: DATA where
    /// I-DATA was negotiated, or the reverse, aborts the association).
    mutating func receiveData(_ chunk: SCTPDataChunk, interleaved: Bool) {
        guard interleaved == interleaving else {
            abortForViolation(interleaved ? "I-DATA without negotiating it" : "DATA where I-DATA was negotiated")
            return
        }
        statistics.dataChunksReceived += 1
        let tsn = chunk.tsn
        if tsn.precedesOrEquals(peerCumulativeTSN) || receivedAboveIndex(of: tsn).found {
            statistics.duplicateTSNs += 1
            if duplicates.count < configuration.maxReportedDuplicates { duplicates.append(tsn) }
            sackNow = true  // §6.2: a duplicate is reported at once
            return
        }
        guard chunk.stream < inboundStreams else {
            // §6.5: an Invalid Stream Identifier error; the TSN is still acknowledged.
            pendingControl.append(.error([SCTPErrorCause(code: SCTPErrorCause.invalidStream, info: [UInt8(chunk.stream >> 8), UInt8(truncatingIfNeeded: chunk.stream), 0, 0])]))
            record(tsn)
            return
        }
        // The chunk that fills the cumulative point is taken beyond the window, by up to
        // one maximum message, so reassembly can never wedge with a full buffer waiting
        // for it (an honest peer has at most one message incomplete there); others must
        // fit the window and the gap range a SACK can describe.
        let distance = tsn &- peerCumulativeTSN
        if distance == 1 {
            guard receiveBufferedBytes + chunk.userData.count <= configuration.receiveWindow + configuration.maxMessageSize else {
                statistics.receiveWindowDrops += 1
                return
            }
        } else {
            let gapBlocks = receivedAbove.count < Self.maxOutOfOrderTSNs ? gapBlockCount(adding: tsn) : .max
            guard chunk.userData.count <= advertisedWindow, distance <= UInt32(UInt16.max),
                  receivedAbove.count < Self.maxOutOfOrderTSNs, gapBlocks <= configuration.maxGapBlocks else {
                statistics.receiveWindowDrops += 1
                return
            }
        }
        record(tsn)
        if distance != 1 || chunk.immediate { sackNow = true }  // §6.7: report gaps at once
        var output = SCTPReassembly.Output()
        if interleaving {
            do throws(SCTPInterleavingViolation) {
                try interleavedReassembly.add(chunk, into: &output)
            } catch {
                abortForViolation(error.description)
                return
            }
        } else {
            reassembly.add(chunk, into: &output)
        }
        deliver(output)
        performDeferredReset()
    }

    /// Marks `tsn` received and advances the cumulative TSN over what is now contiguous.
    mutating func record(_ tsn: UInt32) {
        if tsn == peerCumulativeTSN &+ 1 {
            peerCumulativeTSN = tsn
        } else {
            let position = receivedAboveIndex(of: tsn)
            if !position.found { receivedAbove.insert(tsn, at: position.index) }
        }
        advanceCumulativeTSN()
    }

    mutating func advanceCumulativeTSN() {
        var consumed = 0
        while consumed < receivedAbove.count, receivedAbove[consumed].precedesOrEquals(peerCumulativeTSN &+ 1) {
            if receivedAbove[consumed] == peerCumulativeTSN &+ 1 { peerCumulativeTSN = receivedAbove[consumed] }
            consumed += 1
        }
        receivedAbove.removeFirst(consumed)
    }

    /// Where `tsn` is or would go in `receivedAbove` (binary search in serial order).
    func receivedAboveIndex(of tsn: UInt32) -> (index: Int, found: Bool) {
        var low = 0, high = receivedAbove.count
        let key = tsn &- peerCumulativeTSN
        while low < high {
            let mid = (low + high) / 2
            let value = receivedAbove[mid] &- peerCumulativeTSN
            if value == key { return (mid, true) }
            if value < key { low = mid + 1 } else { high = mid }
        }
        return (low, false)
    }

    /// How many Gap Ack Blocks the SACK would need with `tsn` added.
    func gapBlockCount(adding tsn: UInt32) -> Int {
        var blocks = 0
        var previous: UInt32?
        var added = false
        func visit(_ value: UInt32, _ previous: inout UInt32?, _ blocks: inout Int) {
            if previous.map({ $0 &+ 1 != value }) ?? true { blocks += 1 }
            previous = value
        }
        for value in receivedAbove {
            if !added && tsn.precedes(value) { visit(tsn, &previous, &blocks); added = true }
            visit(value, &previous, &blocks)
        }
        if !added { visit(tsn, &previous, &blocks) }
        return blocks
    }

    mutating func deliver(_ output: SCTPReassembly.Output) {
        statistics.oversizedMessages += output.oversized
        for message in output.messages {
            statistics.messagesDelivered += 1
            outputs.append(.event(.message(message)))
        }
    }

    /// After a packet with DATA (§6.2): SACK every second packet, else within the
    /// delayed SACK time.
    mutating func dataPacketReceived(now: Instant) {
        packetsWithDataSinceSack += 1
        if packetsWithDataSinceSack >= 2 || state != .established { sackNow = true }
        if !sackNow, timers[.delayedAck] == .distantFuture {
            timers[.delayedAck] = now + configuration.delayedAckTimeout
        }
    }

    /// The SACK for what has arrived: cumulative TSN, Gap Ack Blocks, duplicates (§3.3.4).
    func makeSack() -> SCTPSackChunk {
        var gaps: [SCTPGapBlock] = []
        for tsn in receivedAbove {
            let offset = UInt16(truncatingIfNeeded: tsn &- peerCumulativeTSN)
            if let last = gaps.last, last.end &+ 1 == offset {
                gaps[gaps.count - 1].end = offset
            } else {
                gaps.append(SCTPGapBlock(start: offset, end: offset))
            }
        }
        return SCTPSackChunk(cumulativeTSN: peerCumulativeTSN, advertisedWindow: UInt32(clamping: advertisedWindow),
                             gaps: gaps, duplicates: duplicates)
    }

    /// A FORWARD-TSN (RFC 3758 §3.6): move the cumulative TSN, drop what it skips, deliver
    /// what it unblocks, and acknowledge at once. Not used with I-DATA (RFC 8260 §2.3).
    mutating func receiveForwardTSN(_ forward: SCTPForwardTSNChunk) {
        guard !interleaving else {
            abortForViolation("FORWARD-TSN where I-DATA was negotiated")
            return
        }
        forwardCumulativeTSN(to: forward.newCumulativeTSN) { reassembly, _, cumulative, output in
            reassembly.forward(to: cumulative, skipping: forward.streams, into: &output)
        }
    }

    /// An I-FORWARD-TSN (RFC 8260 §2.3): as FORWARD-TSN, naming the skipped messages by
    /// stream, U bit and MID; only with I-DATA.
    mutating func receiveForwardTSN(_ forward: SCTPIForwardTSNChunk) {
        guard interleaving else {
            abortForViolation("I-FORWARD-TSN without negotiating I-DATA")
            return
        }
        forwardCumulativeTSN(to: forward.newCumulativeTSN) { _, interleaved, _, output in
            interleaved.forward(skipping: forward.messages, into: &output)
        }
    }

    /// Moves the cumulative TSN to `newCumulativeTSN` (at most 65535 ahead, else abort),
    /// lets `skip` drop the abandoned messages from reassembly, and delivers what that
    /// unblocks; the SACK goes out at once (RFC 3758 §3.6).
    private mutating func forwardCumulativeTSN(
        to newCumulativeTSN: UInt32,
        skip: (inout SCTPReassembly, inout SCTPInterleavedReassembly, UInt32, inout SCTPReassembly.Output) -> Void
    ) {
        sackNow = true
        guard peerCumulativeTSN.precedes(newCumulativeTSN) else { return }
        guard newCumulativeTSN &- peerCumulativeTSN <= UInt32(UInt16.max) else {
            abortForViolation("FORWARD-TSN beyond the receive range")
            return
        }
        peerCumulativeTSN = newCumulativeTSN
        let stale = receivedAbove.prefix { $0.precedesOrEquals(peerCumulativeTSN) }.count
        receivedAbove.removeFirst(stale)
        var output = SCTPReassembly.Output()
        skip(&reassembly, &interleavedReassembly, peerCumulativeTSN, &output)
        advanceCumulativeTSN()
        deliver(output)
        performDeferredReset()
    }
}
