import NetTypes
import RTP

/// A loss-based estimate in the manner of libwebrtc's LossBasedBweV2
/// (loss_based_bwe_v2.cc): the channel is modelled as a loss-limited bandwidth B and an
/// inherent (random) loss ε; a window of observations (packets sent and lost over at
/// least 250 ms of sending, and the sending rate) gives each candidate (B, ε) a
/// log-likelihood, loss probability p = ε + (1 − ε)(rate − B)/rate above B and ε below;
/// the candidate of maximum likelihood (plus a small bias towards higher bandwidths
/// while loss is low) becomes the estimate. Loss that does not grow with the sending
/// rate is explained by ε and leaves the estimate alone; loss that appears above a rate
/// pulls B down to it.
///
/// Kept from libwebrtc: the observation window and temporal weights, the candidates
/// (1.02, 1, 0.95 × the estimate, the acknowledged rate outside ALR, a higher delay-based
/// estimate), one Newton step on ε per candidate within its feasible bounds, the
/// high-bandwidth bias, the instant upper bound from the average loss, the
/// increase-per-window limit while loss-limited, and the states (delay-based, increasing,
/// decreasing). Left out (their libwebrtc defaults switch them off): byte-based loss
/// rates, sending-rate smoothing, ramp-up acceleration, HOLD, padding, the upper-bound
/// candidate in ALR, the acked-rate lower bound and `bound_best_candidate`.
struct LossBasedBweV2: Sendable {
    /// Where the estimate stands (libwebrtc LossBasedState).
    enum State: Sendable, Equatable { case delayBasedEstimate, increasing, decreasing }

    private struct Observation {
        var id: Int
        var packets: Int
        var lost: Int
        var sendingRateBps: Double
    }

    /// The controller's smallest rate (bwe_defines.h kCongestionControllerMinBitrate: 5 kbps).
    static let congestionControllerMinBps = 5_000.0

    private let p: LossBasedBweV2Parameters
    private let temporalWeights: [Double]
    private let instantWeights: [Double]
    private var observations: [Observation] = []
    private var observationCount = 0
    private var partialPackets = 0
    private var partialLost = 0
    private var partialBytes = 0
    private var lastObservationSendTime: Instant?
    private var bestBps: Double?
    private var inherentLoss: Double
    private var delayBasedBps = Double.infinity
    private var acknowledgedBps: Double?
    private var instantUpperBoundBps = Double.infinity
    private var bandwidthLimitInWindowBps = Double.infinity
    private var recoveringAfterLossTime: Instant?
    private var minBps: Double
    private var maxBps: Double
    private(set) var state = State.delayBasedEstimate
    private var resultBps = Double.infinity

    init(parameters: LossBasedBweV2Parameters, minBps: Double, maxBps: Double) {
        p = parameters
        inherentLoss = parameters.initialInherentLoss
        self.minBps = minBps
        self.maxBps = maxBps
        var weights: [Double] = [], instant: [Double] = []
        var w = 1.0, v = 1.0
        for _ in 0..<parameters.observationWindow {
            weights.append(w)
            instant.append(v)
            w *= parameters.temporalWeightFactor
            v *= parameters.instantUpperBoundTemporalWeightFactor
        }
        temporalWeights = weights
        instantWeights = instant
    }

    /// The estimate once enough observations were made (libwebrtc `IsReady`).
    var estimateBps: Double? { bestBps != nil && observationCount >= p.minObservations ? resultBps : nil }
    /// The inherent loss of the current best candidate.
    var inherentLossEstimate: Double { inherentLoss }

    /// New bounds (a mid-call rate constraint).
    mutating func setBounds(minBps: Double, maxBps: Double) {
        self.minBps = minBps
        self.maxBps = maxBps
    }

    /// The estimate from elsewhere (a probe result; libwebrtc `SetBandwidthEstimate`).
    mutating func setEstimate(bps: Double) {
        bestBps = bps
        resultBps = bps
        state = .delayBasedEstimate
    }

