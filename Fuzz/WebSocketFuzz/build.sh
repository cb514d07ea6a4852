#!/usr/bin/env bash
# Builds the libFuzzer binary for the WebSocket core (RFC 6455 handshake parser, frame
# decoder and reassembly) with swiftc directly (NetTypes and WebSocket as static
# libraries), instrumented for coverage and AddressSanitizer.
# Usage: Fuzz/WebSocketFuzz/build.sh   then   .build-fuzz/websocket-fuzz CORPUS_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.build-fuzz}
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -package-name icelab -I "$out" -I Sources/COpenSSL)
swiftc "${flags[@]}" -module-name NetTypes -emit-library -static -emit-module \
    -emit-module-path "$out/NetTypes.swiftmodule" -o "$out/libNetTypes.a" Sources/NetTypes/*.swift
swiftc "${flags[@]}" -module-name WebSocket -emit-library -static -emit-module \
    -emit-module-path "$out/WebSocket.swiftmodule" -o "$out/libWebSocket.a" Sources/WebSocket/*.swift
swiftc "${flags[@]}" -module-name WebSocketFuzz -o "$out/websocket-fuzz" Fuzz/WebSocketFuzz/main.swift Fuzz/Shared/FuzzInput.swift \
    "$out/libWebSocket.a" "$out/libNetTypes.a" -lcrypto
echo "built $out/websocket-fuzz"
