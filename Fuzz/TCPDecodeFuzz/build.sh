#!/usr/bin/env bash
# Builds the libFuzzer binary for the TCP segment codec with swiftc directly (NetTypes and
# TCP as static libraries, instrumented for coverage and AddressSanitizer).
# Usage: Fuzz/TCPDecodeFuzz/build.sh   then   .build-fuzz/tcp-decode-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-package-name icelab)
fuzz_library NetTypes
fuzz_library TCP
fuzz_binary tcp-decode-fuzz Fuzz/TCPDecodeFuzz/main.swift "$out/libTCP.a" "$out/libNetTypes.a"
