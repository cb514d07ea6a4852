#!/usr/bin/env bash
# Builds the libFuzzer binary for the DTLS decoders and endpoint with swiftc and clang
# directly (NetTypes, TLS and DTLS as static libraries, DTLS with -enable-testing so the
# harness reaches the internal record and handshake decoders; CTLSRandom as an object;
# instrumented for coverage and AddressSanitizer; OpenSSL itself is the system's).
# Usage: Fuzz/DTLSFuzz/build.sh   then   .build-fuzz/dtls-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-package-name icelab -I Sources/COpenSSL -I Sources/CTLSRandom/include)
fuzz_ctls_random
fuzz_library NetTypes
fuzz_library TLS
fuzz_library DTLS -enable-testing
fuzz_binary dtls-fuzz Fuzz/DTLSFuzz/main.swift Fuzz/Shared/FuzzInput.swift \
    "$out/libDTLS.a" "$out/libTLS.a" "$out/libNetTypes.a" "$out/ctls_random.o" -lssl -lcrypto
