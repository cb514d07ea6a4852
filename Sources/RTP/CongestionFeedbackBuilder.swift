import NetTypes

/// The receiver side of RFC 8888 feedback: records every RTP packet's arrival time and
/// ECN field per stream, and builds one feedback packet on demand — the owner calls
/// `build` every feedback interval — with a report block per stream covering every
/// sequence number from the first unreported one to the highest received.
///
/// As `TransportFeedbackBuilder` does: sequence numbers are unwrapped per stream; a
/// packet arriving after its number was reported lost starts that stream's next block
/// at its number (RFC 8888 §3.1 lets reports overlap; the sender's history turns the
/// packet from lost into received); duplicates are ignored; arrivals are kept for
/// `backWindow` after a report. A block covers at most `maxReports` numbers (RFC 8888
/// §3.1): older unreported ones are skipped.
public struct CongestionFeedbackBuilder: Sendable {
    /// How long arrivals are kept for re-reporting (as the transport-wide builder).
    public static let backWindow = TransportFeedbackBuilder.backWindow
    /// Most metrics per report block (RFC 8888 §3.1).
    public static let maxReports = CongestionControlFeedback.maxReports

    private struct Arrival: Sendable {
        var time: Instant
        var ecn: ECNCodepoint
    }

    private struct Stream: Sendable {
        var unwrapper = SequenceUnwrapper(bits: 16)
        var arrivals: [Int64: Arrival] = [:]
        var nextToReport: Int64?
        var highest: Int64 = .min
    }

    public let senderSSRC: UInt32
    private var streams: [UInt32: Stream] = [:]
    /// Arrivals of numbers already recorded.
    public private(set) var duplicates = 0
    /// Arrivals more than `maxReports` behind the stream's highest number, dropped.
    public private(set) var tooLate = 0
    /// CE-marked arrivals recorded (RFC 3168 §5), duplicates excluded.
    public private(set) var congestionExperienced = 0

    public init(senderSSRC: UInt32) { self.senderSSRC = senderSSRC }

    /// Records that RTP packet `sequence` of stream `ssrc` arrived at `arrival` with IP
    /// ECN field `ecn`.
    public mutating func record(ssrc: UInt32, sequence: UInt16, arrival: Instant, ecn: ECNCodepoint) {
        var stream = streams.removeValue(forKey: ssrc) ?? Stream()
        defer { streams[ssrc] = stream }
        let seq = stream.unwrapper.unwrap(UInt32(sequence))
        guard stream.arrivals[seq] == nil else { duplicates += 1; return }
        if let next = stream.nextToReport, seq < next {
            guard seq > stream.highest - Int64(Self.maxReports) else { tooLate += 1; return }
            stream.nextToReport = seq
        }
        if ecn == .ce { congestionExperienced += 1 }
        stream.arrivals[seq] = Arrival(time: arrival, ecn: ecn)
        if stream.nextToReport == nil { stream.nextToReport = seq }
        stream.highest = max(stream.highest, seq)
    }

    /// Whether packets arrived that no report has described yet.
    public var hasPending: Bool { streams.values.contains { stream in stream.nextToReport.map { $0 <= stream.highest } ?? false } }

    /// A report made at `now` with a block for every stream that has unreported packets
    /// (streams in SSRC order), then forgets arrivals older than `backWindow`; nil when
    /// nothing is pending.
    public mutating func build(now: Instant) -> CongestionControlFeedback? {
        let timestamp = NTPTime.timestamp(now) >> 16
        var blocks: [CongestionControlFeedback.ReportBlock] = []
        for ssrc in streams.keys.sorted() {
            var stream = streams[ssrc]!
            if let next = stream.nextToReport, next <= stream.highest {
                let start = max(next, stream.highest - Int64(Self.maxReports) + 1)
                var metrics: [CongestionControlFeedback.Metric] = []
                metrics.reserveCapacity(Int(stream.highest - start + 1))
                for seq in start...stream.highest {
                    guard let arrival = stream.arrivals[seq] else { metrics.append(.notReceived); continue }
                    metrics.append(.received(ecn: arrival.ecn, offset: Self.offset(from: arrival.time, to: timestamp)))
                }
                blocks.append(CongestionControlFeedback.ReportBlock(ssrc: ssrc, beginSequence: UInt16(truncatingIfNeeded: start),
                                                                     metrics: metrics))
                stream.nextToReport = stream.highest + 1
            }
            stream.arrivals = stream.arrivals.filter { now - $0.value.time <= Self.backWindow }
            streams[ssrc] = stream
        }
        guard !blocks.isEmpty else { return nil }
        return CongestionControlFeedback(senderSSRC: senderSSRC, blocks: blocks, reportTimestamp: UInt32(truncatingIfNeeded: timestamp))
    }

    /// The arrival time offset of `arrival` before a report at `timestamp` (NTP, 1/65536 s
    /// units, 48 bits): 1/1024 s ticks rounded down, over-range from 8190/1024 s on.
    private static func offset(from arrival: Instant, to timestamp: UInt64) -> UInt16 {
        let units = timestamp - min(timestamp, NTPTime.timestamp(arrival) >> 16)
        return UInt16(min(units / 64, UInt64(CongestionControlFeedback.overRange)))
    }
}
