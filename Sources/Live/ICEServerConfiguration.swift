import Signaling
import TURN

/// The ICE servers a signaling server hands its pages at `/config`: the W3C
/// RTCConfiguration's `iceServers` (webrtc §4.2.4), STUN URLs as they are and TURN URLs
/// with short-lived TURN REST credentials (draft-uberti-behave-turn-rest-00 §2.2, the
/// scheme of `turn-server --auth-secret`), made fresh for every request.
public struct ICEServerConfiguration: Sendable, Hashable {
    /// `stun:` URLs, e.g. stun:192.0.2.1:3478.
    public var stunURLs: [String]
    /// `turn:`/`turns:` URLs, e.g. turn:192.0.2.1:3478?transport=udp.
    public var turnURLs: [String]
    /// The shared secret of `turn-server --auth-secret` (nil: TURN URLs without credentials
    /// are not served).
    public var turnSecret: String?
    /// Seconds a credential stays valid.
    public var credentialTTL: Int64
    /// The user the usernames name (the TURN server's per-user quotas count it).
    public var user: String?

    public init(stunURLs: [String] = [], turnURLs: [String] = [], turnSecret: String? = nil, credentialTTL: Int64 = 3_600, user: String? = nil) {
        self.stunURLs = stunURLs
        self.turnURLs = turnURLs
        self.turnSecret = turnSecret
        self.credentialTTL = credentialTTL
        self.user = user
    }

    /// `{"iceServers":[…]}` at `unixSeconds`: one entry for the STUN URLs, one for the TURN
    /// URLs with a username expiring `credentialTTL` later and its HMAC password.
    public func json(atUnixTime unixSeconds: Int64) -> String {
        var servers: [JSONLine.Value] = []
        if !stunURLs.isEmpty { servers.append(.object([.init("urls", .array(stunURLs.map(JSONLine.Value.string)))])) }
        if !turnURLs.isEmpty, let turnSecret {
            let credential = TURNRESTCredential(expiry: unixSeconds + credentialTTL, user: user)
            servers.append(.object([.init("urls", .array(turnURLs.map(JSONLine.Value.string))), .init("username", .string(credential.username)),
                                    .init("credential", .string(credential.password(secret: turnSecret)))]))
        }
        return JSONLine.encode([.init("iceServers", .array(servers))])
    }
}
