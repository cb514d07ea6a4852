#!/usr/bin/env bash
# Builds the libFuzzer binary for SRTP/SRTCP unprotect with swiftc directly (SRTP as a
# static library, instrumented for coverage and AddressSanitizer; OpenSSL itself is the
# system's, uninstrumented).
# Usage: Fuzz/SRTPFuzz/build.sh   then   .build-fuzz/srtp-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-I Sources/COpenSSL)
fuzz_library SRTP
fuzz_binary srtp-fuzz Fuzz/SRTPFuzz/main.swift "$out/libSRTP.a" -lssl -lcrypto
