#!/usr/bin/env bash
# Builds the libFuzzer binary for the SCTP decoders, association and data channel layer
# with swiftc directly (NetTypes, SCTP and DataChannel as static libraries, SCTP and
# DataChannel with -enable-testing so the harness reaches internal state; instrumented
# for coverage and AddressSanitizer; OpenSSL, used for the cookie HMAC, is the system's).
# Usage: Fuzz/SCTPFuzz/build.sh   then   .build-fuzz/sctp-fuzz CORPUS_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.build-fuzz}
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -package-name icelab -I "$out" -I Sources/COpenSSL)
swiftc "${flags[@]}" -module-name NetTypes -emit-library -static -emit-module \
    -emit-module-path "$out/NetTypes.swiftmodule" -o "$out/libNetTypes.a" Sources/NetTypes/*.swift
swiftc "${flags[@]}" -enable-testing -module-name SCTP -emit-library -static -emit-module \
    -emit-module-path "$out/SCTP.swiftmodule" -o "$out/libSCTP.a" Sources/SCTP/*.swift
swiftc "${flags[@]}" -enable-testing -module-name DataChannel -emit-library -static -emit-module \
    -emit-module-path "$out/DataChannel.swiftmodule" -o "$out/libDataChannel.a" Sources/DataChannel/*.swift
swiftc "${flags[@]}" -o "$out/sctp-fuzz" Fuzz/SCTPFuzz/main.swift Fuzz/Shared/FuzzInput.swift \
    "$out/libDataChannel.a" "$out/libSCTP.a" "$out/libNetTypes.a" -lssl -lcrypto
echo "built $out/sctp-fuzz"
