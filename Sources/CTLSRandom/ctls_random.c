// See include/ctls_random.h. RAND_set_rand_method and RAND_METHOD are deprecated in
// OpenSSL 3.0 but still honoured by RAND_bytes_ex and RAND_priv_bytes_ex (rand_lib.c:
// "meth != NULL && meth != RAND_OpenSSL()" → meth->bytes); a provider would be the
// modern route, but a provider's DRBG is per library context, not per thread.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "ctls_random.h"

#include <limits.h>
#include <pthread.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

static _Thread_local icelab_tls_random_source current;
static _Thread_local unsigned long long seeded_bytes;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int installed;

/// The default DRBG, as without the method. The private DRBG serves both public and
/// private draws here: RAND_priv_bytes_ex calls the same `bytes` callback, so the method
/// cannot tell them apart, and the private instance is the one keys must come from.
static int system_bytes(unsigned char *buffer, int count) {
    EVP_RAND_CTX *drbg = RAND_get0_private(NULL);
    if (drbg == NULL) return 0;
    return EVP_RAND_generate(drbg, buffer, (size_t)count, 0, 0, NULL, 0);
}

static int method_bytes(unsigned char *buffer, int count) {
    if (count < 0) return 0;
    if (current.fill == NULL) return system_bytes(buffer, count);
    current.fill(current.context, buffer, (size_t)count);
    seeded_bytes += (unsigned long long)count;
    return 1;
}

static int method_seed(const void *buffer, int count) {
    const RAND_METHOD *fallback = RAND_OpenSSL();
    return fallback->seed != NULL ? fallback->seed(buffer, count) : 1;
}

static int method_add(const void *buffer, int count, double entropy) {
    const RAND_METHOD *fallback = RAND_OpenSSL();
    return fallback->add != NULL ? fallback->add(buffer, count, entropy) : 1;
}

static int method_status(void) {
    if (current.fill != NULL) return 1;
    const RAND_METHOD *fallback = RAND_OpenSSL();
    return fallback->status != NULL ? fallback->status() : 1;
}

static const RAND_METHOD method = {
    method_seed, method_bytes, NULL, method_add, method_bytes, method_status,
};

static void install(void) {
    installed = RAND_set_rand_method(&method) == 1;
}

int icelab_tls_random_install(void) {
    pthread_once(&install_once, install);
    return installed;
}

icelab_tls_random_source icelab_tls_random_swap(icelab_tls_random_source source) {
    icelab_tls_random_source previous = current;
    current = source;
    return previous;
}

unsigned long long icelab_tls_random_seeded_bytes(void) {
    return seeded_bytes;
}
