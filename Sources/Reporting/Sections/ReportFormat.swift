/// How figures read in tables and cells: percentages with one decimal, times in ms
/// (seconds from 10 s), bitrates in kbit/s or Mbit/s, and a dash for "no data".
public enum ReportFormat {
    public static let none = "–"

    /// `0.8333` → `83.3%`.
    public static func percent(_ fraction: Double?) -> String {
        fraction.map { TickLabel.fixed($0 * 100, decimals: 1) + "%" } ?? none
    }

    /// `240` → `240 ms`, `12500` → `12.5 s`.
    public static func milliseconds(_ value: Double?) -> String {
        guard let value else { return none }
        return value >= 10_000 ? TickLabel.fixed(value / 1000, decimals: 1) + " s" : TickLabel.fixed(value, decimals: 0) + " ms"
    }

    /// A signed difference with its unit: `+12 ms`, `-3.5 pp`.
    public static func delta(_ value: Double?, unit: String, decimals: Int) -> String {
        guard let value else { return none }
        let text = TickLabel.fixed(value, decimals: decimals)
        return (value > 0 && !text.hasPrefix("-") ? "+" : "") + text + " " + unit
    }

    /// `2500000` → `2.50 Mbit/s`.
    public static func bitrate(_ bps: Double?) -> String {
        guard let bps else { return none }
        if bps >= 1e6 { return TickLabel.fixed(bps / 1e6, decimals: 2) + " Mbit/s" }
        return TickLabel.fixed(bps / 1e3, decimals: 0) + " kbit/s"
    }

    /// A run's parameters without its seed: `home.mapping=symmetric mobile.mapping=...`.
    public static func parameters(_ parameters: [(name: String, value: String)]) -> String {
        let text = parameters.filter { $0.name != "seed" }.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        return text.isEmpty ? "(no parameters)" : text
    }
}
