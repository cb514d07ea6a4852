#!/usr/bin/env bash
# Builds the libFuzzer binary for the STUN decoder with swiftc directly (NetTypes and
# STUN as static libraries, instrumented for coverage and AddressSanitizer).
# Usage: Fuzz/STUNDecodeFuzz/build.sh   then   .build-fuzz/stun-decode-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-I Sources/COpenSSL -I Sources/CZlib)
fuzz_library NetTypes
fuzz_library STUN
fuzz_binary stun-decode-fuzz Fuzz/STUNDecodeFuzz/main.swift "$out/libSTUN.a" "$out/libNetTypes.a" -lssl -lcrypto -lz
