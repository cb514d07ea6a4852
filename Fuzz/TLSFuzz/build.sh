#!/usr/bin/env bash
# Builds the libFuzzer binary for TLS sessions with swiftc and clang directly (NetTypes and
# TLS as static libraries, CTLSRandom as an object, instrumented for coverage and
# AddressSanitizer; OpenSSL itself is the system's, uninstrumented).
# Usage: Fuzz/TLSFuzz/build.sh   then   .build-fuzz/tls-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-package-name icelab -I Sources/COpenSSL -I Sources/CTLSRandom/include)
fuzz_ctls_random
fuzz_library NetTypes
fuzz_library TLS
fuzz_binary tls-fuzz Fuzz/TLSFuzz/main.swift "$out/libTLS.a" "$out/libNetTypes.a" "$out/ctls_random.o" -lssl -lcrypto
