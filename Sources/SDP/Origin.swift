/// The `o=` line: who created the session and which version of it this is (RFC 8866 5.2).
///
/// Session id and version are kept as the digit strings written, so that values with any
/// number of digits round-trip; `init(sessionID:sessionVersion:)` builds them from numbers.
public struct Origin: Hashable, Sendable, CustomStringConvertible {
    public var username: String
    public var sessionID: String
    public var sessionVersion: String
    public var networkType: String
    public var addressType: String
    public var unicastAddress: String

    public init(username: String = "-", sessionID: UInt64, sessionVersion: UInt64,
                networkType: String = "IN", addressType: String = "IP4", unicastAddress: String = "127.0.0.1") {
        self.username = username
        self.sessionID = String(sessionID)
        self.sessionVersion = String(sessionVersion)
        self.networkType = networkType
        self.addressType = addressType
        self.unicastAddress = unicastAddress
    }

    /// Parses the value of an `o=` line.
    init(parsing value: Substring) throws(SDPParseError) {
        let fields = value.fields
        guard fields.count == 6 else { throw Self.bad(value, "expected 6 fields, found \(fields.count)") }
        guard fields[1].isDigits, fields[2].isDigits else { throw Self.bad(value, "session id and version must be numbers") }
        username = String(fields[0])
        sessionID = String(fields[1])
        sessionVersion = String(fields[2])
        networkType = String(fields[3])
        addressType = String(fields[4])
        unicastAddress = String(fields[5])
    }

    private static func bad(_ value: Substring, _ why: String) -> SDPParseError {
        SDPParseError(.badLine("o", value: String(value), why: why))
    }

    public var description: String {
        "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(unicastAddress)"
    }
}
