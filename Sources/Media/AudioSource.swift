import NetTypes

/// A constant-rate audio encoder (Opus-like): one frame every `frameDuration` of
/// `rate × frameDuration` bytes.
public struct AudioSource: Sendable, Equatable {
    /// Opus's common 20 ms frame.
    public var frameDuration = Duration.milliseconds(20)
    /// A typical Opus voice rate.
    public var rate = Bitrate.kbps(32)

    public init(frameDuration: Duration = .milliseconds(20), rate: Bitrate = .kbps(32)) {
        self.frameDuration = frameDuration
        self.rate = rate
    }

    /// Bytes per frame.
    public var frameBytes: Int { Int(Double(rate.bitsPerSecond) * frameDuration.seconds / 8) }
}
