/// Small helpers that print numbers the way scenario files write them.
enum UnitFormatting {
    /// `value` with at most three decimals and no trailing zeros (`1.5`, `2`, `0.125`).
    static func trimmed(_ value: Double) -> String {
        let scaled = (value * 1000).rounded()
        let integer = Int64(scaled / 1000)
        var fraction = Int64(abs(scaled.truncatingRemainder(dividingBy: 1000)))
        let sign = value < 0 && integer == 0 && fraction != 0 ? "-" : ""
        if fraction == 0 { return "\(sign)\(integer)" }
        var digits = 3
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        var text = String(fraction)
        while text.count < digits { text = "0" + text }
        return "\(sign)\(integer).\(text)"
    }
}
