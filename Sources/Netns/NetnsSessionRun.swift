import Foundation
import NetTypes
import Records
import SDP
import Scenario
import Signaling

/// One session of a scenario on real Linux networking: an `icelab ice-peer` in the
/// offerer's namespace (controlling, it sends one message once connected) and one in the
/// answerer's (controlled, it echoes), signalled by this runner in JSEP's order: the
/// offerer's whole description reaches the answerer after the session's signaling delay,
/// the answerer then starts, gathers and answers, and its description reaches the offerer
/// after another delay (no trickle); then it reads their results. The same ICE (and DTLS-SRTP) cores as in the simulator, over the kernel's
/// UDP, routing, nftables NAT and conntrack instead of the simulated ones.
struct NetnsSessionRun {
    let spec: SessionSpec
    let lab: NetnsLab
    /// The icelab executable the peers run.
    let icelab: String
    /// How long each phase (gathering, connecting, DTLS) may take.
    let phaseTimeout: Swift.Duration
    let offererAddress: IPAddress
    let answererAddress: IPAddress
    /// The `ice-peer` options naming each side's STUN and TURN servers.
    let serverArguments: (offerer: [String], answerer: [String])

    /// A line an ice-peer printed, decoded.
    private struct ResultLine: Decodable {
        struct Pair: Decodable { var local: String; var remote: String }
        var state: String
        var selected: Pair?
        var elapsed_ms: Int
    }

    private struct DTLSLine: Decodable {
        var dtls: String
        var profile: String?
        var handshake_ms: Int?
    }

    private struct Side {
        let name: String
        let program: LabProgram
        var description: ICEPeerWire?
        var result: ResultLine?
        var resultAt: ContinuousClock.Instant?
        var dtls: DTLSLine?
        var dtlsAt: ContinuousClock.Instant?
    }

    /// The candidates of a description line.
    private struct ICEPeerWire: Decodable {
        var candidates: [String]
    }

    /// Runs the session to its end and returns its result and events.
    func run() throws(NetnsError) -> (SessionResult, [TimelineRecord]) {
        var events: [TimelineRecord] = []
        let dtls = spec.dtls != nil
        func arguments(role: String, address: IPAddress, servers: [String], sends: Bool) -> [String] {
            var list = [icelab, "ice-peer", "--role", role, "--local", "\(address)", "--timeout",
                        String(Double(phaseTimeout.components.seconds))]
            list += servers
            if spec.tcpCandidates { list += ["--candidates", "udp", "tcp"] }
            if dtls { list.append("--dtls") }
            if sends { list += ["--send", "netns-check \(spec.name)"] }
            return list
        }
        var offerer = Side(name: "offerer", program: try lab.launch(arguments(role: "controlling", address: offererAddress,
                                                                             servers: serverArguments.offerer, sends: true), in: spec.offerer))
        defer { offerer.program.stop() }
        let start = offerer.program.started
        func since(_ instant: ContinuousClock.Instant) -> NetTypes.Duration { NetTypes.Duration(instant - start) }
        let lineTimeout = phaseTimeout + .seconds(5)
        /// The side's description line (decoded into `side`), nil when none came.
        func describe(_ side: inout Side) -> String? {
            guard let line = side.program.nextLine(timeout: lineTimeout) else {
                events.append(record(since(.now), side.name, "error", "no description: \(side.program.diagnostics.suffix(300))"))
                return nil
            }
            side.description = try? JSONLine.decode(ICEPeerWire.self, from: line.text)
            events.append(record(since(line.at), side.name, "gathered", "description with \(side.description?.candidates.count ?? 0) candidates"))
            return line.text
        }
        /// The side's ICE result line.
        func readResult(_ side: inout Side) {
            guard let line = side.program.nextLine(timeout: lineTimeout) else { return }
            side.result = try? JSONLine.decode(ResultLine.self, from: line.text)
            side.resultAt = line.at
            events.append(record(since(line.at), side.name, "ice-state", side.result?.state ?? line.text))
        }
        /// The side's DTLS line, when its ICE connected.
        func readDTLS(_ side: inout Side) {
            guard side.result?.state == "connected" || side.result?.state == "completed",
                  let line = side.program.nextLine(timeout: lineTimeout) else { return }
            side.dtls = try? JSONLine.decode(DTLSLine.self, from: line.text)
            side.dtlsAt = line.at
            events.append(record(since(line.at), side.name, "dtls", side.dtls?.dtls ?? line.text))
        }
        // JSEP's order, as the simulator signals: the offerer gathers and offers; the offer
        // reaches the answerer one signaling delay later, which only then gathers (its
        // agent starts here, the offer already waiting on its input) and answers; the
        // answer reaches the offerer one delay after that.
        let delay = Double(spec.signaling.delay.nanoseconds) / 1e9
        guard let offer = describe(&offerer) else { return (failedResult(), events) }
        Thread.sleep(forTimeInterval: delay)
        var answerer = Side(name: "answerer", program: try lab.launch(arguments(role: "controlled", address: answererAddress,
                                                                               servers: serverArguments.answerer, sends: false), in: spec.answerer))
        defer { answerer.program.stop() }
        answerer.program.send(offer)
        guard let answer = describe(&answerer) else { return (failedResult(), events) }
        Thread.sleep(forTimeInterval: delay)
        offerer.program.send(answer)
        let exchanged = ContinuousClock.now
        readResult(&offerer)
        readResult(&answerer)
        if dtls {
            readDTLS(&offerer)
            readDTLS(&answerer)
        }
        // The offerer stops once its message came back; the answerer echoes until its input closes.
        _ = offerer.program.waitForExit(timeout: lineTimeout)
        answerer.program.closeInput()
        _ = answerer.program.waitForExit(timeout: .seconds(5))
        return (result(offerer, answerer, exchanged: since(exchanged), since: since), events)
    }

