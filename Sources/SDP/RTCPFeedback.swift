/// `a=rtcp-fb` (RFC 4585 4.2): an RTCP feedback message a payload type supports,
/// e.g. `96 nack pli`, `111 transport-cc`, `* ccm fir`.
public struct RTCPFeedback: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "rtcp-fb"

    /// A payload type, or `*` for all.
    public var payloadType: String
    /// The feedback type, e.g. `nack`, `ccm`, `goog-remb`, `transport-cc`.
    public var type: String
    /// The parameter after the type, e.g. `pli` or `fir`.
    public var parameter: String?

    public init(payloadType: String, type: String, parameter: String? = nil) {
        self.payloadType = payloadType
        self.type = type
        self.parameter = parameter
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        let fields = value.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, fields[0] == "*" || UInt8(digits: fields[0]).map({ $0 < 128 }) == true else {
            throw Self.bad(value, "expected '<payload type or *> <type> [<parameter>]'")
        }
        self.init(payloadType: String(fields[0]), type: String(fields[1]),
                  parameter: fields.count == 3 ? String(fields[2]) : nil)
    }

    /// The type and parameter, e.g. `nack pli`: what a codec supports, independent of payload type.
    public var feedback: String { parameter.map { "\(type) \($0)" } ?? type }

    public var attributeValue: String { "\(payloadType) \(feedback)" }
}
