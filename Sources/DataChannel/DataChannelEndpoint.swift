import NetTypes
import SCTP

/// WebRTC data channels (RFC 8831) with their establishment protocol DCEP (RFC 8832) over
/// one `SCTPAssociation`: a sans-IO core with the same contract, whose datagrams are SCTP
/// packets for the DTLS layer.
///
/// `openChannel` sends DATA_CHANNEL_OPEN on a stream of this side's parity (or, for a
/// negotiated channel, opens it at once); the peer answers DATA_CHANNEL_ACK. `send` maps
/// strings and binary to their PPIDs (empty ones as one byte, §6.6); `close` resets the
/// stream, and the peer resets its side in turn (§6.7).
public struct DataChannelEndpoint: SansIOCore {
    public typealias Event = DataChannelEvent

    public let role: DataChannelRole
    public private(set) var association: SCTPAssociation
    var channels: [UInt16: Channel] = [:]
    var outputs = OutputQueue<DataChannelEvent>()
    var deadline = Instant.distantFuture
    /// DCEP messages that did not parse, or came on a stream of the wrong parity.
    public private(set) var controlErrors = 0

    struct Channel {
        var info: DataChannelInfo
        /// The peer acknowledged our OPEN (or it was negotiated, or the peer opened it).
        var acknowledged: Bool
        /// We reset our outgoing stream.
        var closing = false
    }

    public init(role: DataChannelRole, configuration: SCTPConfiguration = SCTPConfiguration(),
                local: Endpoint, remote: Endpoint, rng: Xoshiro256) {
        self.role = role
        association = SCTPAssociation(configuration: configuration, local: local, remote: remote, rng: rng)
    }

    // MARK: SansIOCore

