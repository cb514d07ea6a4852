#!/usr/bin/env bash
# Builds the libFuzzer binary for the STUN decoder with swiftc directly (NetTypes and
# STUN as static libraries, instrumented for coverage and AddressSanitizer).
# Usage: Fuzz/STUNDecodeFuzz/build.sh   then   .build-fuzz/stun-decode-fuzz CORPUS_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.build-fuzz}
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -I "$out" -I Sources/COpenSSL -I Sources/CZlib)
swiftc "${flags[@]}" -module-name NetTypes -emit-library -static -emit-module \
    -emit-module-path "$out/NetTypes.swiftmodule" -o "$out/libNetTypes.a" Sources/NetTypes/*.swift
swiftc "${flags[@]}" -module-name STUN -emit-library -static -emit-module \
    -emit-module-path "$out/STUN.swiftmodule" -o "$out/libSTUN.a" Sources/STUN/*.swift
swiftc "${flags[@]}" -o "$out/stun-decode-fuzz" Fuzz/STUNDecodeFuzz/main.swift \
    "$out/libSTUN.a" "$out/libNetTypes.a" -lssl -lcrypto -lz
echo "built $out/stun-decode-fuzz"
