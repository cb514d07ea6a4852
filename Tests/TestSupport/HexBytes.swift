extension Array where Element == UInt8 {
    /// The bytes of hex text such as a test vector's ("9bbe43…"): pairs of digits, either
    /// case, no separators. Traps on anything else: vectors are literals in tests.
    public init(hex: String) {
        self.init()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
    }
}
