/// The per-packet cryptography of one direction and one kind (SRTP or SRTCP): the session
/// keys in OpenSSL contexts and the packet layouts of RFC 3711 §3.1, §3.4 (AES-CM with
/// HMAC-SHA1) and RFC 7714 §8, §9 (AES-GCM). It knows nothing of indices' history; the
/// sender and receiver pass the index of each packet.
///
/// Works in place on the caller's buffer, with its IV and MAC in scratch memory it owns,
/// so a packet costs no allocation. Not `Sendable`.
final class SRTPTransform {
    let profile: SRTPProfile
    private let cipher: AESContext
    private let hmac: HMACSHA1?
    private let salt: [UInt8]
    private let iv = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
    private let mac = UnsafeMutablePointer<UInt8>.allocate(capacity: HMACSHA1.outputLength)

    /// `sealing`: whether this transform protects (a sender's) or unprotects (a receiver's).
    init(profile: SRTPProfile, keys: SRTPSessionKeys, sealing: Bool) throws(SRTPError) {
        self.profile = profile
        switch profile {
        case .aes128CmHmacSha1_80:
            cipher = try AESContext(key: keys.encryptionKey, mode: .counter)
            hmac = HMACSHA1(key: keys.authenticationKey)
        case .aeadAes128Gcm:
            cipher = try AESContext(key: keys.encryptionKey, mode: sealing ? .gcmSeal : .gcmOpen)
            hmac = nil
        }
        guard keys.salt.count == profile.saltLength else {
            throw .invalidMasterKey("\(profile) takes a \(profile.saltLength)-byte session salt, got \(keys.salt.count)")
        }
        salt = keys.salt
        iv.initialize(repeating: 0, count: 16)
    }

    deinit {
        iv.deallocate()
        mac.deallocate()
    }

    // MARK: SRTP

    /// Protects `packet[0..<length]` (an RTP packet whose header is `headerLength` bytes)
    /// and writes the tag after it; `packet` holds `length + profile.rtpTagLength` bytes.
    func sealRTP(_ packet: UnsafeMutableBufferPointer<UInt8>, length: Int, headerLength: Int, ssrc: UInt32, index: UInt64) -> Bool {
        let base = packet.baseAddress!
        makeIV(ssrc: ssrc, index: index)
        if let hmac {
            guard cipher.applyKeystream(iv: iv, to: base + headerLength, count: length - headerLength) else { return false }
            hmac.mac(UnsafeBufferPointer(rebasing: packet[0..<length]), rollover: UInt32(truncatingIfNeeded: index >> 16), into: mac)
            (base + length).update(from: mac, count: profile.rtpTagLength)
            return true
        }
        return cipher.seal(iv: iv, aad: UnsafeBufferPointer(rebasing: packet[0..<headerLength]), trailer: Self.none,
                           data: base + headerLength, count: length - headerLength, tag: base + length)
    }

    /// Checks and decrypts the SRTP packet that fills `packet`, tag included; false when
    /// the tag does not match (the bytes are then as they came).
    func openRTP(_ packet: UnsafeMutableBufferPointer<UInt8>, headerLength: Int, ssrc: UInt32, index: UInt64) -> Bool {
        let base = packet.baseAddress!
        let end = packet.count - profile.rtpTagLength
        makeIV(ssrc: ssrc, index: index)
        if let hmac {
            hmac.mac(UnsafeBufferPointer(rebasing: packet[0..<end]), rollover: UInt32(truncatingIfNeeded: index >> 16), into: mac)
            guard Self.equal(mac, base + end, count: profile.rtpTagLength) else { return false }
            return cipher.applyKeystream(iv: iv, to: base + headerLength, count: end - headerLength)
        }
        return cipher.open(iv: iv, aad: UnsafeBufferPointer(rebasing: packet[0..<headerLength]), trailer: Self.none,
                           data: base + headerLength, count: end - headerLength, tag: base + end)
    }

    // MARK: SRTCP

