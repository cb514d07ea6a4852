#!/usr/bin/env bash
# Builds the libFuzzer binary for the SDP parser and RFC 8840 trickle fragments with
# swiftc directly (NetTypes and SDP as static libraries; the JSEP fragment codec compiled
# into the harness, which needs SDP alone), instrumented for coverage and AddressSanitizer.
# Usage: Fuzz/SDPFuzz/build.sh   then   .build-fuzz/sdp-fuzz CORPUS_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.build-fuzz}
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -I "$out")
swiftc "${flags[@]}" -module-name NetTypes -emit-library -static -emit-module \
    -emit-module-path "$out/NetTypes.swiftmodule" -o "$out/libNetTypes.a" Sources/NetTypes/*.swift
swiftc "${flags[@]}" -module-name SDP -emit-library -static -emit-module \
    -emit-module-path "$out/SDP.swiftmodule" -o "$out/libSDP.a" Sources/SDP/*.swift
swiftc "${flags[@]}" -module-name SDPFuzz -o "$out/sdp-fuzz" Fuzz/SDPFuzz/main.swift \
    Sources/JSEP/TrickleFragment.swift Sources/JSEP/JSEPError.swift "$out/libSDP.a" "$out/libNetTypes.a"
echo "built $out/sdp-fuzz"
