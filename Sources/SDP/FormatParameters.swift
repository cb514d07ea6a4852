/// `a=fmtp`: format-specific parameters, e.g. `111 minptime=10;useinbandfec=1`.
///
/// The parameter text is kept as written (its syntax belongs to each codec); `parameters`
/// and `parameter(_:)` read the common `key=value;key=value` form.
public struct FormatParameters: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "fmtp"

    /// The format (an RTP payload type, or e.g. `webrtc-datachannel`).
    public var format: String
    /// The parameter text after the format.
    public var text: String

    public init(format: String, text: String) {
        self.format = format
        self.text = text
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        guard let space = value.firstIndex(of: " "), space > value.startIndex else {
            throw Self.bad(value, "expected '<format> <parameters>'")
        }
        self.init(format: String(value[..<space]), text: String(value[value.index(after: space)...]))
    }

    /// The `;`-separated parameters as name/value pairs (a part without `=` has value `""`).
    public var parameters: [(name: String, value: String)] {
        text.split(separator: ";").map { part in
            let trimmed = part.drop { $0 == " " }
            let kv = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(kv[0]), kv.count == 2 ? String(kv[1]) : "")
        }
    }

    /// The value of a parameter, matching its name case-insensitively.
    public func parameter(_ name: String) -> String? {
        let wanted = name.lowercased()
        return parameters.first { $0.name.lowercased() == wanted }?.value
    }

    public var attributeValue: String { "\(format) \(text)" }
}
