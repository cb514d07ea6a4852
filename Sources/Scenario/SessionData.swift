import DataChannel
import NetTypes
import Records
import SCTP
import Simulator

/// The data channels of one session (RFC 8831): per side an SCTP association with DCEP
/// (`DataChannelEndpoint`), started when that side's DTLS connects and carried as DTLS
/// application data (RFC 8261: one SCTP packet per record). Both sides send INIT, as
/// browsers do (RFC 9260 §5.2.1 resolves the collision); the DTLS client picks even
/// stream ids, the server odd ones (RFC 8832 §6).
///
/// A channel is opened by its sending side once its start time has come: in band with
/// DATA_CHANNEL_OPEN (queued until the association is up), or, when `negotiated`, on both
/// sides as the association comes up (RFC 8832 §4). Its workload runs in `DataChannelFlow`.
final class SessionData {
    /// One agent's association.
    final class Side {
        let isOfferer: Bool
        var bridge: SimCoreBridge<DataChannelEndpoint>?
        /// Channel id → flow, for messages arriving at this side.
        var channels: [UInt16: DataChannelFlow] = [:]

        init(isOfferer: Bool) { self.isOfferer = isOfferer }
    }

    /// The SCTP settings of a browser (libwebrtc's dcsctp): port 5000, max-message-size
    /// 256 KiB, RTO.Initial 500 ms and RTO.Min 400 ms, and an MTU that leaves room for
    /// the DTLS record around each packet within a 1200-byte datagram. Received CRC32c
    /// values are not checked: the DTLS record's MAC already protects the packet
    /// (RFC 8261 §4); sent packets carry a correct one. I-DATA (RFC 8260) is offered
    /// when a channel of the session asks for it (`configuration(for:)`).
    static let configuration: SCTPConfiguration = {
        var c = SCTPConfiguration()
        c.mtu = 1200 - dtlsOverhead
        c.maxMessageSize = DataChannelSpec.maxMessageSize
        c.initialRTO = .milliseconds(500)
        c.minimumRTO = .milliseconds(400)
        c.verifyChecksum = false
        return c
    }()
    /// A DTLS 1.2 AES-GCM record's overhead: 13-byte header, 8-byte explicit nonce,
    /// 16-byte tag (RFC 6347 §4.1, RFC 5288 §3).
    static let dtlsOverhead = 13 + 8 + 16

    let flows: [DataChannelFlow]
    /// The browser settings, with user message interleaving offered or accepted when a
    /// channel asks for it.
    let configuration: SCTPConfiguration
    let offerer = Side(isOfferer: true)
    let answerer = Side(isOfferer: false)
    private let simulation: Simulation
    private let sessionName: String
    private let log: EventLog
    /// Sides whose DTLS connected before the application section was in force there (a
    /// first data channel created mid-call): their association starts when it is.
    private var waiting: [Bool: (isClient: Bool, local: Endpoint, remote: Endpoint)] = [:]
    /// Sides where the application section is in force (both, unless it is renegotiated).
    private var negotiated: Set<Bool>
    /// Sends an SCTP packet as DTLS application data from the offerer's (true) or answerer's endpoint.
    var transmit: (_ fromOfferer: Bool, [UInt8]) -> Void = { _, _ in }

    init(_ spec: SessionSpec, simulation: Simulation, log: EventLog) {
        self.simulation = simulation
        self.log = log
        sessionName = spec.name
        var configuration = Self.configuration
        configuration.interleaving = spec.data.map(\.interleaving).max() ?? .off
        self.configuration = configuration
        flows = spec.data.map { DataChannelFlow($0, session: spec.name, simulation: simulation) }
        negotiated = spec.data.contains(where: \.renegotiate) ? [] : [true, false]
        for flow in flows {
            flow.send = { [unowned self, unowned flow] fromSender, bytes in
                send(bytes, on: flow, fromOfferer: fromSender == flow.fromOfferer)
            }
            flow.senderAssociation = { [unowned self, unowned flow] in side(flow.fromOfferer).bridge?.core.association }
            flow.senderBufferedAmount = { [unowned self, unowned flow] in side(flow.fromOfferer).bridge?.core.association.bufferedAmount }
        }
    }

    private func side(_ atOfferer: Bool) -> Side { atOfferer ? offerer : answerer }

    /// The application section is in force at the offerer's (`atOfferer`) or answerer's
    /// side: its association starts if its DTLS has connected.
    func sectionNegotiated(atOfferer: Bool) {
        negotiated.insert(atOfferer)
        if let secured = waiting.removeValue(forKey: atOfferer) {
            self.secured(atOfferer: atOfferer, isClient: secured.isClient, local: secured.local, remote: secured.remote)
        }
    }

