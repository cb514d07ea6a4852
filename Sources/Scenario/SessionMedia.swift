import ICE
import NetTypes
import RTP
import Records
import Simulator

/// The media flows of one session: starts each once both agents have a selected pair
/// (and its start time has come), carries their datagrams over the agents' `send`, and
/// demultiplexes received `.data` by SSRC — of the RTP packet, or of the RTCP packet's
/// sender (a sender's SR/BYE goes to the receiver, a receiver's RR and feedback to the
/// sender) — since all flows share the selected pair's 5-tuple. With the session's
/// `SessionSecurity`, a flow starts once its sender's side has SRTP keys, every packet
/// leaves protected and arrives here unprotected.
final class SessionMedia {
    let flows: [MediaFlow]
    private let simulation: Simulation
    private let sessionName: String
    /// Per side (offerer: true), SSRC → (flow, whether it arrives at the flow's sender).
    private var routes: [Bool: [UInt32: (flow: MediaFlow, atSender: Bool)]] = [:]
    /// The `media:` entry of each flow.
    private let entries: [Int]
    /// Flows whose section a renegotiation adds: they wait until it is in force at their sender.
    private var unnegotiated: Set<Int>

    init(_ spec: SessionSpec, simulation: Simulation, capacity: (MediaSpec, Bool) -> LinkDirection?) {
        self.simulation = simulation
        sessionName = spec.name
        flows = spec.flows.enumerated().map { index, flow in
            MediaFlow(spec: flow.media, index: index, fromOfferer: flow.fromOfferer, session: spec.name, simulation: simulation,
                      capacity: capacity(flow.media, flow.fromOfferer))
        }
        let entries = spec.media.indices.flatMap { index in spec.media[index].flowDirections.map { _ in index } }
        self.entries = entries
        unnegotiated = Set(entries.indices.filter { spec.media[entries[$0]].renegotiate })
        for flow in flows {
            routes[!flow.fromOfferer, default: [:]][flow.mediaSSRC] = (flow, false)
            routes[flow.fromOfferer, default: [:]][flow.receiverSSRC] = (flow, true)
            if flow.spec.recovery?.rtx == true { routes[!flow.fromOfferer, default: [:]][flow.rtxSSRC] = (flow, false) }
            if flow.spec.recovery?.fec != nil { routes[!flow.fromOfferer, default: [:]][flow.fecSSRC] = (flow, false) }
        }
        for flow in flows {
            simulation.schedule(at: .zero + flow.spec.start) { [unowned self] _ in startReady() }
            if let stop = flow.spec.stop { simulation.schedule(at: .zero + stop) { _ in flow.stop() } }
        }
    }

    /// The agents of the session, offerer first; set by the session runner.
    var agents: (offerer: SimCoreDriver<ICEAgent>, answerer: SimCoreDriver<ICEAgent>)?
    /// DTLS-SRTP of the session; nil: media in clear (`dtls: false`).
    var security: SessionSecurity?
    /// When the first media frame arrived whole at a receiver: the RTP packet that ends
    /// it (marker bit, RFC 3550 §5.1; every audio packet) authenticated and delivered.
    private(set) var firstFrameAt: Instant?

    /// The section of `media:` entry `entry` is in force at the offerer's (`atOfferer`) or
    /// answerer's side: that side's flows of the entry may start.
    func negotiated(entry: Int, atOfferer: Bool) {
        unnegotiated = unnegotiated.filter { entries[$0] != entry || flows[$0].fromOfferer != atOfferer }
        startReady()
    }

    /// Starts every flow whose time has come, if both agents have a selected pair (and
    /// the flow's sender its SRTP keys, and its section is negotiated).
    func startReady() {
        guard let agents, let offererPair = agents.offerer.core.selectedPair(component: 1),
              let answererPair = agents.answerer.core.selectedPair(component: 1) else { return }
        let now = simulation.now - Instant.zero
        for flow in flows where !flow.isStarted && flow.spec.start <= now && (flow.spec.stop.map { now < $0 } ?? true)
            && security?.isSecured(flow.fromOfferer) != false && !unnegotiated.contains(flow.index) {
            let (local, remote) = (offererPair.local.address, offererPair.remote.address)
            let endpoints = flow.fromOfferer ? (local, remote) : (remote, local)
            let random = simulation.randomStream(for: "media:\(sessionName):\(flow.index)")
            let senderPair = flow.fromOfferer ? offererPair : answererPair
            let overhead = Self.transportOverhead(local: senderPair.local, tagLength: security?.profile?.rtpTagLength ?? 0)
            flow.start(local: endpoints.0, remote: endpoints.1, overhead: overhead, random: random) { [security] fromSender, bytes, ecn in
                let offererSends = fromSender == flow.fromOfferer
                let driver = offererSends ? agents.offerer : agents.answerer
                // In clear without DTLS; protected with it, and dropped before the keys exist.
                guard let payload = security.map({ $0.protect(bytes, fromOfferer: offererSends) }) ?? bytes else { return }
                driver.withCore { agent, now in _ = agent.send(payload, component: 1, ecn: ecn, now: now) }
            }
        }
    }

    /// The bytes below RTP of a packet sent from `local`, as libwebrtc counts its transport
    /// overhead: the IPv4 (20) or IPv6 (40) header, UDP (8), the SRTP tag, and the 4-byte
    /// ChannelData header when the sender's candidate is relayed (RFC 8656 §12.4).
    static func transportOverhead(local: Candidate, tagLength: Int) -> Int {
        let ip = local.address.address.family == .ipv4 ? 20 : 40
        return ip + 8 + tagLength + (local.type == .relayed ? 4 : 0)
    }

    /// New rate bounds for flow `index` (nil keeps a bound): applied now if it runs,
    /// when it starts otherwise. Returns the bounds in force.
    func constrain(flow index: Int, minRate: Bitrate?, maxRate: Bitrate?) -> (min: Bitrate, max: Bitrate)? {
        guard flows.indices.contains(index) else { return nil }
        return flows[index].constrain(minRate: minRate, maxRate: maxRate)
    }

    /// A datagram the offerer's (`atOfferer`) or answerer's agent received on the selected
    /// pair, with the IP ECN field it arrived with.
    func received(_ bytes: [UInt8], atOfferer: Bool, ecn: ECNCodepoint) {
        guard bytes.count >= 12 else { return }
        let offset = RTPPacket.isRTCP(bytes) ? 4 : 8
        let ssrc = bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard let route = routes[atOfferer]?[ssrc] else { return }
        if firstFrameAt == nil, !route.atSender, bytes[1] & 0x80 != 0, !RTPPacket.isRTCP(bytes) { firstFrameAt = simulation.now }
        route.flow.deliver(bytes, atSender: route.atSender, ecn: ecn)
    }

    /// Every flow's samples as results rows.
    var series: [SeriesSample] { flows.flatMap(\.series.rows) }
}
