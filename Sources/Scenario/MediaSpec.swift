import Congestion
import Media
import NetTypes

/// A media flow of a session (`media:` entries): a synthetic video or audio stream sent
/// over the ICE-selected path once the session is connected, under a congestion controller.
public struct MediaSpec: Sendable {
    public enum Kind: String, CaseIterable, Sendable { case video, audio }
    public enum Direction: String, CaseIterable, Sendable {
        case offererToAnswerer = "offerer-to-answerer"
        case answererToOfferer = "answerer-to-offerer"
        case both
    }
    public enum KeyFrames: String, CaseIterable, Sendable { case periodic, onRequest = "on-request" }
    /// The IP ECN field of the flow's RTP packets (`ecn:`): off (Not-ECT, the default, so
    /// that figures stay comparable with earlier runs), ECT(0) (RFC 3168, RFC 6679) or
    /// ECT(1) (L4S, RFC 9331).
    public enum ECN: String, CaseIterable, Sendable {
        case off, ect0, ect1

        var codepoint: ECNCodepoint {
            switch self {
            case .off: return .notECT
            case .ect0: return .ect0
            case .ect1: return .ect1
            }
        }
    }
    public var kind: Kind
    public var direction: Direction
    /// The congestion controller of the flow's sender: a name in `ControllerRegistry`
    /// (`controller:`, default gcc) with its checked `controller-parameters`.
    public var controller: ControllerRecipe
    /// Media starts at this time or when ICE connects, whichever is later.
    public var start: Duration
    /// The entry's section is not in the first offer: at `start` its sender adds the
    /// track with a new offer (RFC 8829 §4.1.8, `negotiationneeded`), and its flows start
    /// once that exchange completes at their sender.
    public var renegotiate: Bool
    /// Media ends (RTCP BYE) at this time; nil: at the end of the run.
    public var stop: Duration?
    public var minRate: Bitrate
    public var maxRate: Bitrate
    public var startRate: Bitrate
    public var keyFrames: KeyFrames
    /// An audio flow's constant encoder rate (`bitrate:`, audio only; default 32 kbps, a
    /// typical Opus voice rate; RFC 8867 §4.3's test cases use 20 kbps CBR).
    public var audioRate: Bitrate
    /// The congestion feedback the flow's receiver returns (`feedback:`, default transport-cc).
    public var feedback: CongestionFeedbackKind
    public var ecn: ECN
    /// Count IP, UDP, SRTP and TURN bytes in the rates the controller sees
    /// (`transport-overhead:`, default false: RTP bytes only, as the shipped baselines).
    public var transportOverhead: Bool
    /// Loss recovery and frame-level playout of a video flow (`recovery:` and
    /// `jitter-buffer:`; nil when neither is given: the flow sends and receives as before).
    public var recovery: RecoveryConfiguration?
    /// The link (`from-to`) whose capacity in the flow's direction is recorded as `capacity_bps`.
    public var bottleneck: String?
    public var location: SourceLocation
    public var bottleneckLocation: SourceLocation?

