/// `a=msid` (RFC 8830): the media stream and track a section's media belongs to.
public struct MSID: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "msid"

    /// The stream id; `-` means no stream.
    public var streamID: String
    /// The optional track id ("appdata").
    public var trackID: String?

    public init(streamID: String, trackID: String? = nil) {
        self.streamID = streamID
        self.trackID = trackID
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        let fields = value.fields
        guard (1...2).contains(fields.count) else { throw Self.bad(value, "expected '<stream id> [<track id>]'") }
        self.init(streamID: String(fields[0]), trackID: fields.count == 2 ? String(fields[1]) : nil)
    }

    public var attributeValue: String { trackID.map { "\(streamID) \($0)" } ?? streamID }
}
