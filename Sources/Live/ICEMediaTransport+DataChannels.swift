import DTLS
import DataChannel
import NetTypes
import SCTP

/// Data channels over the DTLS association (RFC 8831): SCTP packets are DTLS application
/// data (RFC 8261), and both peers start the association once DTLS connects.
extension ICEMediaTransport {
    /// Carries data channels once DTLS connects: SCTP with `configuration` (its ports are
    /// a=sctp-port's, RFC 8841), its verification tags and TSNs drawn from `seed`;
    /// `peerMaxMessageSize` is the peer's a=max-message-size (nil or 0: no limit), which
    /// sends may not exceed (RFC 8841 §6.1); `negotiated` channels (agreed out of band,
    /// RFC 8832 §6) open with the association, as a page's `createDataChannel({negotiated:
    /// true})` made before connecting does, so the peer's first message on one finds it
    /// open. Call before the handshake completes; a later call does nothing.
    public mutating func carryDataChannels(_ configuration: SCTPConfiguration, seed: UInt64, peerMaxMessageSize: Int? = nil,
                                           negotiated: [UInt16: DataChannelParameters] = [:]) {
        guard dataChannels == nil else { return }
        dataChannelSetup = (configuration, seed, peerMaxMessageSize.flatMap { $0 > 0 ? $0 : nil }, negotiated)
    }

    /// Opens a channel (see `DataChannelEndpoint.openChannel`) and returns its stream id.
    public mutating func openChannel(_ parameters: DataChannelParameters, negotiatedID: UInt16? = nil,
                                     now: Instant) throws(MediaTransportError) -> UInt16 {
        advance(now)
        guard dataChannels != nil else { throw .noDataChannels }
        do {
            return try dataChannels!.openChannel(parameters, negotiatedID: negotiatedID, now: now)
        } catch {
            throw .dataChannel(error)
        }
    }

    /// Sends one message on channel `id` (text when `isString`).
    public mutating func sendMessage(_ bytes: [UInt8], isString: Bool, on id: UInt16, now: Instant) throws(MediaTransportError) {
        advance(now)
        guard dataChannels != nil else { throw .noDataChannels }
        if let limit = dataChannelSetup?.peerMaxMessageSize, bytes.count > limit { throw .messageTooLarge(bytes.count, limit: limit) }
        do {
            try dataChannels!.send(bytes, isString: isString, on: id, now: now)
        } catch {
            throw .dataChannel(error)
        }
        noteBufferedAmount()
    }

    /// Closes channel `id` (a stream reset, RFC 8831 §6.7).
    public mutating func closeChannel(_ id: UInt16, now: Instant) throws(MediaTransportError) {
        advance(now)
        guard dataChannels != nil else { throw .noDataChannels }
        do {
            try dataChannels!.close(id, now: now)
        } catch {
            throw .dataChannel(error)
        }
    }

    /// Starts the graceful end of the data channels' association (RFC 9260 §9.2; see
    /// `DataChannelEndpoint.shutdown`), to be waited for before `close` sends DTLS
    /// close_notify. Returns whether an association is shutting down.
    public mutating func shutdownDataChannels(now: Instant) -> Bool {
        advance(now)
        guard dataChannels != nil else { return false }
        return dataChannels!.shutdown(now: now)
    }

    /// Bytes queued by sends and not yet handed to DTLS, over every channel (W3C
    /// `bufferedAmount`: bytes in flight do not count).
    public var bufferedAmount: Int { dataChannels?.association.bufferedAmount ?? 0 }

    /// Whether the association agreed on I-DATA (RFC 8260): one side offered it, the other
    /// offered or accepted it (`SCTPInterleaving`).
    public var dataChannelsInterleave: Bool { dataChannels?.association.interleaving ?? false }

    /// Starts the association in the DTLS role (RFC 8832 §6: it fixes the stream parity).
    mutating func startDataChannels(role: DTLSRole, now: Instant) {
        guard let setup = dataChannelSetup, dataChannels == nil else { return }
        // The endpoint's addresses are not used: its packets ride the DTLS association.
        let unbound = Endpoint(.v4(.any), 0)
        dataChannels = DataChannelEndpoint(role: role == .client ? .client : .server, configuration: setup.configuration,
                                           local: unbound, remote: unbound, rng: Xoshiro256(seed: setup.seed))
        for (id, parameters) in setup.negotiated.sorted(by: { $0.key < $1.key }) {
            // Ids are distinct keys of a fresh endpoint: opening cannot collide.
            _ = try? dataChannels!.openChannel(parameters, negotiatedID: id, now: now)
        }
        dataChannels!.connect(now: now)
    }

    /// An SCTP packet from the DTLS endpoint.
    mutating func receiveSCTP(_ packet: [UInt8]) {
        guard dataChannels != nil else {
            counters.otherDropped += 1
            return
        }
        dataChannels!.handle(Datagram(source: dataChannels!.association.remote, destination: dataChannels!.association.local,
                                      payload: packet), now: now)
        noteBufferedAmount()
    }

    /// An SCTP packet to the peer, as one DTLS record.
    mutating func sendSCTP(_ packet: [UInt8]) {
        do {
            try dtls!.send(packet, now: now)
        } catch {
            counters.sctpSendFailures += 1
        }
    }

    /// Reports `bufferedAmountLow` when the buffered amount crossed the threshold downwards.
    mutating func noteBufferedAmount() {
        let above = bufferedAmount > bufferedAmountLowThreshold
        if bufferedAboveThreshold && !above { outputs.append(.event(.bufferedAmountLow)) }
        bufferedAboveThreshold = above
    }
}