    private func record(_ time: NetTypes.Duration, _ source: String, _ kind: String, _ detail: String) -> TimelineRecord {
        TimelineRecord(time: time, session: spec.name, source: source, kind: kind, detail: detail)
    }

    private func failedResult() -> SessionResult {
        SessionResult(name: spec.name, offerer: spec.offerer, answerer: spec.answerer, connected: false, finalState: "failed")
    }

    private func result(_ offerer: Side, _ answerer: Side, exchanged: NetTypes.Duration,
                        since: (ContinuousClock.Instant) -> NetTypes.Duration) -> SessionResult {
        let connected = [offerer, answerer].allSatisfy { $0.result?.state == "connected" || $0.result?.state == "completed" }
            && offerer.result?.selected != nil && answerer.result?.selected != nil
        // The offerer's end of the pair as the answerer sees it (srflx, prflx, relay) and
        // the answerer's as the offerer sees it: what the simulator reports, the address a
        // check found (RFC 8445 §7.2.5.3.2), where the peers print their local base.
        let local = (answerer.result?.selected?.remote).flatMap { try? ICECandidate(parsing: $0) }
        let remote = (offerer.result?.selected?.remote).flatMap { try? ICECandidate(parsing: $0) }
        // Both connected: the later of the two result lines, from the launch of the peers.
        let connectedTime = connected ? [offerer.resultAt, answerer.resultAt].compactMap { $0 }.max().map(since) : nil
        let relay = local?.type == .relay || remote?.type == .relay
        var session = SessionResult(
            name: spec.name, offerer: spec.offerer, answerer: spec.answerer, connected: connected,
            connectedTime: connectedTime, nominatedTime: connectedTime,
            selectedLocalType: local?.type.rawValue, selectedRemoteType: remote?.type.rawValue,
            selectedProtocol: local?.transport.rawValue, finalState: offerer.result?.state ?? "failed",
            relayUsed: relay, relayProtocol: relay ? "udp" : nil,
            signalingTime: exchanged)
        session.candidates = [(offerer, "offerer"), (answerer, "answerer")].flatMap { side, agent in
            (side.description?.candidates ?? []).compactMap { text in
                (try? ICECandidate(parsing: text)).map {
                    CandidateRecord(agent: agent, type: $0.type.rawValue, transport: $0.transport.rawValue,
                                    address: Endpoint($0.address.ipAddress ?? .v4(.any), $0.port), priority: $0.priority, time: .zero)
                }
            }
        }
        if spec.dtls != nil, connected {
            let both = offerer.dtls?.dtls == "connected" && answerer.dtls?.dtls == "connected"
            session.dtlsState = both ? "connected" : (offerer.dtls?.dtls ?? answerer.dtls?.dtls ?? "connecting")
            session.dtlsTime = both ? [offerer.dtlsAt, answerer.dtlsAt].compactMap { $0 }.max().map(since) : nil
            session.srtpProfile = offerer.dtls?.profile
            if !both { session.dtlsFailure = session.dtlsState == "failed" ? "error" : "timeout" }
        }
        return session
    }
}
