#!/usr/bin/env bash
# Builds the libFuzzer binary for TURN REST usernames (the part of the TURN server's
# authentication that reads a client's USERNAME before any integrity check) with swiftc
# directly: NetTypes and STUN as static libraries, TURNRESTCredential compiled into the
# harness, instrumented for coverage and AddressSanitizer.
# Usage: Fuzz/TURNRESTFuzz/build.sh   then   .build-fuzz/turn-rest-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-I Sources/COpenSSL -I Sources/CZlib)
fuzz_library NetTypes
fuzz_library STUN
fuzz_binary turn-rest-fuzz -module-name TURNRESTFuzz Fuzz/TURNRESTFuzz/main.swift \
    Sources/TURN/TURNRESTCredential.swift "$out/libSTUN.a" "$out/libNetTypes.a" -lssl -lcrypto -lz
