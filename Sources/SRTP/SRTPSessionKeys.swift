/// The session keys of one direction and one kind, SRTP or SRTCP (RFC 3711 §4.3):
/// encryption key, salt and, for HMAC profiles, the authentication key.
struct SRTPSessionKeys: Hashable {
    /// Which traffic the keys protect; picks the KDF labels (RFC 3711 §4.3.2).
    enum Kind { case rtp, rtcp }

    var encryptionKey: [UInt8]
    var authenticationKey: [UInt8]
    var salt: [UInt8]

    /// Derives the session keys of `kind` from `master` with the AES-CM PRF and a key
    /// derivation rate of 0 (RFC 3711 §4.3.1, §4.3.3; the rate DTLS-SRTP uses, RFC 5764
    /// §4.1.2). GCM profiles use the same PRF with their 96-bit master salt (RFC 7714
    /// §11), zero-padded to the 112 bits the PRF input has.
    init(deriving kind: Kind, from master: SRTPMasterKey) throws(SRTPError) {
        let prf = try AESContext(key: master.key, mode: .counter)
        let first: UInt8 = kind == .rtp ? 0x00 : 0x03
        let profile = master.profile
        encryptionKey = try Self.derive(prf, salt: master.salt, label: first, count: profile.keyLength)
        authenticationKey = try Self.derive(prf, salt: master.salt, label: first + 1, count: profile.authenticationKeyLength)
        salt = try Self.derive(prf, salt: master.salt, label: first + 2, count: profile.saltLength)
    }

    /// Session keys given directly, as the RFC test vectors give them.
    init(encryptionKey: [UInt8], authenticationKey: [UInt8], salt: [UInt8]) {
        self.encryptionKey = encryptionKey
        self.authenticationKey = authenticationKey
        self.salt = salt
    }

    /// `count` bytes of PRF output for `label`: the AES-CTR keystream under the master
    /// key from x = (label << 48) XOR master_salt, shifted left 16 bits (RFC 3711 §4.3.1);
    /// with a rate of 0 the index term is 0, so the label lands in byte 7.
    private static func derive(_ prf: AESContext, salt: [UInt8], label: UInt8, count: Int) throws(SRTPError) -> [UInt8] {
        guard count > 0 else { return [] }
        var iv = [UInt8](repeating: 0, count: 16)
        iv.replaceSubrange(0..<salt.count, with: salt)
        iv[7] ^= label
        var out = [UInt8](repeating: 0, count: count)
        let ok = iv.withUnsafeBufferPointer { iv in
            out.withUnsafeMutableBufferPointer { prf.applyKeystream(iv: iv.baseAddress!, to: $0.baseAddress!, count: count) }
        }
        guard ok else { throw .cryptoFailure("AES-CTR key derivation failed") }
        return out
    }
}
