import Results

/// How a sweep's runs are arranged in the NAT traversal matrix, derived from the swept
/// parameters (`run_parameters`), `seed` excluded and only parameters with more than one
/// value counted:
/// - two parameters: rows and columns (`home.mapping` × `mobile.mapping`);
/// - one: a single row with a column per value;
/// - more: the last two are rows and columns and each combination of the others gets
///   its own panel;
/// - a parameter that decides whether TURN is available (`ice-servers`, `policy`, or one
///   whose values name TURN or relay) always separates panels, never an axis, so that
///   success with and without TURN is shown side by side.
public struct SweepLayout: Sendable, Equatable {
    public var panelParameters: [String]
    public var rowParameter: String?
    public var columnParameter: String?
    /// Each varying parameter's values in sweep order.
    public var values: [String: [String]]

    public init(runs: [StoredRunSummary]) {
        var names: [String] = []
        var values: [String: [String]] = [:]
        for run in runs {
            for parameter in run.parameters where parameter.name != "seed" {
                if values[parameter.name] == nil { names.append(parameter.name) }
                if !(values[parameter.name]?.contains(parameter.value) ?? false) { values[parameter.name, default: []].append(parameter.value) }
            }
        }
        let varying = names.filter { (values[$0]?.count ?? 0) > 1 }
        let relay = varying.filter { SweepLayout.decidesRelay($0, values: values[$0] ?? []) }
        let axes = varying.filter { !relay.contains($0) }
        columnParameter = axes.last
        rowParameter = axes.count >= 2 ? axes[axes.count - 2] : nil
        panelParameters = relay + axes.dropLast(2)
        self.values = values.filter { varying.contains($0.key) }
    }

    /// Whether parameter `name` switches TURN relays on or off.
    static func decidesRelay(_ name: String, values: [String]) -> Bool {
        let lowered = name.lowercased()
        if ["turn", "ice-servers", "policy", "relay"].contains(where: lowered.contains) { return true }
        return values.contains { $0.lowercased().contains("turn") || $0.lowercased().contains("relay") }
    }

    /// The parameters that vary, panels first, then rows and columns.
    public var varying: [String] { panelParameters + [rowParameter, columnParameter].compactMap { $0 } }

    /// The panel `run` belongs to, as `name=value` pairs (empty with a single panel).
    public func panel(of run: StoredRunSummary) -> String {
        panelParameters.map { "\($0)=\(run.value(of: $0) ?? "–")" }.joined(separator: " ")
    }

    /// Every panel in sweep order (`[""]` when there is one).
    public func panels(of runs: [StoredRunSummary]) -> [String] {
        var seen: Set<String> = [], panels: [String] = []
        for run in runs where seen.insert(panel(of: run)).inserted { panels.append(panel(of: run)) }
        return panels.isEmpty ? [""] : panels
    }

    /// The run's sweep point without its seed (`home.mapping=symmetric mobile.mapping=...`):
    /// the group it is compared in.
    public func point(of run: StoredRunSummary) -> String {
        varying.map { "\($0)=\(run.value(of: $0) ?? "–")" }.joined(separator: " ")
    }
}
