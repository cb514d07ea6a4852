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
        return String(decoding: Self.hex(Self.bigEndianBytes(stamp)) + tag(stamp, client), as: UTF8.self)
    }

    enum Check { case valid, stale, invalid }

    /// Whether `nonce` was issued to `client` by this server and is younger than `lifetime`.
    func check(_ nonce: String, for client: Endpoint, now: Instant) -> Check {
        let utf8 = Array(nonce.utf8)
        guard utf8.count == 48, let stamp = UInt64(String(decoding: utf8[0..<16], as: UTF8.self), radix: 16),
              utf8[16...].elementsEqual(tag(stamp, client)) else { return .invalid }
        let issued = Instant(nanoseconds: Int64(bitPattern: stamp))
        return issued <= now && now - issued < lifetime ? .valid : .stale
    }

    /// The MAC part of a nonce: 32 hex digits (UTF-8) of the truncated HMAC.
    private func tag(_ stamp: UInt64, _ client: Endpoint) -> [UInt8] {
        var input = Self.bigEndianBytes(stamp)
        input += client.address.bytes
        input += [UInt8(client.port >> 8), UInt8(client.port & 0xFF)]
        return Self.hex(authenticator.mac(of: input).prefix(16))
    }

    private static func bigEndianBytes(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex digits (UTF-8) of `bytes`, two per byte.
    private static func hex(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2 * bytes.count)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return out
    }
}
