#!/usr/bin/env bash
# Builds the libFuzzer binary for the WebSocket core (RFC 6455 handshake parser, frame
# decoder and reassembly) with swiftc directly (NetTypes and WebSocket as static
# libraries), instrumented for coverage and AddressSanitizer.
# Usage: Fuzz/WebSocketFuzz/build.sh   then   .build-fuzz/websocket-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-package-name icelab -I Sources/COpenSSL)
fuzz_library NetTypes
fuzz_library WebSocket
fuzz_binary websocket-fuzz -module-name WebSocketFuzz Fuzz/WebSocketFuzz/main.swift Fuzz/Shared/FuzzInput.swift \
    "$out/libWebSocket.a" "$out/libNetTypes.a" -lcrypto
