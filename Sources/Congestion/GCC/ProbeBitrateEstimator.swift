import NetTypes
import RTP

/// Turns the feedback of probe packets into a capacity estimate (libwebrtc
/// probe_bitrate_estimator.cc): per cluster, the send rate and the receive rate of its
/// packets; the estimate is the lower of the two, or 95 % of the receive rate when the
/// receiver clearly got less than was sent (the probe saturated the link).
struct ProbeBitrateEstimator: Sendable {
    /// Share of a cluster's packets and bytes that must arrive (libwebrtc kMinReceivedProbesRatio,
    /// kMinReceivedBytesRatio: 0.80).
    static let minReceivedRatio = 0.80
    /// Receive/send ratios above this are measurement errors (libwebrtc kMaxValidRatio: 2.0).
    static let maxValidRatio = 2.0
    /// Below this receive/send ratio the link was saturated (libwebrtc kMinRatioForUnsaturatedLink: 0.9).
    static let minRatioForUnsaturatedLink = 0.9
    /// Estimate as a share of the receive rate when saturated (libwebrtc kTargetUtilizationFraction: 0.95).
    static let targetUtilization = 0.95
    /// Longest valid send or receive interval of a cluster (libwebrtc kMaxProbeInterval: 1 s).
    static let maxProbeInterval = Duration.seconds(1)
    /// A cluster is forgotten this long after its last feedback (libwebrtc kMaxClusterHistory: 1 s;
    /// measured here on the sender's clock from registration or the latest feedback).
    static let maxClusterHistory = Duration.seconds(1)

    private struct Aggregate {
        var firstSend = Instant.distantFuture, lastSend = Instant.zero
        var firstReceive = Instant.distantFuture, lastReceive = Instant.zero
        var sizeLastSend = 0, sizeFirstReceive = 0, sizeTotal = 0, count = 0
    }

    private var clusters: [Int: (cluster: ProbeCluster, lastUpdate: Instant)] = [:]
    private var aggregates: [Int: Aggregate] = [:]

    /// Registers a cluster the pacer will send, so its thresholds are known.
    mutating func expect(_ cluster: ProbeCluster, now: Instant) { clusters[cluster.id] = (cluster, now) }

    /// Adds the received probe packets of a feedback processed at `now`; returns the
    /// latest valid estimate (bps), if any.
    mutating func handle(_ results: [PacketResult], now: Instant) -> Double? {
        clusters = clusters.filter { now - $0.value.lastUpdate <= Self.maxClusterHistory }
        aggregates = aggregates.filter { clusters[$0.key] != nil }
        var estimate: Double?
        for result in results {
            guard let id = result.sent.probeClusterID, let cluster = clusters[id]?.cluster, let arrival = result.receiveTime else { continue }
            clusters[id]?.lastUpdate = now
            var a = aggregates[id] ?? Aggregate()
            let size = result.sent.size
            if result.sent.sendTime < a.firstSend { a.firstSend = result.sent.sendTime }
            if result.sent.sendTime >= a.lastSend { a.lastSend = result.sent.sendTime; a.sizeLastSend = size }
            if arrival < a.firstReceive { a.firstReceive = arrival; a.sizeFirstReceive = size }
            if arrival > a.lastReceive { a.lastReceive = arrival }
            a.sizeTotal += size
            a.count += 1
            aggregates[id] = a
            if Double(a.count) >= Self.minReceivedRatio * Double(cluster.minPackets),
               Double(a.sizeTotal) >= Self.minReceivedRatio * Double(cluster.minBytes),
               let value = Self.estimate(a) {
                estimate = value
            }
        }
        return estimate
    }

    private static func estimate(_ a: Aggregate) -> Double? {
        let sendInterval = a.lastSend - a.firstSend
        let receiveInterval = a.lastReceive - a.firstReceive
        guard sendInterval > .zero, sendInterval <= maxProbeInterval,
              receiveInterval > .zero, receiveInterval <= maxProbeInterval else { return nil }
        let sendRate = Double(a.sizeTotal - a.sizeLastSend) * 8 / sendInterval.seconds
        let receiveRate = Double(a.sizeTotal - a.sizeFirstReceive) * 8 / receiveInterval.seconds
        guard receiveRate / sendRate <= maxValidRatio else { return nil }
        if receiveRate < minRatioForUnsaturatedLink * sendRate { return targetUtilization * receiveRate }
        return min(sendRate, receiveRate)
    }
}
