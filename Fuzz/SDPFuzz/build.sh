#!/usr/bin/env bash
# Builds the libFuzzer binary for the SDP parser and RFC 8840 trickle fragments with
# swiftc directly (NetTypes and SDP as static libraries; the JSEP fragment codec compiled
# into the harness, which needs SDP alone), instrumented for coverage and AddressSanitizer.
# Usage: Fuzz/SDPFuzz/build.sh   then   .build-fuzz/sdp-fuzz CORPUS_DIR
source "$(dirname "$0")/../Shared/build-common.sh"
fuzz_library NetTypes
fuzz_library SDP
fuzz_binary sdp-fuzz -module-name SDPFuzz Fuzz/SDPFuzz/main.swift \
    Sources/JSEP/TrickleFragment.swift Sources/JSEP/JSEPError.swift "$out/libSDP.a" "$out/libNetTypes.a"
