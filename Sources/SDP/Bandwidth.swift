/// A `b=` line: a bandwidth limit such as `AS:256` (kbps) or `TIAS:256000` (bps).
public struct Bandwidth: Hashable, Sendable, CustomStringConvertible {
    /// The bandwidth type (`CT`, `AS`, `TIAS`, or an extension).
    public var type: String
    /// The limit, in the unit the type defines.
    public var value: UInt64

    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }

    init(parsing text: Substring) throws(SDPParseError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let value = UInt64(digits: parts[1]) else {
            throw SDPParseError(.badLine("b", value: String(text), why: "expected '<type>:<number>'"))
        }
        type = String(parts[0])
        self.value = value
    }

    public var description: String { "\(type):\(value)" }
}
