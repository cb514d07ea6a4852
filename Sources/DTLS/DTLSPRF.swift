import COpenSSL

/// The TLS 1.2 pseudorandom function with SHA-256 (RFC 5246 §5) and what DTLS 1.2 derives
/// with it: the extended master secret (RFC 7627 §4), the key block (RFC 5246 §6.3),
/// Finished (§7.4.9) and exported keying material (RFC 5705 §4).
enum DTLSPRF {
    /// SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        icelab_sha256(bytes, bytes.count, &digest)
        return digest
    }

    /// HMAC-SHA256 (RFC 2104) of the concatenation of `parts` under `key`.
    static func hmacSHA256(key: [UInt8], _ parts: [UInt8]...) -> [UInt8] {
        var schedule = icelab_hmac_key()
        icelab_hmac_key_init(&schedule, 1, key, key.count)
        var mac = icelab_hmac()
        icelab_hmac_begin(&mac, &schedule)
        for part in parts { icelab_hmac_update(&mac, part, part.count) }
        var out = [UInt8](repeating: 0, count: 32)
        _ = icelab_hmac_final(&mac, &schedule, &out)
        return out
    }

    /// PRF(secret, label, seed) truncated to `length` bytes: P_SHA256(secret, label + seed)
    /// (RFC 5246 §5).
    static func prf(secret: [UInt8], label: String, seed: [UInt8], length: Int) -> [UInt8] {
        let labelSeed = Array(label.utf8) + seed
        var output: [UInt8] = []
        output.reserveCapacity(length + 32)
        var a = labelSeed  // A(0)
        while output.count < length {
            a = hmacSHA256(key: secret, a)                       // A(i) = HMAC(secret, A(i-1))
            output += hmacSHA256(key: secret, a, labelSeed)      // HMAC(secret, A(i) + seed)
        }
        return Array(output.prefix(length))
    }

    /// The extended master secret (RFC 7627 §4): PRF(pre_master_secret, "extended master
    /// secret", session_hash), session_hash being the transcript hash up to and including
    /// ClientKeyExchange.
    static func extendedMasterSecret(preMasterSecret: [UInt8], sessionHash: [UInt8]) -> [UInt8] {
        prf(secret: preMasterSecret, label: "extended master secret", seed: sessionHash, length: 48)
    }

    /// verify_data of a Finished (RFC 5246 §7.4.9): 12 bytes.
    static func finished(masterSecret: [UInt8], client: Bool, transcriptHash: [UInt8]) -> [UInt8] {
        prf(secret: masterSecret, label: client ? "client finished" : "server finished", seed: transcriptHash, length: 12)
    }
}

/// The keys of TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (RFC 5288 §3: no MAC keys, a
/// 4-byte implicit nonce part per direction), from the key block of RFC 5246 §6.3.
struct DTLSKeyBlock {
    var clientKey: [UInt8], serverKey: [UInt8], clientSalt: [UInt8], serverSalt: [UInt8]

    init(masterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8]) {
        let block = DTLSPRF.prf(secret: masterSecret, label: "key expansion", seed: serverRandom + clientRandom, length: 40)
        clientKey = Array(block[0..<16])
        serverKey = Array(block[16..<32])
        clientSalt = Array(block[32..<36])
        serverSalt = Array(block[36..<40])
    }
}
