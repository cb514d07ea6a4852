import NetTypes
import STUN

/// Stateless nonces of the long-term credential mechanism (RFC 8489 §9.2).
///
/// A nonce is the issue time (16 hex digits of nanoseconds) followed by 32 hex digits of
/// HMAC-SHA256(secret, time ‖ client transport address). The server keeps no table: it
/// recomputes the MAC to check that it issued the nonce to this client, and the time to
/// tell whether it is stale.
struct TURNNonce {
    private let authenticator: STUNAuthenticator
    let lifetime: Duration

    init(secret: [UInt8], lifetime: Duration) {
        authenticator = STUNAuthenticator(key: STUNKey(bytes: secret))
        self.lifetime = lifetime
    }

    /// A fresh nonce for `client`.
    func issue(for client: Endpoint, now: Instant) -> String {
        let stamp = UInt64(bitPattern: now.nanoseconds)
        return hex64(stamp) + tag(stamp, client)
    }

    enum Check { case valid, stale, invalid }

    /// Whether `nonce` was issued to `client` by this server and is younger than `lifetime`.
    func check(_ nonce: String, for client: Endpoint, now: Instant) -> Check {
        let utf8 = Array(nonce.utf8)
        guard utf8.count == 48, let stamp = UInt64(String(decoding: utf8[0..<16], as: UTF8.self), radix: 16),
              String(decoding: utf8[16...], as: UTF8.self) == tag(stamp, client) else { return .invalid }
        let issued = Instant(nanoseconds: Int64(bitPattern: stamp))
        return issued <= now && now - issued < lifetime ? .valid : .stale
    }

    private func tag(_ stamp: UInt64, _ client: Endpoint) -> String {
        var input = (0..<8).map { UInt8(truncatingIfNeeded: stamp >> (56 - 8 * UInt64($0))) }
        input += client.address.bytes
        input += [UInt8(client.port >> 8), UInt8(client.port & 0xFF)]
        return authenticator.mac(of: input).prefix(16).map(hexByte).joined()
    }

    private func hex64(_ v: UInt64) -> String {
        (0..<8).map { hexByte(UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0)))) }.joined()
    }

    private func hexByte(_ b: UInt8) -> String { (b < 16 ? "0" : "") + String(b, radix: 16) }
}
