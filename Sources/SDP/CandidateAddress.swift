import NetTypes

/// The connection address of a candidate: an IP address, or a name kept as written.
///
/// Browsers hide host addresses behind mDNS names (`<uuid>.local`, RFC 8839 5.1); those
/// and other FQDNs stay strings because resolving them is not the parser's job.
public enum CandidateAddress: Hashable, Sendable, CustomStringConvertible {
    case ip(IPAddress)
    case hostname(String)

    /// Reads an IP address, or else a host name of letters, digits, `-`, `_` and `.`.
    init?(parsing text: Substring) {
        if let ip = try? IPAddress(parsing: text) {
            self = .ip(ip)
            return
        }
        let allowed = text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }
        guard allowed, !text.isEmpty, !text.contains(":") else { return nil }
        self = .hostname(String(text))
    }

    /// The IP address, when the candidate carries one.
    public var ipAddress: IPAddress? {
        if case .ip(let ip) = self { return ip }
        return nil
    }

    /// Whether this is an mDNS name (ends in `.local`) hiding a host address.
    public var isMulticastDNSName: Bool {
        if case .hostname(let name) = self { return name.lowercased().hasSuffix(".local") }
        return false
    }

    public var description: String {
        switch self {
        case .ip(let ip): return ip.description
        case .hostname(let name): return name
        }
    }
}
