#!/usr/bin/env bash
# Builds the libFuzzer binary for TURN REST usernames (the part of the TURN server's
# authentication that reads a client's USERNAME before any integrity check) with swiftc
# directly: NetTypes and STUN as static libraries, TURNRESTCredential compiled into the
# harness, instrumented for coverage and AddressSanitizer.
# Usage: Fuzz/TURNRESTFuzz/build.sh   then   .build-fuzz/turn-rest-fuzz CORPUS_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.build-fuzz}
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -I "$out" -I Sources/COpenSSL -I Sources/CZlib)
swiftc "${flags[@]}" -module-name NetTypes -emit-library -static -emit-module \
    -emit-module-path "$out/NetTypes.swiftmodule" -o "$out/libNetTypes.a" Sources/NetTypes/*.swift
swiftc "${flags[@]}" -module-name STUN -emit-library -static -emit-module \
    -emit-module-path "$out/STUN.swiftmodule" -o "$out/libSTUN.a" Sources/STUN/*.swift
swiftc "${flags[@]}" -module-name TURNRESTFuzz -o "$out/turn-rest-fuzz" Fuzz/TURNRESTFuzz/main.swift \
    Sources/TURN/TURNRESTCredential.swift "$out/libSTUN.a" "$out/libNetTypes.a" -lssl -lcrypto -lz
echo "built $out/turn-rest-fuzz"
