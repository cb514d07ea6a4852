import NetTypes

/// ICE-TCP (RFC 6544): the connections of TCP candidates, framed per RFC 4571.
///
/// The driver is a byte pipe (`StreamCore`): it accepts connections on the TCP bases
/// (announced with `streamOpened`) and opens one when the agent first writes from an
/// active candidate's base to a remote passive candidate, naming its local end by that
/// base (port 9) whatever port it really has. From a simultaneous-open base it opens the
/// connection from the base's bound port itself while the peer does the same toward it
/// (RFC 6544 §7.1, RFC 9293 §3.5 Figure 8). Each connection is one candidate pair's
/// (§7.1); the agent frames what it sends, reassembles what arrives, and fails the pairs
/// of a connection that ends.
extension ICEAgent {
    /// Stream bytes of an ICE-TCP connection: every complete frame is a datagram that
    /// arrived on the connection's local end from its remote end.
    mutating func receiveStream(_ datagram: Datagram, now: Instant) {
        let key = TCPConnectionKey(local: datagram.destination, remote: datagram.source)
        guard tcpConnections[key] != nil || admitsTCPConnection(on: key.local) else {
            return closeStream(key)
        }
        tcpConnections[key, default: TCPFrameReader()].append(datagram.payload)
        while let frame = tcpConnections[key]?.next() {
            receive(frame, at: key.local, from: key.remote, transport: .tcp, now: now)
        }
    }

    /// A connection a listener accepted: kept on a passive candidate's base while there is
    /// room, else closed.
    mutating func acceptTCPConnection(_ key: TCPConnectionKey, transport: TransportKind) {
        guard connectionState != .closed, transport == .tcp, tcpConnections[key] == nil else { return }
        guard tcpConnections.count < configuration.maximumTCPConnections,
              localCandidates.contains(where: { $0.tcpType == .passive && $0.base == key.local }) else {
            return closeStream(key)
        }
        tcpConnections[key] = TCPFrameReader()
    }

    /// Whether another connection may be kept (`ICEConfiguration.maximumTCPConnections`)
    /// on a local end that is a TCP candidate's base.
    private func admitsTCPConnection(on local: Endpoint) -> Bool {
        tcpConnections.count < configuration.maximumTCPConnections
            && localCandidates.contains { $0.transport == .tcp && $0.base == local }
    }

    /// Writes one framed datagram on the connection `key` (the driver opens it from an
    /// active or simultaneous-open candidate's base when it has none). Nothing goes when
    /// the agent already holds its maximum of connections: the check fails as an
    /// unanswered one.
    mutating func transmitStream(_ payload: [UInt8], on key: TCPConnectionKey) {
        guard let framed = TCPFrameReader.frame(payload) else { return }
        if tcpConnections[key] == nil {
            guard tcpConnections.count < configuration.maximumTCPConnections else { return }
            tcpConnections[key] = TCPFrameReader()
        }
        outputs.append(.transmit(Datagram(source: key.local, destination: key.remote, transport: .tcp, payload: framed)))
    }

    /// The connection `key` ended: its pairs fail (RFC 6544 §7.1: a pair whose connection
    /// cannot be set up fails; one whose connection breaks cannot carry data). A selected
    /// pair on it gives way to the best other valid pair, or loses consent (RFC 7675:
    /// nothing can be sent on it any more).
    mutating func tcpConnectionClosed(_ key: TCPConnectionKey, now: Instant) {
        tcpConnections[key] = nil
        for i in checkList.entries.indices {
            let local = checkList.local(i)
            guard local.transport == .tcp, local.base == key.local, checkList.remote(i).address == key.remote else { continue }
            checkList[i].nominating = false
            stopRetransmitting(pair: i)
            setPairState(i, .failed, now: now)
        }
        for component in selected.keys.sorted() {
            guard let pair = selected[component], pair.local.transport == .tcp, pair.local.base == key.local,
                  pair.remote.address == key.remote else { continue }
            if checkList.best(role: role, where: { $0.component == component && $0.isValid }) != nil {
                selected[component] = nil
                updateSelection(component: component, now: now)
            } else {
                selected[component]?.consentLost = true
            }
        }
    }

    /// Asks the driver to close connection `key`.
    private mutating func closeStream(_ key: TCPConnectionKey) {
        outputs.append(.transmit(Datagram(source: key.local, destination: key.remote, transport: .tcp, payload: [])))
    }

    /// Closes every ICE-TCP connection (the agent closes, or gathers anew).
    mutating func closeTCPConnections() {
        for key in tcpConnections.keys.sorted(by: { ($0.local, $0.remote) < ($1.local, $1.remote) }) { closeStream(key) }
        tcpConnections = [:]
    }
}
