/// A session description (RFC 8866): session-level lines followed by media sections.
///
/// `init(parsing:)` reads SDP text and `serialized()` writes it back with CRLF line ends;
/// for well-formed input the two are inverse byte for byte, because every attribute is
/// kept in order as written. Typed attribute views come from `AttributeContainer`.
/// Only `v=0` exists, so the version is implicit.
public struct SessionDescription: Hashable, Sendable, AttributeContainer {
    public var origin: Origin
    /// The `s=` line; WebRTC writes `-`.
    public var sessionName: String
    public var information: String?
    public var uri: String?
    public var emails: [String]
    public var phones: [String]
    public var connection: ConnectionData?
    public var bandwidths: [Bandwidth]
    /// One or more `t=` lines, each with its `r=` lines.
    public var timings: [Timing]
    /// The `z=` line, as written.
    public var timeZones: String?
    /// The obsolete `k=` line, kept for lossless round trips.
    public var encryptionKey: String?
    /// Session-level `a=` lines, in order.
    public var attributes: [Attribute]
    public var media: [MediaDescription]

    public init(origin: Origin, sessionName: String = "-", information: String? = nil, uri: String? = nil,
                emails: [String] = [], phones: [String] = [], connection: ConnectionData? = nil,
                bandwidths: [Bandwidth] = [], timings: [Timing] = [Timing()], timeZones: String? = nil,
                encryptionKey: String? = nil, attributes: [Attribute] = [], media: [MediaDescription] = []) {
        self.origin = origin
        self.sessionName = sessionName
        self.information = information
        self.uri = uri
        self.emails = emails
        self.phones = phones
        self.connection = connection
        self.bandwidths = bandwidths
        self.timings = timings
        self.timeZones = timeZones
        self.encryptionKey = encryptionKey
        self.attributes = attributes
        self.media = media
    }
}
