/// e^x and ln x for the controllers without Foundation: the cores have no libm
/// dependency (their arithmetic stays the same on every platform, and determinism does
/// not hang on a system library's rounding).
enum CongestionMath {
    static let ln2 = 0.693_147_180_559_945_3

    /// e^x: x = k ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor series (relative error
    /// < 1e-15), times 2^k.
    static func exponential(_ x: Double) -> Double {
        guard x > -700 else { return 0 }
        guard x < 700 else { return .infinity }
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var term = 1.0, sum = 1.0
        for n in 1...20 {
            term *= r / Double(n)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }

    /// ln x for x > 0 (−∞ at 0, NaN below): x = m 2^e with m in [1/√2, √2), ln m =
    /// 2 atanh((m − 1)/(m + 1)) by its series (|s| ≤ 0.18, relative error < 1e-15, also
    /// near x = 1).
    static func logarithm(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? -.infinity : .nan }
        guard x.isFinite else { return x }
        var m = x.significand, e = x.exponent
        if m > 1.414_213_562_373_095 {
            m /= 2
            e += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var power = s, sum = 0.0
        for n in stride(from: 1, through: 39, by: 2) {
            sum += power / Double(n)
            power *= s2
        }
        return 2 * sum + Double(e) * ln2
    }
}
