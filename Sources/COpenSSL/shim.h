// The parts of OpenSSL icelab uses, plus small helpers Swift cannot express directly
// (function-like macros, OSSL_PARAM arrays).
#ifndef ICELAB_COPENSSL_SHIM_H
#define ICELAB_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

/// A keyed HMAC context for `digest` ("SHA1", "SHA256"), or NULL on failure.
/// Re-initialising it with `EVP_MAC_init(ctx, NULL, 0, NULL)` reuses the key schedule,
/// which makes one MAC per message cheap.
static inline EVP_MAC_CTX *icelab_hmac_context_new(const char *digest, const unsigned char *key, size_t key_length) {
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) return NULL;
    EVP_MAC_CTX *context = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);
    if (context == NULL) return NULL;
    OSSL_PARAM parameters[2];
    parameters[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    parameters[1] = OSSL_PARAM_construct_end();
    static const unsigned char empty_key[1] = {0};
    if (!EVP_MAC_init(context, key_length > 0 ? key : empty_key, key_length, parameters)) {
        EVP_MAC_CTX_free(context);
        return NULL;
    }
    return context;
}

#endif
