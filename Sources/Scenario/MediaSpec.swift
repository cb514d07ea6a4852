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
    /// The congestion controller of the flow's sender (`MediaFlow` builds it).
    public enum Controller: String, CaseIterable, Sendable {
        /// Google Congestion Control (draft-ietf-rmcat-gcc-02).
        case gcc
    }

    public var kind: Kind
    public var direction: Direction
    public var controller: Controller
    /// Media starts at this time or when ICE connects, whichever is later.
    public var start: Duration
    /// Media ends (RTCP BYE) at this time; nil: at the end of the run.
    public var stop: Duration?
    public var minRate: Bitrate
    public var maxRate: Bitrate
    public var startRate: Bitrate
    public var keyFrames: KeyFrames
    /// The link (`from-to`) whose capacity in the flow's direction is recorded as `capacity_bps`.
    public var bottleneck: String?
    public var location: SourceLocation
    public var bottleneckLocation: SourceLocation?

    public static let keys = ["kind", "direction", "controller", "start", "stop", "min-rate", "max-rate", "start-rate",
                              "key-frames", "bottleneck"]

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: MediaSpec.keys)
        kind = try f.required("kind").choice(of: Kind.self)
        direction = try f.optional("direction")?.choice(of: Direction.self) ?? .offererToAnswerer
        controller = try f.optional("controller")?.choice(of: Controller.self) ?? .gcc
        start = try f.optional("start")?.duration() ?? .zero
        stop = try f.optional("stop")?.duration()
        minRate = try f.optional("min-rate")?.bitrate() ?? .kbps(150)
        maxRate = try f.optional("max-rate")?.bitrate() ?? .mbps(2.5)
        startRate = try f.optional("start-rate")?.bitrate() ?? .kbps(300)
        keyFrames = try f.optional("key-frames")?.choice(of: KeyFrames.self) ?? .periodic
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

    /// The flows this entry makes: offerer → answerer, answerer → offerer, or both (in that order).
    var flowDirections: [Bool] {
        switch direction {
        case .offererToAnswerer: return [true]
        case .answererToOfferer: return [false]
        case .both: return [true, false]
        }
    }
}