    /// Sends the SCTP INIT (both WebRTC peers do).
    public mutating func connect(now: Instant) {
        association.connect(now: now)
        pump(now: now)
    }

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        association.handle(datagram, now: now)
        pump(now: now)
    }

    public mutating func handleTimeout(now: Instant) {
        association.handleTimeout(now: now)
        pump(now: now)
    }

    public mutating func pollOutput() -> CoreOutput<DataChannelEvent> {
        outputs.next() ?? .timeout(deadline)
    }

    // MARK: Channels

    /// Opens a channel and returns its id. With `negotiatedID` the channel is agreed out
    /// of band: no DCEP, open at once (the peer opens the same id). Otherwise the id is the
    /// lowest free one of this side's parity and `channelOpened` follows the peer's ACK.
    public mutating func openChannel(_ parameters: DataChannelParameters, negotiatedID: UInt16? = nil,
                                     now: Instant) throws(DataChannelError) -> UInt16 {
        if let id = negotiatedID {
            guard channels[id] == nil else { throw .channelIDInUse(id) }
            let info = DataChannelInfo(id: id, parameters: parameters, negotiated: true)
            channels[id] = Channel(info: info, acknowledged: true)
            association.setPriority(parameters.priority, stream: id)
            outputs.append(.event(.channelOpened(info)))
            return id
        }
        let limit = association.state == .established ? association.outboundStreams : association.configuration.streams
        var id: UInt16 = role == .client ? 0 : 1
        while channels[id] != nil {
            guard id < limit &- 2 else { throw .noFreeStream }
            id += 2
        }
        guard id < limit else { throw .noFreeStream }
        // RFC 8832 §6: OPEN goes reliable and ordered on the channel's stream, which the
        // scheduler weighs by the channel's priority from the OPEN on.
        association.setPriority(parameters.priority, stream: id)
        do {
            try association.send(DataChannelMessage.open(parameters).encoded, stream: id, ppid: DataChannelPPID.control, now: now)
        } catch {
            throw .sctp(error)
        }
        channels[id] = Channel(info: DataChannelInfo(id: id, parameters: parameters, negotiated: false), acknowledged: false)
        pump(now: now)
        return id
    }

    /// Sends a message on channel `id`: text (`isString`, UTF-8 bytes) or binary.
    public mutating func send(_ bytes: [UInt8], isString: Bool, on id: UInt16, now: Instant) throws(DataChannelError) {
        guard let channel = channels[id], !channel.closing else { throw .unknownChannel(id) }
        let ppid: UInt32
        let payload: [UInt8]
        if bytes.isEmpty {
            // RFC 8831 §6.6: SCTP cannot carry an empty message; one byte with its own PPID.
            ppid = isString ? DataChannelPPID.emptyString : DataChannelPPID.emptyBinary
            payload = [0]
        } else {
            ppid = isString ? DataChannelPPID.string : DataChannelPPID.binary
            payload = bytes
        }
        let parameters = channel.info.parameters
        // RFC 8832 §6: before the ACK, messages go ordered so none overtakes the OPEN.
        let unordered = !parameters.ordered && channel.acknowledged
        do {
            try association.send(payload, stream: id, ppid: ppid, unordered: unordered,
                                 reliability: parameters.reliability.sctpPolicy, now: now)
        } catch {
            throw .sctp(error)
        }
        pump(now: now)
    }

    /// Closes channel `id` by resetting its outgoing stream (RFC 8831 §6.7);
    /// `channelClosed` follows when the peer reset its side.
    public mutating func close(_ id: UInt16, now: Instant) throws(DataChannelError) {
        guard var channel = channels[id], !channel.closing else { throw .unknownChannel(id) }
        channel.closing = true
        channels[id] = channel
        do {
            try association.resetStreams([id], now: now)
        } catch {
            channels[id] = nil
            outputs.append(.event(.channelClosed(id)))
        }
        pump(now: now)
    }

    /// Ends the association gracefully (RFC 9260 §9.2): what is queued is delivered, then
    /// SHUTDOWN, SHUTDOWN ACK and SHUTDOWN COMPLETE; `associationClosed` follows, or
    /// `associationFailed` when the peer stops answering. Returns whether there is such an
    /// exchange to wait for (false when the association never came up or already ended).
    @discardableResult
    public mutating func shutdown(now: Instant) -> Bool {
        let running = switch association.state {
        case .established, .shutdownPending, .shutdownSent, .shutdownReceived, .shutdownAckSent: true
        case .closed, .cookieWait, .cookieEchoed, .failed: false
        }
        association.shutdown(now: now)
        pump(now: now)
        return running
    }

    /// The channels currently open or opening.
    public var openChannels: [DataChannelInfo] { channels.values.map(\.info).sorted { $0.id < $1.id } }

    // MARK: Association events

    /// Drains the association, passing packets on and turning its events into channel
    /// events (which may send DCEP answers: the loop runs until it is quiet).
    mutating func pump(now: Instant) {
        while true {
            switch association.pollOutput() {
            case .transmit(let datagram): outputs.append(.transmit(datagram))
            case .event(let event): handle(event, now: now)
            case .timeout(let next):
                deadline = next
                return
            }
        }
    }

    mutating func handle(_ event: SCTPEvent, now: Instant) {
        switch event {
        case .established: outputs.append(.event(.associationEstablished))
        case .failed(let failure): outputs.append(.event(.associationFailed(failure)))
        case .closed: outputs.append(.event(.associationClosed))
        case .message(let message): receive(message, now: now)
        case .incomingStreamsReset(let streams): peerClosed(streams.isEmpty ? Array(channels.keys) : streams, now: now)
        case .outgoingStreamsReset, .peerError: break
        }
    }

    mutating func receive(_ message: SCTPMessage, now: Instant) {
        let id = message.stream
        switch message.ppid {
        case DataChannelPPID.control:
            receiveControl(message.bytes, on: id, now: now)
        case DataChannelPPID.string, DataChannelPPID.stringPartial, DataChannelPPID.emptyString,
             DataChannelPPID.binary, DataChannelPPID.binaryPartial, DataChannelPPID.emptyBinary:
            guard channels[id] != nil else { return }
            let empty = message.ppid == DataChannelPPID.emptyString || message.ppid == DataChannelPPID.emptyBinary
            let isString = [DataChannelPPID.string, DataChannelPPID.stringPartial, DataChannelPPID.emptyString].contains(message.ppid)
            outputs.append(.event(.message(channel: id, bytes: empty ? [] : message.bytes, isString: isString)))
        default:
            break
        }
    }

    mutating func receiveControl(_ bytes: [UInt8], on id: UInt16, now: Instant) {
        guard let message = try? DataChannelMessage(decoding: bytes) else {
            controlErrors += 1
            return
        }
        switch message {
        case .open(let parameters):
            // §6: the peer opens on its own parity; a clash or a known id is an error.
            let peerParity: UInt16 = role == .client ? 1 : 0
            guard id % 2 == peerParity, channels[id] == nil else {
                controlErrors += 1
                return
            }
            let info = DataChannelInfo(id: id, parameters: parameters, negotiated: false)
            channels[id] = Channel(info: info, acknowledged: true)
            // RFC 8831 §6.4: both directions of the channel get the priority the OPEN carries.
            association.setPriority(parameters.priority, stream: id)
            try? association.send(DataChannelMessage.ack.encoded, stream: id, ppid: DataChannelPPID.control, now: now)
            outputs.append(.event(.channelOpened(info)))
        case .ack:
            guard var channel = channels[id], !channel.acknowledged else {
                controlErrors += 1
                return
            }
            channel.acknowledged = true
            channels[id] = channel
            outputs.append(.event(.channelOpened(channel.info)))
        }
    }

    /// The peer reset its outgoing streams: those channels are closed; we reset our side
    /// too when we had not (RFC 8831 §6.7).
    mutating func peerClosed(_ streams: [UInt16], now: Instant) {
        var answer: [UInt16] = []
        for id in streams {
            guard let channel = channels.removeValue(forKey: id) else { continue }
            if !channel.closing { answer.append(id) }
            outputs.append(.event(.channelClosed(id)))
        }
        if !answer.isEmpty { try? association.resetStreams(answer, now: now) }
    }
}