    /// Protects `packet[0..<length]` (an RTCP compound packet) with SRTCP `index`, writing
    /// the E-bit and index word and the tag after it in the profile's order: word then
    /// tag for AES-CM (RFC 3711 §3.4), tag then word for GCM (RFC 7714 §9.1). `packet`
    /// holds `length + profile.rtcpOverhead` bytes.
    func sealRTCP(_ packet: UnsafeMutableBufferPointer<UInt8>, length: Int, ssrc: UInt32, index: UInt32, encrypt: Bool) -> Bool {
        let base = packet.baseAddress!
        let word = (encrypt ? 0x8000_0000 : 0) | index
        makeIV(ssrc: ssrc, index: UInt64(index))
        if let hmac {
            if encrypt { guard cipher.applyKeystream(iv: iv, to: base + 8, count: length - 8) else { return false } }
            Self.store(word, at: base + length)
            hmac.mac(UnsafeBufferPointer(rebasing: packet[0..<length + 4]), rollover: nil, into: mac)
            (base + length + 4).update(from: mac, count: profile.rtcpTagLength)
            return true
        }
        let wordAt = length + profile.rtcpTagLength
        Self.store(word, at: base + wordAt)
        let trailer = UnsafeBufferPointer(rebasing: packet[wordAt..<wordAt + 4])
        // Without encryption the whole packet is associated data and nothing is
        // encrypted (RFC 7714 §9.3).
        let clear = encrypt ? 8 : length
        return cipher.seal(iv: iv, aad: UnsafeBufferPointer(rebasing: packet[0..<clear]), trailer: trailer,
                           data: base + clear, count: length - clear, tag: base + length)
    }

    /// Where the E-bit and SRTCP index word of a protected packet of `count` bytes starts.
    func rtcpWordOffset(count: Int) -> Int {
        profile == .aeadAes128Gcm ? count - 4 : count - profile.rtcpTagLength - 4
    }

    /// Checks and, when its E-bit says so, decrypts the SRTCP packet that fills `packet`;
    /// false when the tag does not match (the bytes are then as they came).
    func openRTCP(_ packet: UnsafeMutableBufferPointer<UInt8>, ssrc: UInt32, word: UInt32) -> Bool {
        let base = packet.baseAddress!
        let encrypted = word & 0x8000_0000 != 0
        makeIV(ssrc: ssrc, index: UInt64(word & 0x7FFF_FFFF))
        if let hmac {
            let tagAt = packet.count - profile.rtcpTagLength
            hmac.mac(UnsafeBufferPointer(rebasing: packet[0..<tagAt]), rollover: nil, into: mac)
            guard Self.equal(mac, base + tagAt, count: profile.rtcpTagLength) else { return false }
            return !encrypted || cipher.applyKeystream(iv: iv, to: base + 8, count: tagAt - 4 - 8)
        }
        let end = packet.count - 4 - profile.rtcpTagLength
        let clear = encrypted ? 8 : end
        return cipher.open(iv: iv, aad: UnsafeBufferPointer(rebasing: packet[0..<clear]),
                           trailer: UnsafeBufferPointer(rebasing: packet[(packet.count - 4)...]),
                           data: base + clear, count: end - clear, tag: base + end)
    }

    // MARK: Helpers

    private static var none: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: nil, count: 0) }

    /// The IV of a packet: the session salt XOR the SSRC XOR the index, right-aligned
    /// before the block counter. AES-CM: 16 bytes, SSRC at bytes 4-7, the 48-bit index at
    /// 8-13, the counter at 14-15 (RFC 3711 §4.1.1). GCM: 12 bytes, SSRC at 2-5, ROC and
    /// sequence number — or two zero bytes and the SRTCP index — at 6-11 (RFC 7714 §8.1,
    /// §9.1).
    private func makeIV(ssrc: UInt32, index: UInt64) {
        let n = salt.count
        salt.withUnsafeBufferPointer { iv.update(from: $0.baseAddress!, count: n) }
        (iv + n).update(repeating: 0, count: 16 - n)
        let at = n - 10
        for i in 0..<4 { iv[at + i] ^= UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * i)) }
        for i in 0..<6 { iv[at + 4 + i] ^= UInt8(truncatingIfNeeded: index >> (40 - 8 * i)) }
    }

    private static func store(_ word: UInt32, at pointer: UnsafeMutablePointer<UInt8>) {
        for i in 0..<4 { pointer[i] = UInt8(truncatingIfNeeded: word >> (24 - 8 * i)) }
    }

    /// Compares tags in time independent of where they differ.
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        var difference: UInt8 = 0
        for i in 0..<count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
