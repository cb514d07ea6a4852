import NetTypes

/// Orders complete frames for decoding and decides when each is played out. A frame is
/// decodable when it is a key frame or continues the last decoded one: its first packet
/// follows the last decoded frame's last packet, padding packets in between (libwebrtc's
/// sequence-number-only reference finder). Frames play at their RTP timestamp mapped to
/// local time by the smallest transit seen, plus a target delay of `jitterMultiplier` ×
/// the interarrival jitter of frame completions (RFC 3550 §6.4.1's estimator), within
/// `minDelay...maxDelay` (frames delayed by a retransmission do not count, as in
/// libwebrtc's frame buffer), plus `retransmissionDelay` once retransmissions are in use (as
/// libwebrtc's jitter estimator adds the RTT after a few NACKs); a decodable frame that
/// completes later plays when it completes.
/// When the decoder has given up on a missing frame it waits for a key frame and drops
/// the frames before it.
struct JitterBuffer: Sendable {
    let configuration: JitterBufferConfiguration
    /// No frame can be decoded until a key frame comes (at the start, and after a loss
    /// that could not be repaired).
    private(set) var waitingForKeyFrame = true
    /// Complete frames dropped undecoded.
    private(set) var framesDropped = 0
    /// Complete frames not yet played, by first sequence number.
    private var frames: [AssembledFrame] = []
    /// The last packet of the last decoded frame, advanced over padding after it.
    private(set) var continuity: Int64?
    private var padding: Set<Int64> = []
    private var minTransit: Duration?
    private var lastTransit: Duration?
    /// RFC 3550 §6.4.1 interarrival jitter of frame completions, seconds.
    private var jitter = 0.0
    /// Time a retransmission takes to repair a frame (one RTT with NACK), within the bounds.
    var retransmissionDelay = Duration.zero

    init(configuration: JitterBufferConfiguration) { self.configuration = configuration }

    /// The playout delay over the smallest transit.
    var targetDelay: Duration {
        let delay = Duration.fromSeconds(jitter * configuration.jitterMultiplier) + retransmissionDelay
        return min(max(delay, configuration.minDelay), configuration.maxDelay)
    }

    /// Whether frames wait in the buffer.
    var isEmpty: Bool { frames.isEmpty }

    /// A frame completed.
    mutating func insert(_ frame: AssembledFrame) {
        let transit = frame.completed - (Instant.zero + Self.mediaTime(frame.timestamp))
        minTransit = min(minTransit ?? transit, transit)
        if !frame.delayedByRetransmission {
            if let lastTransit { jitter += (abs((transit - lastTransit).seconds) - jitter) / 16 }
            lastTransit = transit
        }
        if let continuity, frame.firstSequence <= continuity {
            framesDropped += 1
            return
        }
        let index = frames.firstIndex { $0.firstSequence > frame.firstSequence } ?? frames.count
        frames.insert(frame, at: index)
    }

    /// A padding-only packet arrived: it bridges the gap between two frames.
    mutating func notePadding(_ sequence: Int64) {
        guard continuity.map({ sequence > $0 }) ?? true else { return }
        padding.insert(sequence)
        advanceOverPadding()
    }

    /// When `frame` is due for playout.
    func playoutTime(of frame: AssembledFrame) -> Instant {
        Instant.zero + Self.mediaTime(frame.timestamp) + (minTransit ?? .zero) + targetDelay
    }

    /// The next frame to decode — the first key frame when waiting for one — if any.
    private var nextDecodable: Int? {
        if waitingForKeyFrame { return frames.firstIndex(where: \.isKeyFrame) }
        guard let first = frames.first, let continuity else { return nil }
        return first.firstSequence == continuity + 1 ? 0 : nil
    }

    /// The decodable frame due at `now`, removed from the buffer; frames it skips over are dropped.
    mutating func pop(now: Instant) -> AssembledFrame? {
        if waitingForKeyFrame { dropUndecodable() }
        guard let index = nextDecodable, playoutTime(of: frames[index]) <= now else { return nil }
        framesDropped += index
        let frame = frames[index]
        frames.removeFirst(index + 1)
        waitingForKeyFrame = false
        continuity = frame.lastSequence
        padding = padding.filter { $0 > frame.lastSequence }
        advanceOverPadding()
        return frame
    }

    /// The first frame waiting behind a missing one (nothing when waiting for a key frame).
    var blockedFrame: AssembledFrame? {
        guard !waitingForKeyFrame, nextDecodable == nil else { return nil }
        return frames.first
    }

    /// When `pop` next returns a frame (unless frames arrive before).
    var nextPlayout: Instant { nextDecodable.map { playoutTime(of: frames[$0]) } ?? .distantFuture }

    /// The missing frame will not come: decode nothing until a key frame.
    mutating func waitForKeyFrame() {
        waitingForKeyFrame = true
        dropUndecodable()
    }

    /// Drops the delta frames before the first key frame.
    private mutating func dropUndecodable() {
        let keep = frames.firstIndex(where: \.isKeyFrame) ?? frames.count
        framesDropped += keep
        frames.removeFirst(keep)
    }

    private mutating func advanceOverPadding() {
        guard var point = continuity else { return }
        while padding.remove(point + 1) != nil { point += 1 }
        continuity = point
    }

    /// An unwrapped 90 kHz RTP timestamp as a duration.
    static func mediaTime(_ timestamp: Int64) -> Duration { .nanoseconds(timestamp * 100_000 / 9) }
}
