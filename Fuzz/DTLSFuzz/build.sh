#!/usr/bin/env bash
# Builds the libFuzzer binary for the DTLS decoders and endpoint with swiftc and clang
# directly (NetTypes, TLS and DTLS as static libraries, DTLS with -enable-testing so the
# harness reaches the internal record and handshake decoders; CTLSRandom as an object;
# instrumented for coverage and AddressSanitizer; OpenSSL itself is the system's).
# Usage: Fuzz/DTLSFuzz/build.sh   then   .build-fuzz/dtls-fuzz CORPUS_DIR
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
swiftc "${flags[@]}" -enable-testing -module-name DTLS -emit-library -static -emit-module \
    -emit-module-path "$out/DTLS.swiftmodule" -o "$out/libDTLS.a" Sources/DTLS/*.swift
swiftc "${flags[@]}" -o "$out/dtls-fuzz" Fuzz/DTLSFuzz/main.swift Fuzz/Shared/FuzzInput.swift \
    "$out/libDTLS.a" "$out/libTLS.a" "$out/libNetTypes.a" "$out/ctls_random.o" -lssl -lcrypto
echo "built $out/dtls-fuzz"
