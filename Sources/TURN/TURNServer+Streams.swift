import NetTypes
import STUN
import TLS

/// TURN over TCP and TLS (RFC 8656 §3.1): clients reach the server over a connection, the
/// relayed transport stays UDP. Each connection is a 5-tuple of its own with a
/// `TURNStream` (framing, and TLS on TLS listeners); its messages are handled as those of
/// UDP clients, and what the server sends the client goes back into that stream.
///
/// Bounds, for connections that never send or never allocate (slowloris): at most
/// `maxStreamsPerSource` per client address and `maxStreams` in all (more are closed at
/// once), a connection without an allocation is closed `streamIdleTimeout` after its last
/// bytes, garbage framing or a TLS failure closes it (counted `malformed`; a client's
/// TLS close_notify closes it too, uncounted), and its buffers are bounded by one
/// message (`STUNStreamFramer`). Closing a connection deletes its allocation.
extension TURNServer {
    public mutating func streamOpened(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {
        lastInput = now
        let tuple = FiveTuple(client: remote, server: local, transport: transport)
        guard streams[tuple] == nil else { return }
        guard configuration.streamListening[local] == transport else { return requestClose(tuple) }
        openStream(tuple, now: now)
    }

    public mutating func streamClosed(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {
        lastInput = now
        let tuple = FiveTuple(client: remote, server: local, transport: transport)
        guard streams[tuple] != nil else { return }
        forgetStream(tuple)
        delete(tuple, reason: .connectionClosed)
    }

    /// Stream bytes from a client: the messages they complete, handled in order.
    mutating func handleStreamBytes(_ datagram: Datagram, now: Instant) {
        let tuple = FiveTuple(receivedFromClient: datagram)
        guard configuration.streamListening[datagram.destination] == datagram.transport else { return drop(.unknownLocalEndpoint) }
        if streams[tuple] == nil {
            guard openStream(tuple, now: now) else { return }
        }
        let messages = streams[tuple]!.receive(datagram.payload, now: now)
        for message in messages {
            handleFromClient(Datagram(source: tuple.client, destination: tuple.server, transport: tuple.transport, payload: message), now: now)
        }
        switch streams[tuple]?.end {
        case .failed?:
            drop(.malformed)
            closeStream(tuple)
        case .closedByPeer?:
            closeStream(tuple)
        case nil:
            break
        }
        flushStream(tuple)
    }

    /// Sends a message to a client: as a datagram over UDP, into its stream over TCP/TLS
    /// (dropped when the connection is gone).
    mutating func sendToClient(_ datagram: Datagram) {
        guard datagram.transport.isReliable else { return outputs.append(.transmit(datagram)) }
        let tuple = FiveTuple(client: datagram.destination, server: datagram.source, transport: datagram.transport)
        guard streams[tuple] != nil else { return drop(.noConnection) }
        streams[tuple]!.send(datagram.payload, now: lastInput)
        flushStream(tuple)
    }

    /// Closes connections idle past the timeout that hold no allocation.
    mutating func closeIdleStreams(now: Instant) {
        while let tuple = streamChecks.popDue(now) {
            guard let stream = streams[tuple] else { continue }
            let idleUntil = stream.lastActivity + configuration.streamIdleTimeout
            if allocations[tuple] != nil || pendingAllocations[tuple] != nil {
                streamChecks.insert(now + configuration.streamIdleTimeout, tuple)
            } else if idleUntil <= now {
                counters.streamsTimedOut += 1
                closeStream(tuple)
            } else {
                streamChecks.insert(idleUntil, tuple)
            }
        }
    }

    /// Starts tracking a connection; false (and the connection closed) past the bounds.
    @discardableResult
    private mutating func openStream(_ tuple: FiveTuple, now: Instant) -> Bool {
        guard streams.count < configuration.maxStreams,
              streamsPerSource[tuple.client.address, default: 0] < configuration.maxStreamsPerSource,
              tuple.transport != .tls || configuration.tls != nil else {
            counters.streamsRefused += 1
            requestClose(tuple)
            return false
        }
        var session: TLSSession?
        if tuple.transport == .tls, let context = configuration.tls {
            session = TLSSession(context: context, randomness: configuration.tlsSeeded ? .seeded(Xoshiro256(seed: rng.next())) : .system)
        }
        streams[tuple] = TURNStream(transport: tuple.transport, tls: session, now: now)
        streamsPerSource[tuple.client.address, default: 0] += 1
        counters.streamsTotal += 1
        // One check per connection, from now on: each one re-arms itself from the
        // connection's last activity (`closeIdleStreams`).
        streamChecks.insert(now + configuration.streamIdleTimeout, tuple)
        return true
    }

    /// Closes a connection from the server's side: what was queued goes first; its
    /// allocation (if any) is deleted.
    mutating func closeStream(_ tuple: FiveTuple) {
        guard streams[tuple] != nil else { return }
        flushStream(tuple)
        forgetStream(tuple)
        requestClose(tuple)
        delete(tuple, reason: .connectionClosed)
    }

    private mutating func forgetStream(_ tuple: FiveTuple) {
        streams[tuple] = nil
        streamsPerSource[tuple.client.address, default: 1] -= 1
        if streamsPerSource[tuple.client.address] == 0 { streamsPerSource[tuple.client.address] = nil }
    }

    /// Asks the driver to close the connection (an empty stream write, `StreamCore`).
    private mutating func requestClose(_ tuple: FiveTuple) {
        outputs.append(.transmit(tuple.toClient([])))
    }

    private mutating func flushStream(_ tuple: FiveTuple) {
        guard streams[tuple] != nil else { return }
        for bytes in streams[tuple]!.takeWire() {
            outputs.append(.transmit(tuple.toClient(bytes)))
        }
    }
}
