import NetTypes
import RTP

/// The rate at which the receiver acknowledged data (libwebrtc
/// acknowledged_bitrate_estimator.cc over bitrate_estimator.cc): bytes received per
/// window, combined Bayesian-style — a new sample's weight grows with how far it is
/// from the estimate relative to the estimate's variance, so the estimate is steady yet
/// follows real changes.
struct AcknowledgedBitrateEstimator: Sendable {
    /// First window, ms (libwebrtc kInitialRateWindowMs: 500).
    static let initialWindowMs = 500.0
    /// Later windows, ms (libwebrtc kRateWindowMs: 150).
    static let windowMs = 150.0
    /// Sample uncertainty scale (libwebrtc BitrateEstimator uncertainty_scale 10).
    static let uncertaintyScale = 10.0
    /// Initial variance, kbps² (libwebrtc bitrate_estimate_var_ 50).
    static let initialVariance = 50.0
    /// Variance added per sample, kbps² (libwebrtc pred_bitrate_estimate_var = var + 5).
    static let processNoise = 5.0

    private var sumBytes = 0.0
    private var currentWindowMs = 0.0
    private var previousMs: Double?
    private var estimateKbps: Double?
    private var variance = initialVariance

    /// The estimate in bps, once the first window completed.
    var bps: Double? { estimateKbps.map { $0 * 1000 } }

    /// Adds the received packets of one feedback (sorted by receive time).
    mutating func update(_ received: [PacketResult]) {
        for result in received {
            guard let arrival = result.receiveTime else { continue }
            add(nowMs: Double(arrival.nanoseconds) / 1e6, bytes: Double(result.sent.size))
        }
    }

    private mutating func add(nowMs: Double, bytes: Double) {
        let window = estimateKbps == nil ? Self.initialWindowMs : Self.windowMs
        guard let sampleKbps = sample(nowMs: nowMs, bytes: bytes, windowMs: window) else { return }
        guard let estimate = estimateKbps else { estimateKbps = sampleKbps; return }
        let uncertainty = Self.uncertaintyScale * abs(estimate - sampleKbps) / estimate
        let sampleVariance = uncertainty * uncertainty
        let predicted = variance + Self.processNoise
        estimateKbps = (sampleVariance * estimate + predicted * sampleKbps) / (sampleVariance + predicted)
        variance = sampleVariance * predicted / (sampleVariance + predicted)
    }

    /// A rate sample each time `windowMs` of arrivals accumulated (libwebrtc UpdateWindow).
    private mutating func sample(nowMs: Double, bytes: Double, windowMs: Double) -> Double? {
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
        var result: Double?
        if currentWindowMs >= windowMs {
            result = 8 * sumBytes / windowMs
            currentWindowMs -= windowMs
            sumBytes = 0
        }
        sumBytes += bytes
        return result
    }
}
