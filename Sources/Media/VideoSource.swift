import NetTypes

/// A synthetic video encoder after the statistics-driven model of RFC 8593 ("Video
/// Traffic Models for RTP Congestion Control Evaluations", §4): frames at a fixed rate
/// whose sizes follow the encoder's rate with zero-mean fluctuation, periodic key frames
/// several times larger, and an encoder that adopts a new target rate only after a
/// rate-adaptation delay, within its minimum and maximum rate.
public struct VideoSource: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// RFC 8593 §4.2 frame rate; 30 fps as in its examples.
        public var frameRate = 30
        /// Interval between key frames (3 s, a common encoder setting); nil: only the first
        /// frame is a key frame, as WebRTC senders that send key frames on request only.
        public var keyFrameInterval: Duration? = .seconds(3)
        /// Key frame size over an average frame (about 5× for typical video encoders).
        public var keyFrameRatio = 5.0
        /// RFC 8593 §4.3 τ_v: how long the encoder takes to follow a new target.
        public var rateAdaptationDelay = Duration.milliseconds(500)
        /// RFC 8593 §4.2 frame size fluctuation: sizes vary uniformly within ±this share.
        public var fluctuation = 0.1
        public var minRate = Bitrate.kbps(50)
        public var maxRate = Bitrate.mbps(5)
        public init() {}
    }

    public private(set) var configuration: Configuration
    /// The rate the encoder produces now.
    public private(set) var encoderRate: Bitrate
    private var pendingTargets: [(due: Instant, rate: Bitrate)] = []
    private var framesSinceKey = 0
    private var random: Xoshiro256

    public init(configuration: Configuration = Configuration(), startRate: Bitrate, random: Xoshiro256) {
        self.configuration = configuration
        encoderRate = Self.clamp(startRate, configuration)
        self.random = random
    }

    /// Time between frames.
    public var frameInterval: Duration { .nanoseconds(1_000_000_000 / Int64(configuration.frameRate)) }

    /// Frames per key-frame period (nil: no periodic key frames).
    private var framesPerKey: Int? {
        configuration.keyFrameInterval.map { max(Int($0.nanoseconds / frameInterval.nanoseconds), 1) }
    }

    /// New encoder bounds (a mid-call rate constraint): later targets are clamped to them.
    public mutating func setBounds(min: Bitrate, max: Bitrate) {
        configuration.minRate = min
        configuration.maxRate = max
    }

    /// Asks the encoder for `rate`; it takes effect `rateAdaptationDelay` after `now`.
    public mutating func setTarget(_ rate: Bitrate, now: Instant) {
        let clamped = Self.clamp(rate, configuration)
        if pendingTargets.last?.rate ?? encoderRate == clamped { return }
        pendingTargets.append((now + configuration.rateAdaptationDelay, clamped))
    }

    /// Makes the next frame a key frame (a PLI or FIR arrived, RFC 4585 §6.3.1, RFC 5104
    /// §4.3.1); periodic key frames count from it.
    public mutating func requestKeyFrame() { framesSinceKey = 0 }

    /// Encodes the frame captured at `now`: its size in bytes and whether it is a key frame.
    public mutating func nextFrame(now: Instant) -> (bytes: Int, isKeyFrame: Bool) {
        var adopted = 0
        while adopted < pendingTargets.count, pendingTargets[adopted].due <= now { adopted += 1 }
        if adopted > 0 {
            encoderRate = pendingTargets[adopted - 1].rate
            pendingTargets.removeFirst(adopted)
        }
        let isKey = framesSinceKey == 0
        framesSinceKey += 1
        if let period = framesPerKey { framesSinceKey %= period }
        // Delta frames shrink so that a key-frame period averages the encoder rate.
        let n = Double(framesPerKey ?? 0)
        let deltaScale = n > 1 ? (n - configuration.keyFrameRatio) / (n - 1) : 1
        let average = Double(encoderRate.bitsPerSecond) / 8 / Double(configuration.frameRate)
        let noise = 1 + configuration.fluctuation * (2 * random.nextUnit() - 1)
        let size = average * (isKey ? configuration.keyFrameRatio : max(deltaScale, 0.1)) * noise
        return (max(Int(size.rounded()), 1), isKey)
    }

    private static func clamp(_ rate: Bitrate, _ c: Configuration) -> Bitrate { min(max(rate, c.minRate), c.maxRate) }
}
