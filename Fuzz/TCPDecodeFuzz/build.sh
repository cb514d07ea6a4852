#!/usr/bin/env bash
# Builds the libFuzzer binary for the TCP segment codec with swiftc directly (NetTypes and
# TCP as static libraries, instrumented for coverage and AddressSanitizer).
# Usage: Fuzz/TCPDecodeFuzz/build.sh   then   .build-fuzz/tcp-decode-fuzz CORPUS_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.build-fuzz}
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -I "$out")
swiftc "${flags[@]}" -module-name NetTypes -emit-library -static -emit-module \
    -emit-module-path "$out/NetTypes.swiftmodule" -o "$out/libNetTypes.a" Sources/NetTypes/*.swift
swiftc "${flags[@]}" -module-name TCP -emit-library -static -emit-module \
    -emit-module-path "$out/TCP.swiftmodule" -o "$out/libTCP.a" Sources/TCP/*.swift
swiftc "${flags[@]}" -o "$out/tcp-decode-fuzz" Fuzz/TCPDecodeFuzz/main.swift "$out/libTCP.a" "$out/libNetTypes.a"
echo "built $out/tcp-decode-fuzz"
