import NetTypes
import STUN

/// Stateless nonces of the long-term credential mechanism (RFC 8489 §9.2).
///
/// A nonce is the issue time (16 hex digits of nanoseconds) followed by 32 hex digits of
/// HMAC-SHA256(secret, time ‖ client transport address). The server keeps no table: it
/// recomputes the MAC to check that it issued the nonce to this client, and the time to
/// tell whether it is stale. Every authenticated request checks one, so both directions
/// work in fixed buffers.
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
        return String(unsafeUninitializedCapacity: 48) { out in
            Self.writeHex(stamp, into: UnsafeMutableBufferPointer(rebasing: out[0..<16]))
            writeTag(stamp, client, into: UnsafeMutableBufferPointer(rebasing: out[16..<48]))
            return 48
        }
    }

    enum Check { case valid, stale, invalid }

    /// Whether `nonce` was issued to `client` by this server and is younger than `lifetime`.
    func check(_ nonce: String, for client: Endpoint, now: Instant) -> Check {
        var nonce = nonce
        return nonce.withUTF8 { utf8 in
            guard utf8.count == 48, let stamp = Self.parseHex(UnsafeBufferPointer(rebasing: utf8[0..<16])) else { return .invalid }
            let genuine = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { tag in
                writeTag(stamp, client, into: tag)
                return tag.elementsEqual(utf8[16..<48])
            }
            guard genuine else { return .invalid }
            let issued = Instant(nanoseconds: Int64(bitPattern: stamp))
            return issued <= now && now - issued < lifetime ? .valid : .stale
        }
    }

    /// The MAC part of a nonce: 32 lower-case hex digits of the HMAC truncated to 16 bytes,
    /// written to `out` (32 bytes).
    private func writeTag(_ stamp: UInt64, _ client: Endpoint, into out: UnsafeMutableBufferPointer<UInt8>) {
        // time ‖ address ‖ port: at most 8 + 16 + 2 bytes; the MAC needs 32.
        var input = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var mac = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &input) { input in
            var count = 0
            func put<T: FixedWidthInteger>(_ value: T) {
                Swift.withUnsafeBytes(of: value.bigEndian) { input.baseAddress!.advanced(by: count).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                count += MemoryLayout<T>.size
            }
            put(stamp)
            switch client.address {
            case .v4(let a): put(a.value)
            case .v6(let a): put(a.high); put(a.low)
            }
            put(client.port)
            withUnsafeMutableBytes(of: &mac) { mac in
                _ = authenticator.mac(of: UnsafeRawBufferPointer(rebasing: input[0..<count]), algorithm: .sha256, into: mac)
                for i in 0..<16 {
                    out[2 * i] = Self.digits[Int(mac[i] >> 4)]
                    out[2 * i + 1] = Self.digits[Int(mac[i] & 0xF)]
                }
            }
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Writes `value` as 16 lower-case hex digits to `out`.
    private static func writeHex(_ value: UInt64, into out: UnsafeMutableBufferPointer<UInt8>) {
        for i in 0..<16 { out[i] = digits[Int(value >> (60 - 4 * UInt64(i)) & 0xF)] }
    }

    /// The value of 16 hex digits (either case), or nil.
    private static func parseHex(_ text: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for byte in text {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}
