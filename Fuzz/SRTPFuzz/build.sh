#!/usr/bin/env bash
# Builds the libFuzzer binary for SRTP/SRTCP unprotect with swiftc directly (SRTP as a
# static library, instrumented for coverage and AddressSanitizer; OpenSSL itself is the
# system's, uninstrumented).
# Usage: Fuzz/SRTPFuzz/build.sh   then   .build-fuzz/srtp-fuzz CORPUS_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.build-fuzz}
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -I "$out" -I Sources/COpenSSL)
swiftc "${flags[@]}" -module-name SRTP -emit-library -static -emit-module \
    -emit-module-path "$out/SRTP.swiftmodule" -o "$out/libSRTP.a" Sources/SRTP/*.swift
swiftc "${flags[@]}" -o "$out/srtp-fuzz" Fuzz/SRTPFuzz/main.swift "$out/libSRTP.a" -lssl -lcrypto
echo "built $out/srtp-fuzz"
