extension STUNMessage {
    /// The message on the wire with MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT appended in
    /// one pass: `attributes` must not already hold them. Each is computed over the bytes
    /// before it, with the header length field covering up to and including itself
    /// (RFC 8489 §14.5-14.7). No integrity when `authenticator` is nil.
    public func encoded(
        authenticator: STUNAuthenticator?, integrity: STUNIntegrityAlgorithm = .sha1, fingerprint: Bool = true,
        paddingByte: UInt8 = 0
    ) -> [UInt8] {
        var out = encodedBody(paddingByte: paddingByte, reserving: 44)
        if let authenticator {
            let prefix = out.count
            let size = integrity.macSize
            out.appendUInt16(integrity.attributeType.rawValue)
            out.appendUInt16(UInt16(size))
            out.append(contentsOf: repeatElement(0, count: size))
            let lengthField = UInt16(truncatingIfNeeded: out.count - 20)
            out.withUnsafeMutableBytes { buffer in
                authenticator.mac(
                    integrity, over: UnsafeRawBufferPointer(buffer), prefix: prefix, lengthField: lengthField,
                    into: UnsafeMutableRawBufferPointer(rebasing: buffer[prefix + 4..<prefix + 4 + size]))
            }
        }
        if fingerprint {
            let prefix = out.count
            let lengthField = UInt16(truncatingIfNeeded: prefix + 8 - 20)
            let crc = out.withUnsafeBytes { CRC32.stunFingerprint($0, prefix: prefix, lengthField: lengthField) }
            out.appendUInt16(STUNAttributeType.fingerprint.rawValue)
            out.appendUInt16(4)
            out.appendUInt32(crc)
        }
        out.setUInt16(UInt16(truncatingIfNeeded: out.count - 20), at: 2)
        return out
    }
}
