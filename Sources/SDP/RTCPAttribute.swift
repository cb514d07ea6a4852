/// `a=rtcp` (RFC 3605): the RTCP port, and optionally address, when not RTP port + 1.
public struct RTCPAttribute: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "rtcp"

    public var port: UInt16
    public var connection: ConnectionData?

    public init(port: UInt16, connection: ConnectionData? = nil) {
        self.port = port
        self.connection = connection
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        let parts = value.split(separator: " ", maxSplits: 1)
        guard let first = parts.first, let port = UInt16(digits: first) else {
            throw Self.bad(value, "expected '<port> [IN IP4|IP6 <address>]'")
        }
        var connection: ConnectionData?
        if parts.count == 2 {
            do {
                connection = try ConnectionData(parsing: parts[1], type: "a")
            } catch {
                throw Self.bad(value, "expected '<port> [IN IP4|IP6 <address>]'")
            }
        }
        self.init(port: port, connection: connection)
    }

    public var attributeValue: String { connection.map { "\(port) \($0)" } ?? "\(port)" }
}
