/// The media type of an `m=` line: `audio`, `video`, `application`, or any other token.
///
/// A struct over the raw token rather than a closed enum, so that unknown media types
/// (`text`, `message`, ...) parse and serialize unchanged.
public struct MediaKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let audio = MediaKind(rawValue: "audio")
    public static let video = MediaKind(rawValue: "video")
    /// Data channels (SCTP over DTLS) and other non-RTP applications.
    public static let application = MediaKind(rawValue: "application")

    public var description: String { rawValue }
}
