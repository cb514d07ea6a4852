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

    let key: [UInt8]
    let salt: [UInt8]

    /// AES-128-GCM, fetched once per process: with `EVP_aes_128_gcm()` OpenSSL 3 fetches
    /// the implementation by name at every init. A fetched cipher is only read afterwards,
    /// which OpenSSL allows from any thread.
    nonisolated(unsafe) private static let aes128GCM: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-128-GCM", nil)

    private static func additionalData(type: UInt8, epoch: UInt16, sequence: UInt64, length: Int) -> [UInt8] {
        var aad: [UInt8] = []
        aad.appendInteger(epoch, width: 2)
        aad.appendInteger(sequence, width: 6)
        aad.append(type)
        aad.appendInteger(DTLSRecord.version12, width: 2)
        aad.appendInteger(length, width: 2)
        return aad
    }

    /// The protected body: explicit nonce, ciphertext, tag.
    func seal(type: UInt8, epoch: UInt16, sequence: UInt64, plaintext: [UInt8]) throws(DTLSError) -> [UInt8] {
        var explicit: [UInt8] = []
        explicit.appendInteger(epoch, width: 2)
        explicit.appendInteger(sequence, width: 6)
        let aad = Self.additionalData(type: type, epoch: epoch, sequence: sequence, length: plaintext.count)
        guard let cipher = Self.aes128GCM, let context = EVP_CIPHER_CTX_new() else { throw .cryptoFailure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: Self.tagLength)
        var length: Int32 = 0, total: Int32 = 0
        let ok = EVP_EncryptInit_ex(context, cipher, nil, key, salt + explicit) == 1
            && EVP_EncryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1
            && EVP_EncryptUpdate(context, &output, &length, plaintext, Int32(plaintext.count)) == 1
            && { total = length; return true }()
            && output.withUnsafeMutableBufferPointer({ EVP_EncryptFinal_ex(context, $0.baseAddress! + Int(total), &length) }) == 1
            && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), &tag) == 1
        guard ok else { throw .cryptoFailure("AES-GCM seal") }
        return explicit + output.prefix(Int(total + length)) + tag
    }

    /// The plaintext of a protected body, nil when it does not authenticate.
    func open(type: UInt8, epoch: UInt16, sequence: UInt64, body: ArraySlice<UInt8>) -> [UInt8]? {
        guard body.count >= Self.overhead else { return nil }
        let explicit = Array(body.prefix(Self.explicitNonceLength))
        let ciphertext = Array(body.dropFirst(Self.explicitNonceLength).dropLast(Self.tagLength))
        var tag = Array(body.suffix(Self.tagLength))
        let aad = Self.additionalData(type: type, epoch: epoch, sequence: sequence, length: ciphertext.count)
        guard let cipher = Self.aes128GCM, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var length: Int32 = 0, total: Int32 = 0
        let ok = EVP_DecryptInit_ex(context, cipher, nil, key, salt + explicit) == 1
            && EVP_DecryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1
            && EVP_DecryptUpdate(context, &output, &length, ciphertext, Int32(ciphertext.count)) == 1
            && { total = length; return true }()
            && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), &tag) == 1
            && output.withUnsafeMutableBufferPointer({ EVP_DecryptFinal_ex(context, $0.baseAddress! + Int(total), &length) }) == 1
        guard ok else { return nil }
        return Array(output.prefix(Int(total + length)))
    }
}
