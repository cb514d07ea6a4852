import Foundation
import NetTypes
import Records
import SimulatedTCP
import Simulator
import TCP

/// A `tcp-bulk` or `tcp-web` cross-traffic flow at run time: a listener on the receiving
/// host, connections opened by the sending host (each host gets one `TCPStack`, shared by
/// all flows), and a sampler that records the flow's `TCPSeries` every
/// `MediaFlow.sampleInterval` from its start until it stops.
///
/// A bulk flow is one connection that keeps its send buffer full (or sends `bytes` and
/// closes); a web flow is RFC 8867 §5.7's on/off sources, each alternating between a
/// burst of transfers of uniformly drawn sizes and an exponentially distributed idle period. At
/// `stop` unfinished connections are aborted.
final class TCPTrafficFlow {
    private let spec: CrossTrafficSpec
    private let tcp: TCPTrafficSpec
    private let simulation: Simulation
    private let sender: TCPStack
    private let listener: TCPListenSocket
    private let destination: Endpoint
    private let configuration: TCPConfiguration
    private var random: Xoshiro256
    private var transfers: [TCPTransfer] = []
    private(set) var samples: [SeriesSample] = []
    private var sampler: SimTimer?
    private var lastSample: Instant
    private var deliveredSinceSample: Int64 = 0
    private var retransmissionsAtSample = 0
    private var stopped = false
    /// A block of payload bytes (their value does not matter).
    private static let chunk = [UInt8](repeating: 0x5A, count: 64 * 1024)

    init(_ spec: CrossTrafficSpec, tcp: TCPTrafficSpec, sender: TCPStack, receiver: TCPStack, target: IPAddress) throws(SocketError) {
        self.spec = spec
        self.tcp = tcp
        self.simulation = sender.host.simulation
        self.sender = sender
        var configuration = sender.configuration
        configuration.congestionControl = tcp.congestionControl
        configuration.ecn = tcp.ecn
        self.configuration = configuration
        var accepting = receiver.configuration
        accepting.ecn = tcp.ecn
        listener = try receiver.listen(port: 0, configuration: accepting)
        destination = Endpoint(target, listener.local.port)
        random = simulation.randomStream(for: "tcp-traffic:" + spec.name)
        lastSample = .zero + spec.start
        listener.onConnection = { [unowned self] socket in accept(socket) }
        simulation.schedule(at: .zero + spec.start) { [unowned self] _ in begin() }
        if let stop = spec.stop { simulation.schedule(at: .zero + stop) { [unowned self] _ in finish() } }
    }

    // MARK: Sending

    private func begin() {
        if let web = tcp.web {
            for source in 0..<web.sources {
                if source < web.initiallyActive { startBurst(source: source) } else { idle(source: source) }
            }
        } else {
            open(TCPTransfer(index: 0, size: tcp.bytes, start: simulation.now), source: nil)
        }
        let sampler = SimTimer(simulation: simulation) { [unowned self] now in
            sample(at: now)
            pumpAll()
            if !stopped { self.sampler?.arm(at: now + MediaFlow.sampleInterval) }
        }
        self.sampler = sampler
        sampler.arm(at: simulation.now + MediaFlow.sampleInterval)
    }

    /// A web source's idle period: exponentially distributed with the flow's mean.
    private func idle(source: Int) {
        guard let web = tcp.web, !stopped else { return }
        let u = max(random.nextUnit(), 1e-12)
        simulation.schedule(after: Duration.fromSeconds(-web.meanIdle.seconds * Foundation.log(u))) { [unowned self] _ in
            startBurst(source: source)
        }
    }

    /// A web source's burst: `connections` transfers at once, each of a drawn size.
    private func startBurst(source: Int) {
        guard let web = tcp.web, !stopped else { return }
        let span = UInt64(web.fileSize.upperBound - web.fileSize.lowerBound) + 1
        burstRemaining[source] = web.connections
        for _ in 0..<web.connections {
            let size = web.fileSize.lowerBound + Int64(random.next() % span)
            open(TCPTransfer(index: transfers.count, size: size, start: simulation.now), source: source)
        }
    }

    private func open(_ transfer: TCPTransfer, source: Int?) {
        transfers.append(transfer)
        sources[transfer.index] = source
        do {
            transfer.socket = try sender.connect(to: destination, configuration: configuration) { [unowned self] event, _ in
                switch event {
                case .connected:
                    transfer.socket?.send(transfer.header)
                    pump(transfer)
                case .reset, .error:
                    if transfer.isActive { ended(transfer, source: source, failed: true) }
                case .closed, .dataReceived, .peerClosed:
                    break
                }
            }
        } catch {
            ended(transfer, source: source, failed: true)
        }
    }

    /// The source of each web transfer, by transfer number.
    private var sources: [Int: Int] = [:]
    /// Transfers of each web source's current burst that have not ended yet.
    private var burstRemaining: [Int: Int] = [:]

