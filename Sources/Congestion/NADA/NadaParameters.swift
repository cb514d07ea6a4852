import NetTypes

/// NADA's tunables with RFC 8698's defaults (§4.1, Table 2 "List of Algorithm Parameters
/// and Their Default Values"; the sections below say where each is used). Times are in
/// seconds. RMIN and RMAX are not here: they are the flow's `min-rate` and `max-rate`.
public struct NadaParameters: Sendable, Equatable {
    /// PRIO: the flow's weight of priority; its share grows with it (§4.3 eq. for x_offset).
    public var prio = 1.0
    /// XREF: reference congestion level, 10 ms (§4.3).
    public var xref = 0.010
    /// KAPPA: scaling of the gradual update, 0.5 (§4.3).
    public var kappa = 0.5
    /// ETA: scaling of the gradual update's rate-of-change term, 2.0 (§4.3).
    public var eta = 2.0
    /// TAU: upper bound of the RTT in the gradual update, 500 ms (§4.3).
    public var tau = 0.500
    /// DELTA: target feedback interval, 100 ms (§4.3); icelab's update interval.
    public var delta = 0.100
    /// LOGWIN: observation window of the receiver's statistics, 500 ms (§4.2).
    public var logwin = 0.500
    /// QEPS: queuing delay below which there is no queue build-up, 10 ms (§4.2).
    public var qeps = 0.010
    /// DFILT: bound on the delay of the filters, 120 ms (§4.3, ramp-up's γ).
    public var dfilt = 0.120
    /// GAMMA_MAX: largest rate increase ratio per ramp-up update, 0.5 (§4.3 eq. 3).
    public var gammaMax = 0.5
    /// QBOUND: bound on the queuing delay that ramp-up may cause, 50 ms (§4.3).
    public var qbound = 0.050
    /// MULTILOSS: a loss counts as recent for MULTILOSS × the mean loss interval, 7 (§4.2).
    public var multiloss = 7.0
    /// QTH: queuing delay above which it is warped while losses are recent, 50 ms (§4.2).
    public var qth = 0.050
    /// LAMBDA: the warping's exponent scale, 0.5 (§4.2).
    public var lambda = 0.5
    /// PLRREF: reference packet loss ratio, 0.01 (§4.2).
    public var plrref = 0.01
    /// PMRREF: reference ECN marking ratio, 0.01 (§4.2).
    public var pmrref = 0.01
    /// DLOSS: delay penalty of loss at PLRREF, 10 ms (§4.2).
    public var dloss = 0.010
    /// DMARK: delay penalty of marking at PMRREF, 2 ms (§4.2).
    public var dmark = 0.002
    /// ALPHA: smoothing of the loss and marking ratios, 0.1 (§5.1.2).
    public var alpha = 0.1
    /// FPS: frame rate the rate-shaping buffer is scaled by, 30 (§5.2.2).
    public var fps = 30.0
    /// BETA_V: how much the rate-shaping buffer lowers the encoder's rate, 0.1 (§5.2.2).
    public var betaV = 0.1
    /// BETA_S: how much the rate-shaping buffer raises the sending rate, 0.1 (§5.2.2).
    public var betaS = 0.1
    /// Length of the minimum filter over per-packet queuing delays: 15 samples (§5.1.1,
    /// and §6.2 on why it suffices).
    public var minFilterTaps = 15

    public init() {}

    /// The keys of `controller-parameters` for NADA, each with its RFC name.
    public static let keys = ["prio", "xref", "kappa", "eta", "tau", "delta", "logwin", "qeps", "dfilt", "gamma-max",
                              "qbound", "multiloss", "qth", "lambda", "plrref", "pmrref", "dloss", "dmark", "alpha",
                              "fps", "beta-v", "beta-s", "min-filter-taps"]

    /// Parameters from `controller-parameters` (keys as in `keys`, durations as `10ms`,
    /// `0.5s` or `500us`, the rest plain numbers), each checked against its range.
    public init(_ parameters: ControllerParameters) throws(ControllerParameterError) {
        for entry in parameters.entries {
            let key = entry.key, text = entry.value
            switch key {
            case "prio": prio = try ControllerParameters.number(key, text, in: 0.01...100)
            case "xref": xref = try ControllerParameters.seconds(key, text, in: 0.000_1...1)
            case "kappa": kappa = try ControllerParameters.number(key, text, in: 0.000_1...10)
            case "eta": eta = try ControllerParameters.number(key, text, in: 0...100)
            case "tau": tau = try ControllerParameters.seconds(key, text, in: 0.001...10)
            case "delta": delta = try ControllerParameters.seconds(key, text, in: 0.005...5)
            case "logwin": logwin = try ControllerParameters.seconds(key, text, in: 0.01...10)
            case "qeps": qeps = try ControllerParameters.seconds(key, text, in: 0...1)
            case "dfilt": dfilt = try ControllerParameters.seconds(key, text, in: 0...5)
            case "gamma-max": gammaMax = try ControllerParameters.number(key, text, in: 0...10)
            case "qbound": qbound = try ControllerParameters.seconds(key, text, in: 0...5)
            case "multiloss": multiloss = try ControllerParameters.number(key, text, in: 0...1000)
            case "qth": qth = try ControllerParameters.seconds(key, text, in: 0.000_1...5)
            case "lambda": lambda = try ControllerParameters.number(key, text, in: 0...100)
            case "plrref": plrref = try ControllerParameters.number(key, text, in: 0.000_1...1)
            case "pmrref": pmrref = try ControllerParameters.number(key, text, in: 0.000_1...1)
            case "dloss": dloss = try ControllerParameters.seconds(key, text, in: 0...10)
            case "dmark": dmark = try ControllerParameters.seconds(key, text, in: 0...10)
            case "alpha": alpha = try ControllerParameters.number(key, text, in: 0.000_1...1)
            case "fps": fps = try ControllerParameters.number(key, text, in: 1...240)
            case "beta-v": betaV = try ControllerParameters.number(key, text, in: 0...10)
            case "beta-s": betaS = try ControllerParameters.number(key, text, in: 0...10)
            case "min-filter-taps": minFilterTaps = Int(try ControllerParameters.number(key, text, in: 1...1000, integer: true))
            default: throw ControllerParameterError(key: key, "unknown nada parameter '\(key)' (known: \(Self.keys.joined(separator: ", ")))")
            }
        }
    }
}
