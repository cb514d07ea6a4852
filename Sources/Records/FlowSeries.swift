import NetTypes

/// The time series of one media flow, sampled at fixed intervals while the flow runs,
/// and the metrics computed from them — the same for expectations during a run and for
/// `icelab compare` reading a results database.
public struct FlowSeries: Sendable {
    /// Series names in the results' `series` table (bit/s, ms, packets, loss as a fraction).
    public enum Name {
        public static let target = "target_bps"
        /// The controller's stable target (libwebrtc `stable_target_rate`; GCC's tracked
        /// link capacity, at most the target; other controllers: the target).
        public static let stableTarget = "stable_target_bps"
        /// The receiver's estimate the sender got last (REMB, `feedback: remb` only).
        public static let receiverEstimate = "remb_bps"
        public static let sent = "sent_bps"
        public static let acked = "acked_bps"
        public static let received = "received_bps"
        public static let capacity = "capacity_bps"
        public static let roundTripTime = "rtt_ms"
        public static let oneWayDelay = "one_way_delay_ms"
        public static let queueDelay = "queue_delay_ms"
        /// Packets expected in the interval (RFC 3550 §6.4.1, as receiver reports count them).
        public static let packetsExpected = "packets_expected"
        /// Packets lost in the interval (expected − received; negative after duplicates).
        public static let packetsLost = "packets_lost"
        /// Lost over expected in the interval alone: a series to plot, not to average —
        /// the loss of a window is `loss(in:)`.
        public static let lossIntervalFraction = "loss_interval_fraction"
        /// Loss recovery and frame-level quality of a video flow with `recovery` or
        /// `jitter-buffer` (cumulative counts since the flow started, sampled with the rest):
        /// video packets never received, neither first nor retransmitted, and their share
        /// of those expected (`residual_loss`, 0...1).
        public static let packetsUnrecovered = "packets_unrecovered"
        public static let residualLoss = "residual_loss"
        /// Generic NACK packets the receiver sent (RFC 4585 §6.2.1).
        public static let nackCount = "nack_count"
        /// Retransmissions the sender sent and their bytes (RTX, RFC 4588, or in-stream).
        public static let rtxPackets = "rtx_packets"
        public static let rtxBytes = "rtx_bytes"
        /// FlexFEC (RFC 8627, flows with `fec`): packets the receiver rebuilt from repairs,
        /// and the repairs the sender sent with their bytes.
        public static let fecRecovered = "fec_recovered"
        public static let fecPackets = "fec_packets"
        public static let fecBytes = "fec_bytes"
        /// PLI packets the receiver sent (RFC 4585 §6.3.1).
        public static let pliCount = "pli_count"
        public static let framesRendered = "frames_rendered"
        public static let framesDropped = "frames_dropped"
        /// W3C webrtc-stats freezeCount and totalFreezesDuration (ms).
        public static let freezeCount = "freeze_count"
        public static let freezeTotal = "freeze_total_ms"
        /// One sample, at the first rendered frame: time from the flow's start, ms.
        public static let timeToFirstFrame = "time_to_first_frame_ms"
        /// One sample per rendered frame, at its render time: capture to render, ms.
        public static let frameDelay = "frame_delay_ms"
        /// RFC 8868 §3 item 1: exact rates of consecutive `rateInterval`s (200 ms) from
        /// the flow's start, bit/s, each sampled at its interval's end. Sent: every RTP and
        /// RTCP packet the flow's sender put on the wire (RTP/RTCP header and payload, no
        /// SRTP tag, UDP or IP header). Received: the same bytes of the flow's packets
        /// arriving at its receiver. Goodput: RTP payload bytes (no header, no padding) of
        /// the media stream's packets the first time each sequence number arrives, as
        /// sent, restored from RTX or rebuilt by FlexFEC: no retransmitted copy, padding or
        /// duplicate counts twice.
        public static let sent200ms = "sent_200ms_bps"
        public static let received200ms = "received_200ms_bps"
        public static let goodput200ms = "goodput_200ms_bps"
        /// RFC 8868 §3 item 10: the interval's sending rate over the bottleneck's capacity
        /// in the same interval (flows with a `bottleneck`).
        public static let utilization200ms = "utilization_200ms"
        public static let intervalRates = [sent200ms, received200ms, goodput200ms, utilization200ms]
        /// Series whose values are fractions (0...1), shown as percentages.
        public static let fractions = [lossIntervalFraction, residualLoss, utilization200ms]
        public static let recovery = [packetsUnrecovered, residualLoss, nackCount, rtxPackets, rtxBytes, pliCount, framesRendered,
                                      framesDropped, freezeCount, freezeTotal, timeToFirstFrame, frameDelay]
        public static let fec = [fecRecovered, fecPackets, fecBytes]
        public static let all = [target, stableTarget, receiverEstimate, sent, acked, received, capacity, roundTripTime, oneWayDelay, queueDelay,
                                 packetsExpected, packetsLost, lossIntervalFraction] + recovery + fec + intervalRates
    }