    /// Tops up the send buffer; closes once a sized transfer has queued everything.
    private func pump(_ transfer: TCPTransfer) {
        guard let socket = transfer.socket, transfer.isActive, socket.state == .established || socket.state == .closeWait else { return }
        while transfer.size.map({ transfer.queued < $0 }) ?? true {
            let wanted = transfer.size.map { min(Int64(Self.chunk.count), $0 - transfer.queued) } ?? Int64(Self.chunk.count)
            let accepted = socket.send(wanted == Self.chunk.count ? Self.chunk : Array(Self.chunk.prefix(Int(wanted))))
            transfer.queued += Int64(accepted)
            if accepted < wanted { return }
        }
        socket.close()
    }

    private func pumpAll() {
        for transfer in transfers where transfer.isActive { pump(transfer) }
    }

    private func ended(_ transfer: TCPTransfer, source: Int?, failed: Bool) {
        if failed { transfer.failed = true } else { transfer.completed = simulation.now }
        transfer.end = simulation.now
        guard let source else { return }
        let remaining = (burstRemaining[source] ?? 1) - 1
        burstRemaining[source] = remaining
        if remaining == 0 { idle(source: source) }
    }

    /// The flow stops: a last sample, unfinished connections aborted, no new transfers.
    private func finish() {
        guard !stopped else { return }
        if simulation.now > lastSample { sample(at: simulation.now) }
        stopped = true
        sampler?.disarm()
        for transfer in transfers where transfer.isActive {
            transfer.failed = true
            transfer.end = simulation.now
            transfer.socket?.abort()
        }
        listener.close()
    }

    // MARK: Receiving

    private func accept(_ socket: TCPSocket) {
        let reader = TCPTransferReader()
        socket.onEvent = { [unowned self] event, socket in
            switch event {
            case .dataReceived:
                read(socket, with: reader)
            case .peerClosed:
                reader.sawFIN = true
                read(socket, with: reader)
                socket.close()
            case .connected, .closed, .reset, .error:
                break
            }
        }
    }

    /// Reads what `socket` holds, counts its payload for the flow and the transfer, and
    /// completes the transfer once every byte and the FIN are in. (Reading drains the
    /// connection, which may report the FIN while this read is still under way: the
    /// check after counting sees it either way.)
    private func read(_ socket: TCPSocket, with reader: TCPTransferReader) {
        let payload = Int64(reader.consume(socket.receive()))
        deliveredSinceSample += payload
        guard let index = reader.transfer, transfers.indices.contains(index) else { return }
        let transfer = transfers[index]
        transfer.delivered += payload
        if reader.sawFIN, transfer.isActive, let size = transfer.size, transfer.delivered == size {
            ended(transfer, source: sources[index], failed: false)
        }
    }

    // MARK: Results

    private func sample(at now: Instant) {
        let time = now - Instant.zero
        let interval = (now - lastSample).seconds
        func append(_ name: String, _ value: Double) { samples.append(SeriesSample(session: spec.name, name: name, time: time, value: value)) }
        if interval > 0 { append(TCPSeries.goodput, Double(deliveredSinceSample) * 8 / interval) }
        let retransmissions = transfers.reduce(0) { $0 + $1.retransmissions }
        append(TCPSeries.retransmissions, Double(retransmissions - retransmissionsAtSample))
        if tcp.web != nil {
            append(TCPSeries.activeTransfers, Double(transfers.filter(\.isActive).count))
        } else if let connection = transfers.first?.socket?.connection {
            append(TCPSeries.congestionWindow, Double(connection.congestion.congestionWindow))
            if let srtt = connection.rtt.smoothedRTT { append(TCPSeries.smoothedRTT, srtt.milliseconds) }
        }
        deliveredSinceSample = 0
        retransmissionsAtSample = retransmissions
        lastSample = now
    }

    /// A row per connection.
    var results: [TCPFlowResult] {
        transfers.map { t in
            TCPFlowResult(flow: spec.name, kind: spec.kind.rawValue, sender: spec.from, receiver: spec.to,
                          congestionControl: tcp.congestionControl.rawValue, transfer: t.index, start: t.start - Instant.zero,
                          completed: t.completed.map { $0 - Instant.zero }, end: (t.end ?? simulation.now) - Instant.zero, size: t.size, bytesDelivered: t.delivered,
                          retransmissions: t.retransmissions)
        }
    }

    /// The flow's summary for the run's events.
    var summary: String {
        let delivered = transfers.reduce(Int64(0)) { $0 + $1.delivered }
        let complete = transfers.filter { $0.completed != nil }.count
        return "\(spec.from)->\(spec.to) \(spec.kind.rawValue) delivered \(delivered) bytes in \(transfers.count) connections "
            + "(\(complete) complete), retransmissions \(transfers.reduce(0) { $0 + $1.retransmissions })"
    }

    /// Ends sampling at the end of the run (a flow without `stop`).
    func endOfRun() { finish() }
}
