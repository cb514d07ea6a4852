import NetTypes

extension SCTPAssociation {
    /// Starts a graceful shutdown (§9.2): queued and outstanding data is delivered first,
    /// then SHUTDOWN, SHUTDOWN ACK and SHUTDOWN COMPLETE end the association (`closed`).
    /// Before establishment there is nothing to shut down: the association just ends.
    public mutating func shutdown(now: Instant) {
        guard !ended else { return }
        switch state {
        case .established:
            state = .shutdownPending
        case .closed, .cookieWait, .cookieEchoed:
            close()
            return
        default:
            return
        }
        afterInput(now: now)
    }

    /// Aborts the association at once (§9.1): an ABORT with a User-Initiated Abort cause
    /// when the peer's tag is known, then `failed(.aborted)`.
    public mutating func abort(reason: String, now: Instant) {
        guard !ended else { return }
        let cause = SCTPErrorCause.userInitiatedAbort(reason)
        if peerTag != 0 { transmit([.abort(reflected: false, causes: [cause])], tag: peerTag) }
        fail(.aborted(cause))
    }

    /// Moves the shutdown on once every queued and outstanding chunk is acknowledged.
    mutating func checkShutdownProgress(now: Instant) {
        guard state == .shutdownPending || state == .shutdownReceived,
              sendQueue.isEmpty, outstanding.isEmpty else { return }
        if state == .shutdownPending {
            state = .shutdownSent
            pendingControl.append(.shutdown(cumulativeTSN: peerCumulativeTSN))
        } else {
            state = .shutdownAckSent
            pendingControl.append(.shutdownAck)
        }
        timers.stop(.heartbeat)
        timers[.shutdown] = now + rto.timeout
    }

    /// A SHUTDOWN (§9.2): its cumulative TSN acknowledges like a SACK; we finish our
    /// outstanding data, then answer SHUTDOWN ACK. Both sides shutting down at once
    /// answer each other's SHUTDOWN with SHUTDOWN ACK.
    mutating func receiveShutdown(cumulativeTSN: UInt32, now: Instant) {
        guard isEstablishedOrClosing else { return }
        if cumulativeAck.precedes(cumulativeTSN) {
            receiveSack(SCTPSackChunk(cumulativeTSN: cumulativeTSN, advertisedWindow: UInt32(clamping: peerReceiveWindow + flightSize)), now: now)
        }
        switch state {
        case .established, .shutdownPending:
            state = .shutdownReceived
        case .shutdownSent:
            state = .shutdownAckSent
            pendingControl.append(.shutdownAck)
            timers[.shutdown] = now + rto.timeout
        default:
            break
        }
    }

    mutating func receiveShutdownAck() {
        guard state == .shutdownSent || state == .shutdownAckSent else { return }
        transmit([.shutdownComplete(reflected: false)], tag: peerTag)
        close()
    }

    mutating func receiveShutdownComplete() {
        guard state == .shutdownAckSent else { return }
        close()
    }

    /// The association ended gracefully.
    mutating func close() {
        state = .closed
        ended = true
        timers.stopAll()
        outputs.append(.event(.closed))
    }

    /// T2-shutdown (§9.2): resend SHUTDOWN or SHUTDOWN ACK, counting toward the error limit.
    mutating func shutdownTimeout(now: Instant) {
        timers.stop(.shutdown)
        guard state == .shutdownSent || state == .shutdownAckSent else { return }
        statistics.timeouts += 1
        errorCount += 1
        guard errorCount <= configuration.maxAssociationRetransmits else {
            fail(.retransmissionLimit)
            return
        }
        rto.backOff()
        pendingControl.append(state == .shutdownSent ? .shutdown(cumulativeTSN: peerCumulativeTSN) : .shutdownAck)
        timers[.shutdown] = now + rto.timeout
    }

    // MARK: Heartbeat (§8.3)

    /// Sends a HEARTBEAT every HB.interval + RTO; one still unanswered when the next is
    /// due counts as an error toward Association.Max.Retrans.
    mutating func heartbeatTimeout(now: Instant) {
        timers.stop(.heartbeat)
        guard let interval = configuration.heartbeatInterval, state == .established else { return }
        if heartbeatNonce != nil {
            statistics.timeouts += 1
            errorCount += 1
            guard errorCount <= configuration.maxAssociationRetransmits else {
                fail(.retransmissionLimit)
                return
            }
        }
        let nonce = rng.next()
        heartbeatNonce = nonce
        var info = SCTPWriter()
        info.u32(UInt32(truncatingIfNeeded: nonce >> 32)); info.u32(UInt32(truncatingIfNeeded: nonce))
        info.u32(UInt32(truncatingIfNeeded: UInt64(bitPattern: now.nanoseconds) >> 32))
        info.u32(UInt32(truncatingIfNeeded: UInt64(bitPattern: now.nanoseconds)))
        pendingControl.append(.heartbeat(info: info.bytes))
        timers[.heartbeat] = now + interval + rto.timeout
    }

    /// A HEARTBEAT ACK echoing our latest nonce: the path works; its send time gives an
    /// RTT sample (§8.3).
    mutating func receiveHeartbeatAck(_ info: [UInt8], now: Instant) {
        var r = SCTPReader(info[...])
        guard let expected = heartbeatNonce, let high = try? r.u32(), let low = try? r.u32(),
              UInt64(high) << 32 | UInt64(low) == expected,
              let sentHigh = try? r.u32(), let sentLow = try? r.u32() else { return }
        heartbeatNonce = nil
        errorCount = 0
        let sent = Instant(nanoseconds: Int64(bitPattern: UInt64(sentHigh) << 32 | UInt64(sentLow)))
        if sent <= now { rto.sample(now - sent) }
    }
}