    public static let keys = ["kind", "direction", "controller", "controller-parameters", "start", "stop", "min-rate", "max-rate",
                              "start-rate", "key-frames", "bottleneck", "renegotiate", "feedback", "ecn", "transport-overhead",
                              "bitrate", "recovery", "jitter-buffer"]

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: MediaSpec.keys)
        kind = try f.required("kind").choice(of: Kind.self)
        direction = try f.optional("direction")?.choice(of: Direction.self) ?? .offererToAnswerer
        controller = try MediaSpec.controller(named: f.optional("controller"), parameters: f.optional("controller-parameters"), at: node)
        start = try f.optional("start")?.duration() ?? .zero
        stop = try f.optional("stop")?.duration()
        renegotiate = try f.optional("renegotiate")?.bool() ?? false
        minRate = try f.optional("min-rate")?.bitrate() ?? .kbps(150)
        maxRate = try f.optional("max-rate")?.bitrate() ?? .mbps(2.5)
        startRate = try f.optional("start-rate")?.bitrate() ?? .kbps(300)
        keyFrames = try f.optional("key-frames")?.choice(of: KeyFrames.self) ?? .periodic
        audioRate = try f.optional("bitrate")?.bitrate() ?? AudioSource().rate
        if let b = f.optional("bitrate") {
            guard kind == .audio else {
                throw b.error("bitrate is an audio flow's constant rate; a video flow's rate follows its controller "
                              + "within min-rate...max-rate")
            }
            guard audioRate.bitsPerSecond >= 6_000, audioRate.bitsPerSecond <= 510_000 else {
                throw b.error("audio bitrate \(audioRate) is outside 6 kbps...510 kbps (Opus's range, RFC 6716 §2.1.1)")
            }
        }
        feedback = try f.optional("feedback")?.choice(of: CongestionFeedbackKind.self) ?? .transportCC
        ecn = try f.optional("ecn")?.choice(of: ECN.self) ?? .off
        transportOverhead = try f.optional("transport-overhead")?.bool() ?? false
        recovery = try MediaSpec.recovery(f.optional("recovery"), jitterBuffer: f.optional("jitter-buffer"), kind: kind)
        if controller.needsPerPacketFeedback, !feedback.isPerPacket {
            throw (f.optional("feedback") ?? node).error("controller \(controller.name) needs per-packet feedback "
                                                          + "(transport-cc or ccfb), not '\(feedback.rawValue)'")
        }
        if let b = f.optional("bottleneck") {
            bottleneck = try b.string()
            bottleneckLocation = b.location
        }
        if let stop, stop <= start { throw try f.required("stop").error("stop (\(stop)) must be after start (\(start))") }
        if minRate > maxRate { throw try f.required("min-rate").error("min-rate \(minRate) is above max-rate \(maxRate)") }
        if startRate < minRate || startRate > maxRate {
            throw (f.optional("start-rate") ?? node).error("start-rate \(startRate) is outside min-rate...max-rate (\(minRate)...\(maxRate))")
        }
    }

    /// `recovery: { nack, rtx, pli, nack-delay, fec, fec-rate, fec-mask, fec-columns, fec-rows,
    /// repair-window }` (nack, rtx, pli default false; rtx and nack-delay need nack; the
    /// fec-* keys and repair-window need `fec: flexfec`) and `jitter-buffer: { min-delay,
    /// max-delay }` (default 0 ms and 2 s) of a video flow.
    static func recovery(_ node: YAMLNode?, jitterBuffer: YAMLNode?, kind: Kind) throws(ScenarioError) -> RecoveryConfiguration? {
        guard node != nil || jitterBuffer != nil else { return nil }
        if kind != .video, let given = node ?? jitterBuffer {
            throw given.error("loss recovery and the jitter buffer are for video flows (kind: video), not \(kind.rawValue)")
        }
        var recovery = RecoveryConfiguration()
        if let node {
            let g = try node.fields(allowed: ["nack", "rtx", "pli", "nack-delay"] + FECSpec.keys)
            recovery.nack = try g.optional("nack")?.bool() ?? false
            recovery.rtx = try g.optional("rtx")?.bool() ?? false
            recovery.keyFrameRequests = try g.optional("pli")?.bool() ?? false
            if recovery.rtx, !recovery.nack { throw try g.required("rtx").error("rtx: true needs nack: true (RTX carries NACKed packets)") }
            if let delay = g.optional("nack-delay") {
                guard recovery.nack else { throw delay.error("nack-delay needs nack: true") }
                recovery.nackDelay = try delay.duration()
                guard recovery.nackDelay < recovery.maxNackAge else {
                    throw delay.error("nack-delay \(recovery.nackDelay) is not below the NACK age limit \(recovery.maxNackAge)")
                }
            }
            recovery.fec = try FECSpec.configuration(g)
        }
        if let jitterBuffer {
            let g = try jitterBuffer.fields(allowed: ["min-delay", "max-delay"])
            let minimum = try g.optional("min-delay")?.duration() ?? recovery.jitterBuffer.minDelay
            let maximum = try g.optional("max-delay")?.duration() ?? recovery.jitterBuffer.maxDelay
            guard minimum <= maximum else {
                throw (g.optional("min-delay") ?? jitterBuffer).error("min-delay \(minimum) is above max-delay \(maximum)")
            }
            guard maximum <= .seconds(10) else {
                throw try g.required("max-delay").error("max-delay \(maximum) is above 10s (libwebrtc's largest playout delay)")
            }
            recovery.jitterBuffer = JitterBufferConfiguration(minDelay: minimum, maxDelay: maximum)
        }
        return recovery
    }

    /// The rates the flow's controller starts with and keeps within.
    var controllerRates: ControllerRates { ControllerRates(start: startRate, min: minRate, max: maxRate) }

    /// The registered controller `name` names (gcc when absent) with `parameters` checked by
    /// the controller's own parser; errors point at the name or the refused key.
    static func controller(named name: YAMLNode?, parameters: YAMLNode?, at node: YAMLNode) throws(ScenarioError) -> ControllerRecipe {
        let chosen = try name?.string() ?? ControllerRegistry.defaultName
        guard let factory = ControllerRegistry.factory(named: chosen) else {
            let names = ControllerRegistry.names
            throw (name ?? node).error("unknown controller '\(chosen)'\(Suggestions.hint(for: chosen, in: names)); "
                                       + "known controllers: \(names.joined(separator: ", "))")
        }
        var entries: [ControllerParameters.Entry] = []
        var keyNodes: [String: YAMLNode] = [:]
        for (key, keyNode, value) in try parameters?.mapping() ?? [] {
            entries.append(ControllerParameters.Entry(key: key, value: try value.string()))
            keyNodes[key] = value
            if !factory.parameterKeys.contains(key) { keyNodes[key] = keyNode }
        }
        do {
            return try factory.recipe(ControllerParameters(entries))
        } catch {
            throw (error.key.flatMap { keyNodes[$0] } ?? parameters ?? node).error(error.message)
        }
    }

    /// The flows this entry makes: offerer → answerer, answerer → offerer, or both (in that order).
    var flowDirections: [Bool] {
        switch direction {
        case .offererToAnswerer: return [true]
        case .answererToOfferer: return [false]
        case .both: return [true, false]
        }
    }
}
