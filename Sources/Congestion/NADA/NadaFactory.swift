extension ControllerFactory {
    /// NADA (RFC 8698): RMIN, RMAX and the start rate from the flow, its tunables from
    /// `controller-parameters` (`NadaParameters.keys`).
    public static let nada = ControllerFactory(
        name: "nada", summary: "Network-Assisted Dynamic Adaptation (RFC 8698)", parameterKeys: NadaParameters.keys
    ) { parameters throws(ControllerParameterError) in .nada(try NadaParameters(parameters)) }
}

extension ControllerRecipe {
    /// NADA with `parameters` and the flow's rates as r_ref's start, RMIN and RMAX.
    public static func nada(_ parameters: NadaParameters = NadaParameters()) -> ControllerRecipe {
        // Per-packet delays, losses and marks are NADA's whole input (RFC 8698 §4.2).
        ControllerRecipe(name: "nada", needsPerPacketFeedback: true) { rates in AnyCongestionController(NadaController(rates: rates, parameters: parameters)) }
    }
}
