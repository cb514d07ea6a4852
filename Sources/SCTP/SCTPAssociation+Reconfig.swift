import NetTypes

extension SCTPAssociation {
    /// Resets outgoing streams (RFC 6525 §5.1.2), which is how a data channel closes
    /// (RFC 8831 §6.7): no new messages are taken on them; once their queued messages
    /// have TSNs, an Outgoing SSN Reset Request goes out, and when the peer performed it
    /// their SSNs restart at 0 and `outgoingStreamsReset` is reported.
    public mutating func resetStreams(_ streams: [UInt16], now: Instant) throws(SCTPError) {
        guard !ended, state == .established else { throw .notEstablished }
        guard peerSupportsReconfig else { throw .unsupportedByPeer }
        for stream in streams where !resettingStreams.contains(stream) {
            guard stream < outboundStreams else { throw .invalidStream(stream) }
            resettingStreams.insert(stream)
            resetQueue.append(stream)
        }
        afterInput(now: now)
    }

    /// Sends the queued reset once no other request is outstanding and the streams'
    /// queued messages all have TSNs (the request names the last one, §4.1).
    mutating func sendResetRequestIfReady(now: Instant) {
        guard outgoingResetRequest == nil, !resetQueue.isEmpty, state == .established else { return }
        guard !resetQueue.contains(where: { sendQueue.contains(stream: $0) }) else { return }
        let request = (sequence: nextReconfigSequence, lastTSN: nextTSN &- 1, streams: resetQueue)
        resetQueue = []
        nextReconfigSequence &+= 1
        outgoingResetRequest = request
        sendResetRequest(now: now)
    }

    mutating func sendResetRequest(now: Instant) {
        guard let request = outgoingResetRequest else { return }
        pendingControl.append(.reconfig([.outgoingReset(requestSequence: request.sequence,
                                                        responseSequence: expectedPeerReconfigSequence &- 1,
                                                        lastTSN: request.lastTSN, streams: request.streams)]))
        timers[.reconfig] = now + rto.timeout
    }

    /// Resends an unanswered (or "in progress") request (§5.1.1).
    mutating func reconfigTimeout(now: Instant) {
        timers.stop(.reconfig)
        guard outgoingResetRequest != nil, isEstablishedOrClosing else { return }
        statistics.timeouts += 1
        sendResetRequest(now: now)
    }

    mutating func receiveReconfig(_ parameters: [SCTPReconfigParameter], now: Instant) {
        for parameter in parameters {
            switch parameter {
            case .outgoingReset(let sequence, _, let lastTSN, let streams):
                receiveResetRequest(sequence: sequence, lastTSN: lastTSN, streams: streams)
            case .response(let sequence, let result):
                receiveResetResponse(sequence: sequence, result: result)
            case .other(_, let value):
                // §5.2: requests we do not perform are denied; every request type starts
                // with its sequence number.
                guard value.count >= 4 else { continue }
                let sequence = UInt32(value[0]) << 24 | UInt32(value[1]) << 16 | UInt32(value[2]) << 8 | UInt32(value[3])
                respond(sequence, .denied)
            }
        }
    }

    /// An incoming Outgoing SSN Reset Request (§5.2.2): performed once every TSN up to its
    /// last TSN arrived ("in progress" until then); a repeat gets the same answer again.
    mutating func receiveResetRequest(sequence: UInt32, lastTSN: UInt32, streams: [UInt16]) {
        if sequence == expectedPeerReconfigSequence {
            if lastTSN.precedesOrEquals(peerCumulativeTSN) {
                deferredIncomingReset = nil
                performIncomingReset(sequence: sequence, streams: streams)
            } else {
                deferredIncomingReset = (sequence, lastTSN, streams)
                respond(sequence, .inProgress)
            }
        } else if let last = lastReconfigResponse, last.sequence == sequence {
            respond(sequence, last.result)
        } else {
            respond(sequence, .errorBadSequenceNumber)
        }
    }

    /// Performs a deferred incoming reset once its last TSN arrived.
    mutating func performDeferredReset() {
        guard let deferred = deferredIncomingReset, deferred.lastTSN.precedesOrEquals(peerCumulativeTSN) else { return }
        deferredIncomingReset = nil
        performIncomingReset(sequence: deferred.sequence, streams: deferred.streams)
    }

    mutating func performIncomingReset(sequence: UInt32, streams: [UInt16]) {
        reassembly.reset(streams)
        interleavedReassembly.reset(streams)
        expectedPeerReconfigSequence = sequence &+ 1
        lastReconfigResponse = (sequence, .successPerformed)
        respond(sequence, .successPerformed)
        outputs.append(.event(.incomingStreamsReset(streams)))
    }

    mutating func respond(_ sequence: UInt32, _ result: SCTPReconfigResult) {
        pendingControl.append(.reconfig([.response(responseSequence: sequence, result: result)]))
    }

    /// The peer's answer to our request (§5.2.7): done, refused, or still in progress
    /// (the timer asks again).
    mutating func receiveResetResponse(sequence: UInt32, result: SCTPReconfigResult) {
        guard let request = outgoingResetRequest, request.sequence == sequence, result != .inProgress else { return }
        outgoingResetRequest = nil
        timers.stop(.reconfig)
        for stream in request.streams { resettingStreams.remove(stream) }
        guard result == .successPerformed || result == .successNothingToDo else { return }
        for stream in request.streams {
            outgoingSSN[stream] = nil
            outgoingMID[stream] = nil
            outgoingUnorderedMID[stream] = nil
        }
        outputs.append(.event(.outgoingStreamsReset(request.streams)))
    }
}
