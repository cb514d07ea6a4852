import COpenSSL

/// An AES-128 key schedule in one OpenSSL cipher context, made once per session key and
/// kept for the life of a sender or receiver: a packet only sets its IV, so protecting
/// one allocates no OpenSSL state. Not `Sendable`: each sender and receiver owns its own.
final class AESContext {
    /// What the context computes.
    enum Mode {
        /// AES-CTR: the SRTP keystream (RFC 3711 §4.1.1) and the key derivation PRF (§4.3.3).
        case counter
        /// AES-GCM encryption and tagging (RFC 7714 §7.1).
        case gcmSeal
        /// AES-GCM decryption and tag check (RFC 7714 §7.2).
        case gcmOpen
    }

    /// Bytes of a GCM tag (RFC 7714 §14.2: 16 for AEAD_AES_128_GCM).
    static let gcmTagLength = 16

    private let context: OpaquePointer

    init(key: [UInt8], mode: Mode) throws(SRTPError) {
        guard key.count == 16 else { throw .invalidMasterKey("AES-128 takes a 16-byte key, got \(key.count)") }
        guard let context = EVP_CIPHER_CTX_new() else { throw .cryptoFailure("EVP_CIPHER_CTX_new failed") }
        let cipher = mode == .counter ? EVP_aes_128_ctr() : EVP_aes_128_gcm()
        let set = key.withUnsafeBufferPointer { key in
            mode == .gcmOpen ? EVP_DecryptInit_ex(context, cipher, nil, key.baseAddress, nil)
                : EVP_EncryptInit_ex(context, cipher, nil, key.baseAddress, nil)
        }
        guard set == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw .cryptoFailure("cannot set the AES-128 key")
        }
        self.context = context
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// XORs `count` bytes at `data` in place with the AES-CTR keystream starting at the
    /// 16-byte counter block `iv`.
    func applyKeystream(iv: UnsafePointer<UInt8>, to data: UnsafeMutablePointer<UInt8>, count: Int) -> Bool {
        EVP_EncryptInit_ex(context, nil, nil, nil, iv) == 1 && update(data, from: data, count: count, encrypting: true)
    }

    /// GCM-encrypts `count` bytes at `data` in place under the 12-byte `iv`, authenticating
    /// `aad` and then `trailer` as associated data, and writes the 16-byte tag to `tag`.
    func seal(iv: UnsafePointer<UInt8>, aad: UnsafeBufferPointer<UInt8>, trailer: UnsafeBufferPointer<UInt8>,
              data: UnsafeMutablePointer<UInt8>, count: Int, tag: UnsafeMutablePointer<UInt8>) -> Bool {
        var written: Int32 = 0
        return start(iv: iv, aad: aad, trailer: trailer, encrypting: true)
            && update(data, from: data, count: count, encrypting: true)
            && EVP_EncryptFinal_ex(context, data + count, &written) == 1
            && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(Self.gcmTagLength), tag) == 1
    }

    /// GCM-decrypts `count` bytes at `data` in place and checks `tag`; false when the tag
    /// does not match, in which case `data` is restored to the ciphertext it was.
    func open(iv: UnsafePointer<UInt8>, aad: UnsafeBufferPointer<UInt8>, trailer: UnsafeBufferPointer<UInt8>,
              data: UnsafeMutablePointer<UInt8>, count: Int, tag: UnsafePointer<UInt8>) -> Bool {
        guard start(iv: iv, aad: aad, trailer: trailer, encrypting: false),
              update(data, from: data, count: count, encrypting: false),
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(Self.gcmTagLength), UnsafeMutableRawPointer(mutating: tag)) == 1
        else { return false }
        var written: Int32 = 0
        if EVP_DecryptFinal_ex(context, data + count, &written) > 0 { return true }
        // GCM decryption is the counter-mode keystream XOR: running it again over the
        // bytes gives back the ciphertext, so a refused packet leaves the caller's buffer
        // as it came.
        if EVP_DecryptInit_ex(context, nil, nil, nil, iv) == 1 {
            _ = update(data, from: data, count: count, encrypting: false)
        }
        return false
    }

    /// Sets the IV of a GCM operation and feeds its associated data, `aad` then `trailer`.
    private func start(iv: UnsafePointer<UInt8>, aad: UnsafeBufferPointer<UInt8>, trailer: UnsafeBufferPointer<UInt8>,
                       encrypting: Bool) -> Bool {
        let set = encrypting ? EVP_EncryptInit_ex(context, nil, nil, nil, iv) : EVP_DecryptInit_ex(context, nil, nil, nil, iv)
        return set == 1 && update(nil, from: aad.baseAddress, count: aad.count, encrypting: encrypting)
            && update(nil, from: trailer.baseAddress, count: trailer.count, encrypting: encrypting)
    }

    /// One EVP update of `count` bytes from `input` to `output` (nil: associated data).
    private func update(_ output: UnsafeMutablePointer<UInt8>?, from input: UnsafePointer<UInt8>?, count: Int,
                        encrypting: Bool) -> Bool {
        guard count > 0 else { return true }
        var written: Int32 = 0
        return (encrypting ? EVP_EncryptUpdate(context, output, &written, input, Int32(count))
            : EVP_DecryptUpdate(context, output, &written, input, Int32(count))) == 1
    }
}
