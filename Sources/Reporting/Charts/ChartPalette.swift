/// Colours of charts, safe for colour-blind readers.
///
/// Series use the Okabe–Ito palette (without black, which vanishes in dark mode), ordered
/// so that the first colours differ most; heat-map cells use viridis, which is
/// perceptually uniform and reads the same to the common forms of colour blindness and in
/// greyscale print.
public enum ChartPalette {
    /// Okabe–Ito: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow.
    public static let series = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442"]

    /// The colour of series `index` (repeating after seven; `dashed` tells the repeats apart).
    public static func color(_ index: Int) -> String { series[index % series.count] }

    /// Whether series `index` is drawn dashed (the second round of colours).
    public static func dashed(_ index: Int) -> Bool { (index / series.count) % 2 == 1 }

    /// Viridis stops from 0 to 1.
    static let viridis: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]

    /// The viridis colour of `fraction` (clamped to 0...1) as `#rrggbb`.
    public static func heat(_ fraction: Double) -> String {
        let f = min(max(fraction.isFinite ? fraction : 0, 0), 1) * Double(viridis.count - 1)
        let index = min(Int(f), viridis.count - 2), t = f - Double(index)
        let (a, b) = (viridis[index], viridis[index + 1])
        return hex(a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t)
    }

    /// Black or white, whichever reads better on heat colour `fraction`.
    public static func textOnHeat(_ fraction: Double) -> String { fraction >= 0.55 ? "#000000" : "#FFFFFF" }

    static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
        let digits = Array("0123456789ABCDEF")
        var text = "#"
        for component in [r, g, b] {
            let v = min(max(Int(component.rounded()), 0), 255)
            text.append(digits[v / 16])
            text.append(digits[v % 16])
        }
        return text
    }
}
