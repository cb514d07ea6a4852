extension ControllerFactory {
    /// GCC takes its rates from the flow (`start-rate`, `min-rate`, `max-rate`) and no
    /// controller-specific parameters.
    public static let gcc = ControllerFactory(
        name: "gcc", summary: "Google Congestion Control (draft-ietf-rmcat-gcc-02, libwebrtc GoogCC)", parameterKeys: []
    ) { _ throws(ControllerParameterError) in .gcc }
}

extension ControllerRecipe {
    /// GoogCC with the flow's rates.
    public static let gcc = ControllerRecipe(name: "gcc") { rates in
        var configuration = GoogCCController.Configuration()
        configuration.startRate = rates.start
        configuration.minRate = rates.min
        configuration.maxRate = rates.max
        return AnyCongestionController(GoogCCController(configuration: configuration))
    }
}
