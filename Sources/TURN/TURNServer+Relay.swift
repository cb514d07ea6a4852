import NetTypes
import STUN

extension TURNServer {
    /// Client → server: STUN requests and Send indications, or ChannelData.
    mutating func handleFromClient(_ datagram: Datagram, now: Instant) {
        switch PacketKind(classifying: datagram.payload) {
        case .stun:
            guard let decoded = try? DecodedSTUNMessage(decoding: datagram.payload) else { return drop(.malformed) }
            guard decoded.fingerprintCheck != .invalid else { return drop(.badFingerprint) }
            switch decoded.message.type.messageClass {
            case .request: handleRequest(decoded, datagram, now: now)
            case .indication where decoded.message.type.method == .send: relaySend(decoded.message, datagram, now: now)
            default: drop(.unexpectedMessage)
            }
        case .turnChannel:
            relayChannelData(datagram, now: now)
        case .quic where datagram.payload[0] < 0x80:  // RFC 5766 channels 0x5000-0x7FFF, if accepted
            relayChannelData(datagram, now: now)
        default:
            drop(.notTURN)
        }
    }

    /// A Send indication (RFC 8656 §11.2): relay DATA to XOR-PEER-ADDRESS if permitted.
    mutating func relaySend(_ message: STUNMessage, _ datagram: Datagram, now: Instant) {
        guard let allocation = allocations[FiveTuple(receivedFromClient: datagram)] else { return drop(.noAllocation) }
        guard let peer = message.first({ if case .xorPeerAddress(let e) = $0 { e } else { nil } }),
              let data = message.first({ if case .data(let d) = $0 { d } else { nil } }) else { return drop(.malformed) }
        toPeer(data, peer, allocation, ecn: datagram.ecn, now: now)
    }

    /// ChannelData from the client (RFC 8656 §12.6): relay to the channel's peer.
    mutating func relayChannelData(_ datagram: Datagram, now: Instant) {
        guard let (message, _) = try? ChannelData.decode(datagram.payload, stream: datagram.transport.isReliable,
                                                         numbers: configuration.channelNumbers) else {
            return drop(.malformed)
        }
        guard let allocation = allocations[FiveTuple(receivedFromClient: datagram)] else { return drop(.noAllocation) }
        guard let peer = allocation.peer(ofChannel: message.channelNumber, now: now) else { return drop(.noChannel) }
        toPeer(message.data, peer, allocation, ecn: datagram.ecn, now: now)
    }

    /// Relays `data` to `peer` with the ECN field it came in with: RFC 8656's packet
    /// translation rules prefer setting the outgoing ECN field to the incoming value (as
    /// RFC 6040 tunnels do), so ECN-capable media stays ECN-capable and marks made
    /// before the server reach the receiver. Data from a TCP or TLS client is Not-ECT.
    private mutating func toPeer(_ data: [UInt8], _ peer: Endpoint, _ allocation: ServerAllocation, ecn: ECNCodepoint, now: Instant) {
        guard let relayed = allocation.relayed(for: peer.address.family) else { return drop(.familyMismatch) }
        guard allocation.permits(peer.address, now: now) else { return drop(.noPermission) }
        guard permitsPeer(peer) else { return drop(.forbiddenPeer) }
        guard withinBandwidth(allocation.quotaUser, data.count, now: now) else { return drop(.userBandwidth) }
        counters.packetsToPeers += 1
        counters.bytesToPeers += data.count
        outputs.append(.transmit(Datagram(source: relayed, destination: peer, transport: .udp, payload: data, ecn: ecn)))
    }

    /// Peer → relayed address (RFC 8656 §11.3, §12.5): to the client over its channel if
    /// one is bound, else in a Data indication; dropped without a permission, and from a
    /// source the server would not relay to (its own other ports, a denied address).
    mutating func relayFromPeer(_ datagram: Datagram, allocation tuple: FiveTuple, now: Instant) {
        guard let allocation = allocations[tuple] else { return drop(.noAllocation) }
        let peer = datagram.source
        guard allocation.permits(peer.address, now: now) else { return drop(.noPermission) }
        guard permitsPeer(peer) else { return drop(.forbiddenPeer) }
        guard withinBandwidth(allocation.quotaUser, datagram.payload.count, now: now) else { return drop(.userBandwidth) }
        let payload: [UInt8]
        if let number = allocation.channel(to: peer, now: now) {
            payload = ChannelData(channelNumber: number, data: datagram.payload).encoded(stream: tuple.transport.isReliable)
        } else {
            payload = STUNMessage(type: STUNMessageType(method: .data, class: .indication), transactionID: STUNTransactionID(using: &rng),
                                  attributes: [.xorPeerAddress(peer), .data(datagram.payload)]).encoded()
        }
        counters.packetsToClients += 1
        counters.bytesToClients += datagram.payload.count
        var toClient = tuple.toClient(payload)
        if !tuple.transport.isReliable { toClient.ecn = datagram.ecn }
        sendToClient(toClient)
    }
}
