import NetTypes
import RTP

/// The rate at which the receiver acknowledged data (libwebrtc
/// acknowledged_bitrate_estimator.cc over bitrate_estimator.cc): bytes received per
/// window, combined Bayesian-style — a new sample's weight grows with how far it is
/// from the estimate relative to the estimate's variance, so the estimate is steady yet
/// follows real changes.
struct AcknowledgedBitrateEstimator: Sendable {
    private let parameters: AcknowledgedBitrateParameters
    /// The windows in ms.
    private let initialWindowMs: Double
    private let windowMs: Double
    private var sumBytes = 0.0
    private var currentWindowMs = 0.0
    private var previousMs: Double?
    private var estimateKbps: Double?
    private var variance: Double

    init(parameters: AcknowledgedBitrateParameters = AcknowledgedBitrateParameters()) {
        self.parameters = parameters
        initialWindowMs = parameters.initialWindow.milliseconds
        windowMs = parameters.window.milliseconds
        variance = parameters.initialVariance
    }

    /// The estimate in bps, once the first window completed.
    var bps: Double? { estimateKbps.map { $0 * 1000 } }

    /// Adds the received packets of one feedback (sorted by receive time), `inAlr` when
    /// the sender is in the application-limited region (libwebrtc `SetAlr`).
    mutating func update(_ received: [PacketResult], inAlr: Bool = false) {
        for result in received {
            guard let arrival = result.receiveTime else { continue }
            add(nowMs: Double(arrival.nanoseconds) / 1e6, bytes: Double(result.sent.size), inAlr: inAlr)
        }
    }

    /// libwebrtc `BitrateEstimator::Update`.
    private mutating func add(nowMs: Double, bytes: Double, inAlr: Bool) {
        let window = estimateKbps == nil ? initialWindowMs : windowMs
        guard let taken = sample(nowMs: nowMs, bytes: bytes, windowMs: window) else { return }
        let sampleKbps = taken.kbps
        guard let estimate = estimateKbps else { estimateKbps = sampleKbps; return }
        var scale = parameters.uncertaintyScale
        if taken.isSmall, sampleKbps < estimate {
            scale = parameters.smallSampleUncertaintyScale
        } else if inAlr, sampleKbps < estimate {
            scale = parameters.alrUncertaintyScale
        }
        let uncertainty = scale * abs(estimate - sampleKbps) / (estimate + min(sampleKbps, parameters.symmetryCapBps / 1000))
        let sampleVariance = uncertainty * uncertainty
        let predicted = variance + parameters.processNoise
        let updated = (sampleVariance * estimate + predicted * sampleKbps) / (sampleVariance + predicted)
        estimateKbps = max(updated, parameters.estimateFloorBps / 1000)
        variance = sampleVariance * predicted / (sampleVariance + predicted)
    }

    /// A rate sample each time `windowMs` of arrivals accumulated, and whether its window
    /// held fewer than the small-sample threshold's bytes (libwebrtc UpdateWindow).
    private mutating func sample(nowMs: Double, bytes: Double, windowMs: Double) -> (kbps: Double, isSmall: Bool)? {
        if let previous = previousMs {
            if nowMs < previous {
                sumBytes = 0
                currentWindowMs = 0
            } else {
                currentWindowMs += nowMs - previous
                if nowMs - previous > windowMs {
                    sumBytes = 0
                    currentWindowMs = currentWindowMs.truncatingRemainder(dividingBy: windowMs)
                }
            }
        }
        previousMs = nowMs
        var result: (kbps: Double, isSmall: Bool)?
        if currentWindowMs >= windowMs {
            result = (8 * sumBytes / windowMs, sumBytes < Double(parameters.smallSampleThreshold))
            currentWindowMs -= windowMs
            sumBytes = 0
        }
        sumBytes += bytes
        return result
    }
}