    /// The side's DTLS handshake completed (`isClient`: it is the DTLS client): once the
    /// application section is in force there, its association starts with an INIT, and
    /// its in-band channels open when due.
    func secured(atOfferer: Bool, isClient: Bool, local: Endpoint, remote: Endpoint) {
        let side = side(atOfferer)
        guard side.bridge == nil else { return }
        guard negotiated.contains(atOfferer) else { return waiting[atOfferer] = (isClient, local, remote) }
        let role = atOfferer ? "offerer" : "answerer"
        let endpoint = DataChannelEndpoint(role: isClient ? .client : .server, configuration: configuration, local: local,
                                           remote: remote, rng: simulation.randomStream(for: "sctp:\(sessionName):\(role)"))
        let bridge = SimCoreBridge(simulation: simulation, core: endpoint,
                                   onTransmit: { [unowned self] datagram in transmit(atOfferer, datagram.payload) },
                                   onEvent: { [unowned self, unowned side] event in
            // Channel work waits for the bridge's drain to finish.
            simulation.schedule(after: .zero) { [unowned self] _ in handle(event, at: side) }
        })
        side.bridge = bridge
        bridge.withCore { core, now in core.connect(now: now) }
        for flow in flows where flow.fromOfferer == atOfferer && flow.spec.negotiatedID == nil {
            simulation.schedule(at: max(simulation.now, .zero + flow.spec.start)) { [unowned self] _ in open(flow, at: side) }
        }
    }

    /// An SCTP packet the side's DTLS endpoint decrypted; a file transfer may refill
    /// its buffer after the SACK it may carry.
    func received(_ bytes: [UInt8], atOfferer: Bool) {
        let side = side(atOfferer)
        guard let bridge = side.bridge else { return }
        bridge.deliver(Datagram(source: bridge.core.association.remote, destination: bridge.core.association.local,
                                transport: .dtls, payload: bytes))
        for flow in flows where flow.fromOfferer == atOfferer { flow.senderMayWrite() }
    }

    private func open(_ flow: DataChannelFlow, at side: Side) {
        guard let bridge = side.bridge else { return }
        let parameters = DataChannelParameters(label: flow.spec.label, reliability: flow.spec.reliability.dataChannel,
                                               ordered: flow.spec.ordered, priority: flow.spec.priority.value)
        let id = bridge.withCore { core, now -> UInt16? in
            try? core.openChannel(parameters, negotiatedID: flow.spec.negotiatedID, now: now)
        }
        guard let id else {
            return log.add(session: sessionName, source: side.isOfferer ? "offerer" : "answerer", kind: "data",
                           "cannot open channel '\(flow.spec.label)'")
        }
        side.channels[id] = flow
    }

    private func send(_ bytes: [UInt8], on flow: DataChannelFlow, fromOfferer: Bool) -> Bool {
        let side = side(fromOfferer)
        guard let bridge = side.bridge, let id = side.channels.first(where: { $0.value === flow })?.key else { return false }
        return bridge.withCore { core, now in (try? core.send(bytes, isString: false, on: id, now: now)) != nil }
    }

    private func handle(_ event: DataChannelEvent, at side: Side) {
        let source = side.isOfferer ? "offerer" : "answerer"
        switch event {
        case .associationEstablished:
            log.add(session: sessionName, source: source, kind: "data", "SCTP association established")
            for flow in flows where flow.spec.negotiatedID != nil {
                let due = flow.fromOfferer == side.isOfferer ? max(simulation.now, .zero + flow.spec.start) : simulation.now
                simulation.schedule(at: due) { [unowned self] _ in open(flow, at: side) }
            }
        case .associationFailed(let failure):
            log.add(session: sessionName, source: source, kind: "data", "SCTP association failed: \(failure)")
        case .associationClosed:
            log.add(session: sessionName, source: source, kind: "data", "SCTP association closed")
        case .channelOpened(let info):
            if let flow = side.channels[info.id] {
                if flow.fromOfferer == side.isOfferer { flow.opened() }
            } else if let flow = flows.first(where: { $0.spec.label == info.parameters.label && $0.fromOfferer != side.isOfferer }) {
                side.channels[info.id] = flow
            }
            log.add(session: sessionName, source: source, kind: "data", "channel '\(info.parameters.label)' open (stream \(info.id))")
        case .message(let id, let bytes, _):
            guard let flow = side.channels[id] else { return }
            if flow.fromOfferer == side.isOfferer { flow.receivedAtSender(bytes) } else { flow.receivedAtReceiver(bytes) }
        case .channelClosed(let id):
            log.add(session: sessionName, source: source, kind: "data", "channel on stream \(id) closed")
        }
    }

    // MARK: Result

    var results: [DataChannelResult] { flows.map(\.result) }
    var series: [SeriesSample] { flows.flatMap(\.samples) }
}

extension DataChannelSpec.Reliability {
    /// The channel type DCEP announces (RFC 8832 §5.1).
    var dataChannel: DataChannelReliability {
        switch self {
        case .reliable: .reliable
        case .maxRetransmits(let n): .maxRetransmits(UInt32(n))
        case .maxPacketLifetime(let d): .lifetime(milliseconds: UInt32(d.milliseconds))
        }
    }
}
