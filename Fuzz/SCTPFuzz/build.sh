#!/usr/bin/env bash
# Builds the libFuzzer binary for the SCTP decoders, association and data channel layer
# with swiftc directly (NetTypes, SCTP and DataChannel as static libraries, SCTP and
# DataChannel with -enable-testing so the harness reaches internal state; instrumented
# for coverage and AddressSanitizer; OpenSSL, used for the cookie HMAC, is the system's).
# Usage: Fuzz/SCTPFuzz/build.sh   then   .build-fuzz/sctp-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-package-name icelab -I Sources/COpenSSL)
fuzz_library NetTypes
fuzz_library SCTP -enable-testing
fuzz_library DataChannel -enable-testing
fuzz_binary sctp-fuzz Fuzz/SCTPFuzz/main.swift Fuzz/Shared/FuzzInput.swift \
    "$out/libDataChannel.a" "$out/libSCTP.a" "$out/libNetTypes.a" -lssl -lcrypto
