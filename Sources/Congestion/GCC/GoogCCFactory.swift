extension ControllerFactory {
    /// GCC takes its rates from the flow (`start-rate`, `min-rate`, `max-rate`) and its
    /// tunables from `controller-parameters` (`GoogCCParameters.keys`, libwebrtc's defaults).
    public static let gcc = ControllerFactory(
        name: "gcc", summary: "Google Congestion Control (draft-ietf-rmcat-gcc-02, libwebrtc GoogCC)", parameterKeys: GoogCCParameters.keys
    ) { parameters throws(ControllerParameterError) in .gcc(try GoogCCParameters(parameters)) }
}

extension ControllerRecipe {
    /// GoogCC with libwebrtc's defaults and the flow's rates.
    public static let gcc = ControllerRecipe.gcc(GoogCCParameters())

    /// GoogCC with `parameters` and the flow's rates.
    public static func gcc(_ parameters: GoogCCParameters) -> ControllerRecipe {
        ControllerRecipe(name: "gcc") { rates in
            var configuration = GoogCCController.Configuration()
            configuration.startRate = rates.start
            configuration.minRate = rates.min
            configuration.maxRate = rates.max
            configuration.parameters = parameters
            return AnyCongestionController(GoogCCController(configuration: configuration))
        }
    }
}
