// Deterministic randomness for OpenSSL, per thread (docs/tls.md, "Determinism").
//
// OpenSSL 3.0 draws every random byte of a TLS handshake (hello randoms, legacy session
// ids, key shares, ECDSA nonces) through RAND_bytes_ex / RAND_priv_bytes_ex, and both ask
// the process-wide legacy RAND_METHOD first when one other than RAND_OpenSSL() is set.
// icelab installs one such method, once per process. Its callbacks read from the calling
// thread's *current source*: when a simulated TLS session sets its seeded generator as the
// source around an SSL_* call, that call's random bytes come from the seed; on every
// other thread, and on this one when no source is set, they come from OpenSSL's own
// DRBG exactly as without the method (live sockets keep real randomness).
#ifndef ICELAB_CTLS_RANDOM_H
#define ICELAB_CTLS_RANDOM_H

#include <stddef.h>

/// Fills `count` bytes at `buffer` from the source whose context is `context`.
typedef void (*icelab_tls_fill_fn)(void *context, unsigned char *buffer, size_t count);

/// A source of random bytes: a fill function and its context (a Swift object, unretained).
typedef struct {
    void *context;
    icelab_tls_fill_fn fill;
} icelab_tls_random_source;

/// Installs the process-wide RAND_METHOD (once; later calls do nothing). Returns 1 when
/// the method is in place, 0 when OpenSSL refused it.
int icelab_tls_random_install(void);

/// Makes `source` the calling thread's current source (NULL: none, OpenSSL's own DRBG)
/// and returns the previous one, so that callers can nest and restore.
icelab_tls_random_source icelab_tls_random_swap(icelab_tls_random_source source);

/// Random bytes drawn from seeded sources by the calling thread since it started
/// (a diagnostic for tests: proves the method is consulted).
unsigned long long icelab_tls_random_seeded_bytes(void);

#endif