    /// One feedback's packet results (libwebrtc `UpdateBandwidthEstimate`).
    mutating func update(_ results: [PacketResult], delayBasedBps: Double, acknowledgedBps: Double?, inAlr: Bool) {
        self.delayBasedBps = delayBasedBps
        if let acknowledgedBps { self.acknowledgedBps = acknowledgedBps }
        guard pushObservation(results), let lastSend = lastObservationSendTime else { return }
        if bestBps == nil {
            guard delayBasedBps.isFinite else { return }
            bestBps = delayBasedBps
            resultBps = delayBasedBps
            state = .delayBasedEstimate
        }
        let current = bestBps!
        var best = (bps: current, loss: inherentLoss)
        var objectiveMax = -Double.infinity
        for bandwidth in candidates(current: current, inAlr: inAlr) {
            var candidate = (bps: bandwidth, loss: feasibleInherentLoss(inherentLoss, bps: bandwidth))
            newtonUpdate(&candidate)
            let value = objective(candidate)
            if value > objectiveMax {
                objectiveMax = value
                best = candidate
            }
        }
        // No increase while the reported loss exceeds the inherent loss
        // (NotIncreaseIfInherentLossLessThanAverageLoss: true).
        if averageReportedLoss > best.loss, current < best.bps { best.bps = current }
        let lossLimited = state != .delayBasedEstimate
        if lossLimited {
            if let recovering = recoveringAfterLossTime, recovering + p.delayedIncreaseWindow > lastSend,
               best.bps > bandwidthLimitInWindowBps {
                best.bps = bandwidthLimitInWindowBps
            }
        }
        let bounded = max(minBps, min(best.bps, instantUpperBoundBps, delayBasedBps))
        bestBps = best.bps
        inherentLoss = best.loss
        let increasing = lossLimited && (resultBps < bounded || (resultBps == bounded && state == .increasing))
        if increasing, bounded < delayBasedBps, bounded < maxBps {
            state = .increasing
        } else if bounded < delayBasedBps, bounded < maxBps {
            state = .decreasing
        } else {
            state = .delayBasedEstimate
        }
        resultBps = bounded
        if state != .delayBasedEstimate, recoveringAfterLossTime.map({ $0 + p.delayedIncreaseWindow < lastSend }) ?? true {
            bandwidthLimitInWindowBps = max(Self.congestionControllerMinBps, best.bps * p.maxIncreaseFactor)
            recoveringAfterLossTime = lastSend
        }
    }

    /// Adds the results to the open observation; closes it once it spans
    /// `observationDuration` of send times (libwebrtc `PushBackObservation`).
    private mutating func pushObservation(_ results: [PacketResult]) -> Bool {
        guard !results.isEmpty else { return false }
        var firstSend = Instant.distantFuture, lastSend = Instant.zero
        for result in results {
            partialPackets += 1
            if !result.isReceived { partialLost += 1 }
            partialBytes += result.sent.size
            firstSend = min(firstSend, result.sent.sendTime)
            lastSend = max(lastSend, result.sent.sendTime)
        }
        let start = lastObservationSendTime ?? firstSend
        lastObservationSendTime = start
        let duration = lastSend - start
        guard duration > .zero, duration >= p.observationDuration else { return false }
        lastObservationSendTime = lastSend
        let observation = Observation(id: observationCount, packets: partialPackets, lost: partialLost,
                                      sendingRateBps: Double(partialBytes) * 8 / duration.seconds)
        observationCount += 1
        if observations.count == p.observationWindow { observations.removeFirst() }
        observations.append(observation)
        partialPackets = 0
        partialLost = 0
        partialBytes = 0
        // The instant upper bound (libwebrtc `CalculateInstantUpperBound`).
        let loss = averageReportedLoss
        instantUpperBoundBps = loss > p.instantUpperBoundLossOffset
            ? p.instantUpperBoundBalanceBps / (loss - p.instantUpperBoundLossOffset) : maxBps
        return true
    }

