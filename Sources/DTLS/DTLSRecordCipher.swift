import COpenSSL

/// AES-128-GCM record protection of one direction (RFC 5288 §3, RFC 6347 §4.1.2.1):
/// nonce = 4-byte salt from the key block + 8-byte explicit part sent with the record
/// (here the record's epoch and sequence number, unique per key as required);
/// additional data = epoch, sequence number, type, version and plaintext length.
struct DTLSRecordCipher {
    static let explicitNonceLength = 8
    static let tagLength = 16
    /// Bytes a record body grows by.
    static let overhead = explicitNonceLength + tagLength

    let salt: [UInt8]
    /// The key schedules, set up once (`DTLSGCMContext`).
    private let sealing: DTLSGCMContext?
    private let opening: DTLSGCMContext?

    init(key: [UInt8], salt: [UInt8]) {
        self.salt = salt
        sealing = DTLSGCMContext(key: key, encrypt: true)
        opening = DTLSGCMContext(key: key, encrypt: false)
    }

    /// The 12-byte nonce and the 13 bytes of additional data of a record, written to
    /// `nonce` and `aad`.
    private func recordInputs(type: UInt8, epoch: UInt16, sequence: UInt64, length: Int,
                              nonce: UnsafeMutableBufferPointer<UInt8>, aad: UnsafeMutableBufferPointer<UInt8>) {
        for i in 0..<4 { nonce[i] = salt[i] }
        nonce[4] = UInt8(truncatingIfNeeded: epoch >> 8)
        nonce[5] = UInt8(truncatingIfNeeded: epoch)
        for i in 0..<6 { nonce[6 + i] = UInt8(truncatingIfNeeded: sequence >> (40 - 8 * UInt64(i))) }
        for i in 0..<8 { aad[i] = nonce[4 + i] }
        aad[8] = type
        aad[9] = UInt8(truncatingIfNeeded: DTLSRecord.version12 >> 8)
        aad[10] = UInt8(truncatingIfNeeded: DTLSRecord.version12)
        aad[11] = UInt8(truncatingIfNeeded: length >> 8)
        aad[12] = UInt8(truncatingIfNeeded: length)
    }

    /// The protected body: explicit nonce, ciphertext, tag, written into one array.
    func seal(type: UInt8, epoch: UInt16, sequence: UInt64, plaintext: [UInt8]) throws(DTLSError) -> [UInt8] {
        guard let context = sealing?.context, salt.count == 4 else { throw .cryptoFailure("EVP_CIPHER_CTX_new") }
        var ok = false
        let count = plaintext.count
        let body = [UInt8](unsafeUninitializedCapacity: Self.explicitNonceLength + count + Self.tagLength) { out, initialized in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 25) { scratch in
                let nonce = UnsafeMutableBufferPointer(rebasing: scratch[0..<12])
                let aad = UnsafeMutableBufferPointer(rebasing: scratch[12..<25])
                recordInputs(type: type, epoch: epoch, sequence: sequence, length: count, nonce: nonce, aad: aad)
                for i in 0..<Self.explicitNonceLength { out[i] = nonce[4 + i] }
                let cipherStart = out.baseAddress! + Self.explicitNonceLength
                var length: Int32 = 0, final: Int32 = 0
                ok = EVP_EncryptInit_ex(context, nil, nil, nil, nonce.baseAddress) == 1
                    && EVP_EncryptUpdate(context, nil, &length, aad.baseAddress, 13) == 1
                    && (count == 0 || plaintext.withUnsafeBufferPointer {
                        EVP_EncryptUpdate(context, cipherStart, &length, $0.baseAddress, Int32(count)) == 1 && length == Int32(count)
                    })
                    && EVP_EncryptFinal_ex(context, cipherStart + count, &final) == 1 && final == 0
                    && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), cipherStart + count) == 1
            }
            initialized = ok ? Self.explicitNonceLength + count + Self.tagLength : 0
        }
        guard ok else { throw .cryptoFailure("AES-GCM seal") }
        return body
    }

    /// The plaintext of a protected body, nil when it does not authenticate.
    func open(type: UInt8, epoch: UInt16, sequence: UInt64, body: ArraySlice<UInt8>) -> [UInt8]? {
        guard body.count >= Self.overhead, let context = opening?.context, salt.count == 4 else { return nil }
        let count = body.count - Self.overhead
        var ok = false
        let plaintext = body.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: max(count, 1)) { out, initialized in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 25) { scratch in
                    let nonce = UnsafeMutableBufferPointer(rebasing: scratch[0..<12])
                    let aad = UnsafeMutableBufferPointer(rebasing: scratch[12..<25])
                    recordInputs(type: type, epoch: epoch, sequence: sequence, length: count, nonce: nonce, aad: aad)
                    for i in 0..<Self.explicitNonceLength { nonce[4 + i] = input[i] }  // the nonce sent
                    let ciphertext = input.baseAddress! + Self.explicitNonceLength
                    let tag = UnsafeMutableRawPointer(mutating: ciphertext + count)
                    var length: Int32 = 0, final: Int32 = 0
                    ok = EVP_DecryptInit_ex(context, nil, nil, nil, nonce.baseAddress) == 1
                        && EVP_DecryptUpdate(context, nil, &length, aad.baseAddress, 13) == 1
                        && (count == 0 || EVP_DecryptUpdate(context, out.baseAddress, &length, ciphertext, Int32(count)) == 1
                            && length == Int32(count))
                        && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), tag) == 1
                        && EVP_DecryptFinal_ex(context, out.baseAddress! + count, &final) == 1 && final == 0
                }
                initialized = ok ? count : 0
            }
        }
        return ok ? plaintext : nil
    }
}

/// One direction's AES-128-GCM context with the key set once: OpenSSL's key expansion
/// and GHASH table setup, a fresh context and its cleansing per record were a large part
/// of a record's cost. Each record then sets only its nonce, so every use starts from
/// the same state; copies of an endpoint share it (the endpoint is not `Sendable`, so
/// they stay on one thread).
final class DTLSGCMContext {
    let context: OpaquePointer

    /// AES-128-GCM, fetched once per process: with `EVP_aes_128_gcm()` OpenSSL 3 fetches
    /// the implementation by name at every init. A fetched cipher is only read afterwards,
    /// which OpenSSL allows from any thread.
    nonisolated(unsafe) private static let aes128GCM: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-128-GCM", nil)

    init?(key: [UInt8], encrypt: Bool) {
        guard key.count == 16, let cipher = Self.aes128GCM, let context = EVP_CIPHER_CTX_new() else { return nil }
        guard EVP_CipherInit_ex(context, cipher, nil, key, nil, encrypt ? 1 : 0) == 1 else {
            EVP_CIPHER_CTX_free(context)
            return nil
        }
        self.context = context
    }

    deinit { EVP_CIPHER_CTX_free(context) }
}
