#!/usr/bin/env bash
# Builds the libFuzzer binary for RTCP decoding (RFC 3550 compound packets, RFC 8888
# congestion control feedback, transport-wide feedback, REMB) and the sender's feedback
# history with swiftc directly (NetTypes and RTP as static libraries), instrumented for
# coverage and AddressSanitizer.
# Usage: Fuzz/RTCPFuzz/build.sh   then   .build-fuzz/rtcp-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
flags+=(-package-name icelab)
fuzz_library NetTypes
fuzz_library RTP
fuzz_binary rtcp-fuzz -module-name RTCPFuzz Fuzz/RTCPFuzz/main.swift "$out/libRTP.a" "$out/libNetTypes.a"
