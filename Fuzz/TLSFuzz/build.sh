#!/usr/bin/env bash
# Builds the libFuzzer binary for TLS sessions with swiftc and clang directly (NetTypes and
# TLS as static libraries, CTLSRandom as an object, instrumented for coverage and
# AddressSanitizer; OpenSSL itself is the system's, uninstrumented).
# Usage: Fuzz/TLSFuzz/build.sh   then   .build-fuzz/tls-fuzz CORPUS_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.build-fuzz}
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -package-name icelab -I "$out" -I Sources/COpenSSL -I Sources/CTLSRandom/include)
clang -fsanitize=fuzzer-no-link,address -O1 -g -I Sources/CTLSRandom/include -c Sources/CTLSRandom/ctls_random.c \
    -o "$out/ctls_random.o"
swiftc "${flags[@]}" -module-name NetTypes -emit-library -static -emit-module \
    -emit-module-path "$out/NetTypes.swiftmodule" -o "$out/libNetTypes.a" Sources/NetTypes/*.swift
swiftc "${flags[@]}" -module-name TLS -emit-library -static -emit-module \
    -emit-module-path "$out/TLS.swiftmodule" -o "$out/libTLS.a" Sources/TLS/*.swift
swiftc "${flags[@]}" -o "$out/tls-fuzz" Fuzz/TLSFuzz/main.swift \
    "$out/libTLS.a" "$out/libNetTypes.a" "$out/ctls_random.o" -lssl -lcrypto
echo "built $out/tls-fuzz"
