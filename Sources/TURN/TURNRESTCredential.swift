import STUN
import NetTypes

/// Time-limited TURN credentials derived from a shared secret, as the TURN REST API
/// proposes (draft-uberti-behave-turn-rest-00 §2.2) and coturn's `use-auth-secret` serves:
/// the username is `EXPIRY[:USER]` (EXPIRY in seconds since the Unix epoch), the password
/// is `base64(HMAC-SHA1(secret, username))`. A web service that knows the secret hands such
/// a pair to a browser; the TURN server needs no user table, only the secret(s).
public struct TURNRESTCredential: Hashable, Sendable {
    /// The long-term username: `EXPIRY[:USER]`.
    public let username: String
    /// The Unix time (seconds) after which the username is refused.
    public let expiry: Int64
    /// The part quotas count against: USER after the first colon, else the whole username.
    public let quotaUser: String

    /// Parses a REST username; nil when it does not start with a decimal Unix time.
    public init?(username: String) {
        let parts = username.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, first.count <= 19, first.allSatisfy({ $0.isASCII && $0.isNumber }),
              let expiry = Int64(first) else { return nil }
        self.username = username
        self.expiry = expiry
        quotaUser = parts.count == 2 && !parts[1].isEmpty ? String(parts[1]) : username
    }

    /// The username valid until `expiry` for `user` (none: the expiry alone).
    public init(expiry: Int64, user: String?) {
        let name = user.map { "\(expiry):\($0)" } ?? "\(expiry)"
        self = TURNRESTCredential(username: name)!
    }

    /// The password of this username under `secret`: base64 of HMAC-SHA1(secret, username).
    public func password(secret: String) -> String {
        let mac = STUNAuthenticator(key: STUNKey(bytes: Array(secret.utf8))).mac(of: Array(username.utf8), algorithm: .sha1)
        return Base64.encode(mac)
    }

    /// Whether the username is still valid at Unix time `unixSeconds`.
    public func isValid(atUnixTime unixSeconds: Int64) -> Bool { unixSeconds < expiry }
}
