/// The `d` attribute of SVG paths through pixel points.
public enum PathData {
    /// Straight segments through `points` (`M x y L x y ...`); empty without points.
    public static func line(_ points: [(x: Double, y: Double)]) -> String {
        var d = ""
        for (index, point) in points.enumerated() {
            d += index == 0 ? "M" : " L"
            d += SVGNumber.format(point.x) + " " + SVGNumber.format(point.y)
        }
        return d
    }

    /// A staircase through `points` that holds each y until the next x, as an empirical
    /// CDF is drawn (`M x0 y0 H x1 V y1 ...`).
    public static func steps(_ points: [(x: Double, y: Double)]) -> String {
        var d = ""
        for (index, point) in points.enumerated() {
            if index == 0 {
                d += "M" + SVGNumber.format(point.x) + " " + SVGNumber.format(point.y)
            } else {
                d += " H" + SVGNumber.format(point.x) + " V" + SVGNumber.format(point.y)
            }
        }
        return d
    }
}
