extension StringProtocol {
    /// Whether the text is one or more ASCII digits (no sign, no spaces).
    var isDigits: Bool { !isEmpty && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
}

extension FixedWidthInteger {
    /// Reads plain decimal digits; unlike `init?(_:)` it rejects signs and empty text.
    init?(digits text: some StringProtocol) {
        guard text.isDigits, let value = Self(text, radix: 10) else { return nil }
        self = value
    }
}