    /// The length of the intervals of `Name.intervalRates` (RFC 8868 §3 item 1).
    public static let rateInterval = Duration.milliseconds(200)

    /// `session/index`, the `session` column of its samples.
    public var label: String
    /// Samples by series name, in time order.
    public private(set) var samples: [String: [(time: Duration, value: Double)]] = [:]

    public init(label: String) {
        self.label = label
    }

    /// The flows in `samples`, keyed by label (samples of other series are ignored).
    public static func grouped(_ samples: [SeriesSample]) -> [String: FlowSeries] {
        var flows: [String: FlowSeries] = [:]
        for sample in samples where Name.all.contains(sample.name) {
            guard let label = sample.session else { continue }
            flows[label, default: FlowSeries(label: label)].append(sample.name, sample.value, at: sample.time)
        }
        return flows
    }

    public mutating func append(_ name: String, _ value: Double, at time: Duration) {
        samples[name, default: []].append((time, value))
    }

    /// Every sample as a results row.
    public var rows: [SeriesSample] {
        Name.all.flatMap { name in (samples[name] ?? []).map { SeriesSample(session: label, name: name, time: $0.time, value: $0.value) } }
    }

    /// The values of `name` sampled in `window`.
    public func values(_ name: String, in window: TimeWindow = TimeWindow()) -> [Double] {
        (samples[name] ?? []).filter { window.contains($0.time) }.map(\.value)
    }

    /// When the flow's first and last samples were taken.
    public var span: ClosedRange<Duration>? {
        guard let times = samples[Name.target]?.map(\.time), let first = times.first, let last = times.last else { return nil }
        return first...last
    }

    static func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }

    /// Mean received rate over mean capacity in `window`; nil without capacity samples.
    public func utilization(in window: TimeWindow = TimeWindow()) -> Double? {
        guard let capacity = Self.mean(values(Name.capacity, in: window)), capacity > 0,
              let received = Self.mean(values(Name.received, in: window)) else { return nil }
        return received / capacity
    }

    /// The mean received rate in `window`, bit/s.
    public func meanReceivedRate(in window: TimeWindow = TimeWindow()) -> Double? { Self.mean(values(Name.received, in: window)) }

    /// 95th percentile (nearest rank) of the queuing delay samples in `window`, ms.
    public func queueDelayP95(in window: TimeWindow = TimeWindow()) -> Double? { percentile(Name.queueDelay, 95, in: window) }

    /// Percentile `p` (0-100, nearest rank) of the samples of `name` in `window`.
    public func percentile(_ name: String, _ p: Double, in window: TimeWindow = TimeWindow()) -> Double? {
        let sorted = values(name, in: window).sorted()
        guard !sorted.isEmpty else { return nil }
        return sorted[min(max(Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1, 0), sorted.count - 1)]
    }

    /// The last sample of `name` taken at or before `time` (a series holds its value
    /// between samples).
    public func value(_ name: String, at time: Duration) -> (time: Duration, value: Double)? {
        guard let series = samples[name] else { return nil }
        var low = 0, high = series.count
        while low < high {
            let mid = (low + high) / 2
            if series[mid].time <= time { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? series[low - 1] : nil
    }

    /// From the flow's first sample until the target first reached `share` of the capacity.
    public func timeToRate(share: Double) -> Duration? {
        guard let start = span?.lowerBound, let targets = samples[Name.target], let capacities = samples[Name.capacity] else { return nil }
        for (target, capacity) in zip(targets, capacities) where capacity.value > 0 && target.value >= share * capacity.value {
            return target.time - start
        }
        return nil
    }

    /// Packets expected and lost in the intervals sampled in `window`.
    public func lossCount(in window: TimeWindow = TimeWindow()) -> (expected: Double, lost: Double) {
        (values(Name.packetsExpected, in: window).reduce(0, +), values(Name.packetsLost, in: window).reduce(0, +))
    }

    /// Packets lost over packets expected in `window`, 0...1 (RFC 3550 §6.4.1 counts, so
    /// the whole flow's figure is what its receiver reports say); nil when none were expected.
    public func loss(in window: TimeWindow = TimeWindow()) -> Double? {
        let count = lossCount(in: window)
        return Self.loss(lost: count.lost, expected: count.expected)
    }

    /// `lost / expected` within 0...1 (negative loss from duplicates counts as none);
    /// nil when nothing was expected.
    public static func loss(lost: Double, expected: Double) -> Double? {
        expected > 0 ? min(max(lost, 0), expected) / expected : nil
    }

    /// Jain's fairness index (Σx)² / (n Σx²) of `rates`; 1 is perfectly fair.
    public static func jainIndex(_ rates: [Double]) -> Double? {
        let squares = rates.reduce(0) { $0 + $1 * $1 }
        guard !rates.isEmpty, squares > 0 else { return nil }
        let sum = rates.reduce(0, +)
        return sum * sum / (Double(rates.count) * squares)
    }
}
