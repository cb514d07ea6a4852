import COpenSSL

/// The outcome of checking MESSAGE-INTEGRITY or FINGERPRINT on a received message.
public enum STUNCheck: Hashable, Sendable {
    case valid
    /// The message carries no such attribute.
    case missing
    /// It does, and the value is wrong (or, for FINGERPRINT, it is not the last attribute).
    case invalid
}

extension DecodedSTUNMessage {
    /// Checks MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY, against
    /// `authenticator`'s key, over the exact received prefix; compares in constant time.
    public func checkIntegrity(_ authenticator: STUNAuthenticator) -> STUNCheck {
        let algorithm: STUNIntegrityAlgorithm
        let offset: Int
        if let o = messageIntegritySHA256Offset { algorithm = .sha256; offset = o }
        else if let o = messageIntegrityOffset { algorithm = .sha1; offset = o }
        else { return .missing }
        return bytes.withUnsafeBytes { p in
            let size = Int(p.uint16(at: offset + 2))
            let lengthField = UInt16(truncatingIfNeeded: offset + 4 + size - 20)
            var expected = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            return withUnsafeMutableBytes(of: &expected) { e in
                let mac = UnsafeMutableRawBufferPointer(rebasing: e[0..<size])
                authenticator.mac(algorithm, over: p, prefix: offset, lengthField: lengthField, into: mac)
                let same = CRYPTO_memcmp(mac.baseAddress, p.baseAddress! + offset + 4, size) == 0
                return same ? .valid : .invalid
            }
        }
    }

    /// Checks FINGERPRINT: present, last, and equal to CRC-32(prefix) XOR 0x5354554e.
    public var fingerprintCheck: STUNCheck {
        guard let offset = fingerprintOffset else { return .missing }
        guard offset + 8 == bytes.count else { return .invalid }
        return bytes.withUnsafeBytes { p in
            let lengthField = UInt16(truncatingIfNeeded: offset + 8 - 20)
            return CRC32.stunFingerprint(p, prefix: offset, lengthField: lengthField) == p.uint32(at: offset + 4)
                ? .valid : .invalid
        }
    }
}
