#!/usr/bin/env bash
# Builds the libFuzzer binary for FlexFEC repair packets (RFC 8627: the FEC header with
# flexible masks and fixed L/D, the retransmission variant, and recovery in
# FlexFECDecoder) with swiftc directly (NetTypes and RTP as static libraries), instrumented
# for coverage and AddressSanitizer.
# Usage: Fuzz/FlexFECFuzz/build.sh   then   .build-fuzz/flexfec-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-package-name icelab)
fuzz_library NetTypes
fuzz_library RTP
fuzz_binary flexfec-fuzz -module-name FlexFECFuzz Fuzz/FlexFECFuzz/main.swift "$out/libRTP.a" "$out/libNetTypes.a"
