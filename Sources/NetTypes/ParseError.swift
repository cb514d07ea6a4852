/// Why text could not be read as an address, endpoint or unit value.
///
/// Every case carries the offending text so that callers (scenario validation, command
/// line parsing) can show it next to a source position.
public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidIPv4Address(String)
    case invalidIPv6Address(String, reason: String)
    case invalidPrefix(String, reason: String)
    case invalidEndpoint(String, reason: String)
    case invalidQuantity(String, kind: QuantityKind, reason: String)

    public var description: String {
        switch self {
        case .invalidIPv4Address(let text):
            return "'\(text)' is not an IPv4 address (expected four decimal numbers 0-255, e.g. 192.0.2.1)"
        case .invalidIPv6Address(let text, let reason):
            return "'\(text)' is not an IPv6 address: \(reason)"
        case .invalidPrefix(let text, let reason):
            return "'\(text)' is not an address prefix: \(reason)"
        case .invalidEndpoint(let text, let reason):
            return "'\(text)' is not an endpoint: \(reason)"
        case .invalidQuantity(let text, let kind, let reason):
            return "'\(text)' is not a \(kind.rawValue): \(reason) (examples: \(kind.examples))"
        }
    }
}

/// The kinds of quantities scenario files write with units.
public enum QuantityKind: String, Sendable {
    case duration, bitrate, percentage = "percentage", byteCount = "byte count"

    /// Valid examples, shown in error messages.
    public var examples: String {
        switch self {
        case .duration: return "20ms, 1.5s, 250us, 2m"
        case .bitrate: return "2.5Mbps, 500kbps, 1Gbps, 64000bps"
        case .percentage: return "1%, 0.5%, 30%"
        case .byteCount: return "1500B, 64KB, 1.5MB, 64KiB"
        }
    }
}
