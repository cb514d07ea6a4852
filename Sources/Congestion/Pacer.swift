import NetTypes

/// Spreads packets over time at the pacing rate (libwebrtc pacing_controller.cc): a
/// leaky bucket whose debt drains at the rate; a packet may leave while the debt is
/// below `burstInterval` worth of the rate, so after a pause up to 5 ms of data goes out
/// at once and then packets follow at the rate. Probe
/// clusters bypass the bucket: their packets go out at the cluster's rate — queued
/// media first, padding when the queue is empty — until the cluster's minimum packets
/// and bytes are sent (libwebrtc bitrate_prober.cc).
///
/// Sans-IO like the cores: the owner enqueues packets, asks `nextSendTime` when to come
/// back, and calls `poll(now:)` until it returns nil.
///
/// Inlinable, so that an owner in another module gets it specialised for its packet
/// type: unspecialised, every poll looked up the generic metadata of its queue's tuples.
public struct Pacer<Packet: Sendable>: Sendable {
    /// What to send now.
    public enum Send {
        case media(Packet, probeClusterID: Int?)
        /// A padding packet of `bytes` for probe cluster `probeClusterID`.
        case padding(bytes: Int, probeClusterID: Int)
    }

    /// Burst length: 5 ms, as libwebrtc's former IntervalBudget pacer ran every 5 ms
    /// (kMinPacketLimitMs in paced_sender.cc).
    public static var burstInterval: Duration { .milliseconds(5) }
    /// Debt is capped at this much sending time (libwebrtc kMaxDebtInTime, pacing_controller.cc: 500 ms).
    public static var maxDebt: Duration { .milliseconds(500) }

    @usableFromInline struct ActiveProbe: Sendable {
        @usableFromInline var cluster: ProbeCluster
        @usableFromInline var start: Instant?
        @usableFromInline var bytes = 0
        @usableFromInline var packets = 0
        @usableFromInline init(cluster: ProbeCluster) { self.cluster = cluster }
        @inlinable var isComplete: Bool { bytes >= cluster.minBytes && packets >= cluster.minPackets }
    }

    /// The current pacing rate.
    @inlinable public var rate: Bitrate { pacingRate }
    @usableFromInline var pacingRate: Bitrate
    @usableFromInline var queue: [(packet: Packet, size: Int)] = []
    @usableFromInline var head = 0
    /// Bytes sent and not yet drained, as of `lastDrain`.
    @usableFromInline var debt = 0.0
    @usableFromInline var lastDrain: Instant?
    @usableFromInline var probes: [ActiveProbe] = []

    /// Largest padding packet the owner can build (RTP padding-only packets carry at most
    /// 255 padding bytes).
    public let maxPaddingSize: Int

    public init(rate: Bitrate, maxPaddingSize: Int = 1200) {
        self.pacingRate = rate
        self.maxPaddingSize = maxPaddingSize
    }

    /// Packets waiting.
    @inlinable public var queuedPackets: Int { queue.count - head }
    /// Bytes waiting: the rate-shaping buffer's length (RFC 8698 §5.2.1 `buffer_len`).
    @inlinable public var queuedBytes: Int { waitingBytes }
    @usableFromInline var waitingBytes = 0

    /// Changes the pacing rate; the debt accumulated so far drains at the old rate up to `now`.
    @inlinable public mutating func setRate(_ newRate: Bitrate, now: Instant) {
        drain(now: now)
        pacingRate = Bitrate(bitsPerSecond: max(newRate.bitsPerSecond, 1))
    }

    /// Queues a packet of `size` bytes behind those already waiting.
    @inlinable public mutating func enqueue(_ packet: Packet, size: Int) {
        queue.append((packet, size))
        waitingBytes += size
    }

    /// Schedules a probe cluster after those already pending.
    @inlinable public mutating func addProbeCluster(_ cluster: ProbeCluster) { probes.append(ActiveProbe(cluster: cluster)) }

    /// When `poll` next has something to send (`Instant.distantFuture`: nothing to do).
    @inlinable public func nextSendTime(now: Instant) -> Instant {
        if let probe = probes.first {
            guard let start = probe.start else { return now }
            return start + probe.cluster.rate.transmissionTime(bytes: probe.bytes)
        }
        guard queuedPackets > 0 else { return .distantFuture }
        let excess = debt - elapsedBytes(now: now) - burstBytes
        return excess < 0 ? now : now + Duration.fromSeconds(excess * 8 / Double(rate.bitsPerSecond)) + .nanoseconds(1)
    }

    /// The next packet to send at `now`, or nil when the owner should wait for `nextSendTime`.
    @inlinable public mutating func poll(now: Instant) -> Send? {
        drain(now: now)
        if !probes.isEmpty {
            guard nextSendTime(now: now) <= now else { return nil }
            if probes[0].start == nil { probes[0].start = now }
            let id = probes[0].cluster.id
            let send: Send
            let size: Int
            if let next = dequeue() {
                send = .media(next.packet, probeClusterID: id)
                size = next.size
            } else {
                let rateBytes = Double(probes[0].cluster.rate.bitsPerSecond) / 8 * probes[0].cluster.paddingTime.seconds
                size = max(min(Int(rateBytes), maxPaddingSize), 1)
                send = .padding(bytes: size, probeClusterID: id)
            }
            probes[0].bytes += size
            probes[0].packets += 1
            if probes[0].isComplete { probes.removeFirst() }
            addDebt(size)
            return send
        }
        guard queuedPackets > 0, debt < burstBytes else { return nil }
        let next = dequeue()!
        addDebt(next.size)
        return .media(next.packet, probeClusterID: nil)
    }

    /// The bucket's depth: `burstInterval` of the rate.
    @inlinable var burstBytes: Double { Double(rate.bitsPerSecond) / 8 * Self.burstInterval.seconds }

    @inlinable mutating func dequeue() -> (packet: Packet, size: Int)? {
        guard head < queue.count else { return nil }
        let next = queue[head]
        head += 1
        waitingBytes -= next.size
        if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
        else if head > 1024 && head * 2 > queue.count { queue.removeFirst(head); head = 0 }
        return next
    }

    @inlinable mutating func addDebt(_ bytes: Int) {
        let cap = Double(rate.bitsPerSecond) / 8 * Self.maxDebt.seconds
        debt = min(debt + Double(bytes), cap)
    }

    @inlinable func elapsedBytes(now: Instant) -> Double {
        guard let lastDrain else { return 0 }
        return Double(rate.bitsPerSecond) / 8 * (now - lastDrain).seconds
    }

    @inlinable mutating func drain(now: Instant) {
        debt = max(0, debt - elapsedBytes(now: now))
        lastDrain = now
    }
}
