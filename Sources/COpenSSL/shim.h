// The parts of OpenSSL icelab uses, plus small helpers Swift cannot express directly
// (function-like macros, OSSL_PARAM arrays).
#ifndef ICELAB_COPENSSL_SHIM_H
#define ICELAB_COPENSSL_SHIM_H

// The keyed HMAC below uses OpenSSL's SHA-1/SHA-256 block functions (SHA1_Init, ...),
// which OpenSSL 3 marks deprecated in favour of EVP: see the note there for why. The TLS
// target's P256 uses the (equally deprecated) EC_KEY and ECDSA functions for the same
// reason: EVP's per-call fetches and decoders.
#define OPENSSL_SUPPRESS_DEPRECATED

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// HMAC (RFC 2104) with SHA-1 or SHA-256, keyed once: the hash states after the inner
/// and outer padded key are kept, so one MAC costs the message's blocks plus one outer
/// block. STUN signs and checks every message with a handful of keys; through EVP_MAC
/// each MAC paid provider dispatch, parameter handling and context copies (a quarter of
/// the simulator's per-message cost), and each new key an algorithm fetch.
typedef struct {
    int sha256;
    union { SHA_CTX sha1; SHA256_CTX sha256; } inner, outer;
} icelab_hmac_key;

/// One MAC being computed: a copy of the key's inner state.
typedef struct {
    int sha256;
    union { SHA_CTX sha1; SHA256_CTX sha256; } state;
} icelab_hmac;

static inline void icelab_hmac_key_init(icelab_hmac_key *k, int sha256, const unsigned char *key, size_t length) {
    unsigned char block[64] = {0};
    if (length > 64) {
        if (sha256) SHA256(key, length, block); else SHA1(key, length, block);
    } else if (length > 0) {
        memcpy(block, key, length);
    }
    unsigned char pad[64];
    k->sha256 = sha256;
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    if (sha256) { SHA256_Init(&k->inner.sha256); SHA256_Update(&k->inner.sha256, pad, 64); }
    else { SHA1_Init(&k->inner.sha1); SHA1_Update(&k->inner.sha1, pad, 64); }
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    if (sha256) { SHA256_Init(&k->outer.sha256); SHA256_Update(&k->outer.sha256, pad, 64); }
    else { SHA1_Init(&k->outer.sha1); SHA1_Update(&k->outer.sha1, pad, 64); }
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
}

static inline void icelab_hmac_begin(icelab_hmac *m, const icelab_hmac_key *k) {
    m->sha256 = k->sha256;
    if (k->sha256) m->state.sha256 = k->inner.sha256; else m->state.sha1 = k->inner.sha1;
}

static inline void icelab_hmac_update(icelab_hmac *m, const void *data, size_t length) {
    if (m->sha256) SHA256_Update(&m->state.sha256, data, length); else SHA1_Update(&m->state.sha1, data, length);
}

/// Writes the MAC (20 bytes for SHA-1, 32 for SHA-256) to `out`; returns its length.
static inline size_t icelab_hmac_final(icelab_hmac *m, const icelab_hmac_key *k, unsigned char *out) {
    unsigned char digest[32];
    size_t size;
    if (m->sha256) {
        SHA256_Final(digest, &m->state.sha256);
        SHA256_CTX outer = k->outer.sha256;
        SHA256_Update(&outer, digest, 32);
        SHA256_Final(out, &outer);
        size = 32;
    } else {
        SHA1_Final(digest, &m->state.sha1);
        SHA_CTX outer = k->outer.sha1;
        SHA1_Update(&outer, digest, 20);
        SHA1_Final(out, &outer);
        size = 20;
    }
    return size;
}

/// SHA-256 of `data` into `out` (32 bytes) with the block functions: OpenSSL 3's one-shot
/// SHA256() goes through EVP_Q_digest, which fetches the algorithm by name on every call.
static inline void icelab_sha256(const void *data, size_t length, unsigned char *out) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, length);
    SHA256_Final(out, &context);
}

/// MD5 of `data` into `out` (16 bytes): the long-term credential key (RFC 8489 §9.2.2).
static inline void icelab_md5(const void *data, size_t length, unsigned char *out) {
    MD5(data, length, out);
}

// TLS (the TLS target): OpenSSL's function-like macros and bit-shift option constants,
// which Swift does not import.

/// SSL_OP_NO_TICKET: no TLS 1.2 session tickets (RFC 5077); their contents carry wall time.
static inline uint64_t icelab_ssl_op_no_ticket(void) { return SSL_OP_NO_TICKET; }
/// SSL_OP_NO_RENEGOTIATION: no TLS 1.2 renegotiation (RFC 5746), a peer-driven cost.
static inline uint64_t icelab_ssl_op_no_renegotiation(void) { return SSL_OP_NO_RENEGOTIATION; }
/// SSL_CTX_add1_chain_cert: an intermediate certificate sent after the leaf.
static inline int icelab_ssl_ctx_add1_chain_cert(SSL_CTX *ctx, X509 *certificate) {
    return (int)SSL_CTX_add1_chain_cert(ctx, certificate);
}
/// SSL_CTX_set_min_proto_version and SSL_CTX_set_max_proto_version.
static inline int icelab_ssl_ctx_set_version_range(SSL_CTX *ctx, int minimum, int maximum) {
    return SSL_CTX_set_min_proto_version(ctx, minimum) == 1 && SSL_CTX_set_max_proto_version(ctx, maximum) == 1;
}
/// SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF): no session state shared
/// between the connections of one context.
static inline void icelab_ssl_ctx_disable_session_cache(SSL_CTX *ctx) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}
/// SSL_set_tlsext_host_name: the SNI server name (RFC 6066 §3).
static inline int icelab_ssl_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
/// BIO_set_mem_eof_return(bio, -1): an empty memory BIO asks to retry rather than
/// reporting the end of the stream.
static inline void icelab_bio_mem_retry_when_empty(BIO *bio) {
    BIO_set_mem_eof_return(bio, -1);
}

/// CRC-32C (SCTP's checksum, RFC 9260 Appendix A) with the SSE 4.2 `crc32` instruction,
/// eight bytes per step: Swift has no access to it. `icelab_crc32c_hardware()` says
/// whether the CPU has it; without it (or off x86-64) callers use their own tables.
#if defined(__x86_64__)
static inline int icelab_crc32c_hardware(void) { return __builtin_cpu_supports("sse4.2"); }

__attribute__((target("sse4.2")))
static inline uint32_t icelab_crc32c_update(uint32_t crc, const unsigned char *bytes, size_t count) {
    unsigned long long wide = crc;
    while (count >= 8) {
        unsigned long long word;
        memcpy(&word, bytes, 8);
        wide = __builtin_ia32_crc32di(wide, word);
        bytes += 8;
        count -= 8;
    }
    unsigned int narrow = (unsigned int)wide;
    while (count > 0) {
        narrow = __builtin_ia32_crc32qi(narrow, *bytes);
        bytes += 1;
        count -= 1;
    }
    return narrow;
}
#else
static inline int icelab_crc32c_hardware(void) { return 0; }
static inline uint32_t icelab_crc32c_update(uint32_t crc, const unsigned char *bytes, size_t count) { return crc; }
#endif

#endif
