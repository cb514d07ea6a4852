#!/usr/bin/env bash
# Builds the libFuzzer binary for the RTP log of RFC 8868 §3.1 (RTPLogRecord from packet
# bytes against RTPPacket decoding; RTPLog parsing and writing) with swiftc directly
# (NetTypes and RTP as static libraries), instrumented for coverage and AddressSanitizer.
# Usage: Fuzz/RTPLogFuzz/build.sh   then   .build-fuzz/rtp-log-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-package-name icelab)
fuzz_library NetTypes
fuzz_library RTP
fuzz_binary rtp-log-fuzz -module-name RTPLogFuzz Fuzz/RTPLogFuzz/main.swift "$out/libRTP.a" "$out/libNetTypes.a"