    /// Candidate bandwidths (libwebrtc `GetCandidates`), each capped by the upper bound.
    private func candidates(current: Double, inAlr: Bool) -> [Double] {
        var bandwidths = p.candidateFactors.map { $0 * current }
        // Acked-rate candidate (AckedRateCandidate, BwBackoffLowerBoundFactor 1.0), not in
        // ALR (NotUseAckedRateInAlr), where the acked rate says nothing about the capacity.
        if let acknowledgedBps, !inAlr { bandwidths.append(acknowledgedBps) }
        if delayBasedBps.isFinite, delayBasedBps > current { bandwidths.append(delayBasedBps) }
        let upper = state != .delayBasedEstimate && bandwidthLimitInWindowBps.isFinite ? bandwidthLimitInWindowBps : maxBps
        return bandwidths.map { min($0, max(current, upper)) }
    }

    private func feasibleInherentLoss(_ loss: Double, bps: Double) -> Double {
        let upper = bps == 0 ? 1 : min(p.inherentLossUpperBoundOffset + p.inherentLossUpperBoundBalanceBps / bps, 1)
        return min(max(loss, p.inherentLossLowerBound), upper)
    }

    private func lossProbability(inherent: Double, bps: Double, sendingRateBps: Double) -> Double {
        var probability = inherent
        if sendingRateBps > bps { probability += (1 - inherent) * (sendingRateBps - bps) / sendingRateBps }
        return min(max(probability, 1e-6), 1 - 1e-6)
    }

    private func weight(_ observation: Observation) -> Double { temporalWeights[observationCount - 1 - observation.id] }

    /// Newton's method on the inherent loss (libwebrtc `NewtonsMethodUpdate`, `GetDerivatives`).
    private func newtonUpdate(_ candidate: inout (bps: Double, loss: Double)) {
        guard observationCount > 0 else { return }
        for _ in 0..<p.newtonIterations {
            var first = 0.0, second = 0.0
            for o in observations {
                let q = lossProbability(inherent: candidate.loss, bps: candidate.bps, sendingRateBps: o.sendingRateBps)
                let received = Double(o.packets - o.lost), lost = Double(o.lost)
                first += weight(o) * (lost / q - received / (1 - q))
                second -= weight(o) * (lost / (q * q) + received / ((1 - q) * (1 - q)))
            }
            if second >= 0 { second = -1e-6 }
            candidate.loss = feasibleInherentLoss(candidate.loss - p.newtonStepSize * first / second, bps: candidate.bps)
        }
    }

    /// Weighted log-likelihood plus the high-bandwidth bias (libwebrtc `GetObjective`).
    private func objective(_ candidate: (bps: Double, loss: Double)) -> Double {
        let bias = highBandwidthBias(candidate.bps)
        var objective = 0.0
        for o in observations {
            let q = lossProbability(inherent: candidate.loss, bps: candidate.bps, sendingRateBps: o.sendingRateBps)
            let received = Double(o.packets - o.lost), lost = Double(o.lost)
            objective += weight(o) * (lost * CongestionMath.logarithm(q) + received * CongestionMath.logarithm(1 - q))
            objective += weight(o) * bias * Double(o.packets)
        }
        return objective
    }

    /// libwebrtc `GetHighBandwidthBias` with `AdjustBiasFactor`.
    private func highBandwidthBias(_ bps: Double) -> Double {
        let loss = averageReportedLoss
        func adjust(_ factor: Double) -> Double {
            let gap = p.highBandwidthPreferenceLoss - loss
            return factor * gap / (p.bandwidthPreferenceSmoothing + abs(gap))
        }
        let kbps = bps / 1000
        return adjust(p.higherBandwidthBias) * kbps + adjust(p.higherLogBandwidthBias) * CongestionMath.logarithm(1 + kbps)
    }

    /// Lost over sent packets in the window, weighted by age (libwebrtc
    /// `GetAverageReportedLossRatio`).
    var averageReportedLoss: Double {
        var lost = 0.0, packets = 0.0
        for o in observations {
            let w = instantWeights[observationCount - 1 - o.id]
            lost += w * Double(o.lost)
            packets += w * Double(o.packets)
        }
        return packets == 0 ? 0 : lost / packets
    }
}
