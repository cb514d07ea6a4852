/// Why text could not be read as a session description or as one of its attributes.
///
/// `line` is the 1-based line number in the description, so that a bad offer from a peer
/// can be reported precisely; it is `nil` when a value was parsed on its own (for example
/// a trickled candidate string).
public struct SDPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line of the description that failed, or `nil` outside a description.
    public var line: Int?
    /// What was wrong.
    public var reason: Reason

    public init(line: Int? = nil, _ reason: Reason) {
        self.line = line
        self.reason = reason
    }

    /// The kinds of problems the parser reports.
    public enum Reason: Hashable, Sendable {
        /// The description does not start with `v=`.
        case missingVersion
        /// `v=` holds something other than `0`.
        case unsupportedVersion(String)
        /// A mandatory line (`o=`, `s=` or `t=`) is absent; the payload is its type letter.
        case missingLine(Character)
        /// A line is not of the form `<letter>=<value>`.
        case malformedLine(String)
        /// A line type that RFC 8866 does not define (parsers must reject them).
        case unknownLineType(Character)
        /// A line appears where the grammar does not allow it (wrong order or repeated).
        case misplacedLine(Character, why: String)
        /// A line of a known type whose value is malformed (`o=`, `c=`, `m=`, ...).
        case badLine(Character, value: String, why: String)
        /// A known attribute whose value is malformed (`candidate`, `fingerprint`, ...).
        case badAttribute(String, value: String, why: String)
    }

    /// Shorthand for a malformed attribute value.
    static func badAttribute(_ name: String, _ value: some StringProtocol, _ why: String) -> SDPParseError {
        SDPParseError(.badAttribute(name, value: String(value), why: why))
    }

    public var description: String {
        let place = line.map { "line \($0): " } ?? ""
        switch reason {
        case .missingVersion:
            return place + "missing v= line (a session description starts with 'v=0')"
        case .unsupportedVersion(let v):
            return place + "unsupported SDP version 'v=\(v)' (only 'v=0' exists)"
        case .missingLine(let type):
            return place + "missing mandatory \(type)= line"
        case .malformedLine(let text):
            return place + "'\(text)' is not an SDP line (expected '<letter>=<value>')"
        case .unknownLineType(let type):
            return place + "unknown line type '\(type)='"
        case .misplacedLine(let type, let why):
            return place + "\(type)= line not allowed here: \(why)"
        case .badLine(let type, let value, let why):
            return place + "bad \(type)= line '\(value)': \(why)"
        case .badAttribute(let name, let value, let why):
            return place + "bad \(name) attribute '\(value)': \(why)"
        }
    }
}
