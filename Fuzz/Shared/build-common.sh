# Sourced by Fuzz/*/build.sh: the steps every libFuzzer target's build shares. It moves
# to the package root, sets `out` (OUT, default .build-fuzz) and the swiftc `flags`
# (coverage and AddressSanitizer instrumentation, optimized, with debug info), which a
# target may extend before calling the functions below.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=${OUT:-.build-fuzz}
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -I "$out")

# fuzz_library MODULE [SWIFTC_FLAG...]: Sources/MODULE as a static library with its module.
fuzz_library() {
    local module=$1
    shift
    swiftc "${flags[@]}" "$@" -module-name "$module" -emit-library -static -emit-module \
        -emit-module-path "$out/$module.swiftmodule" -o "$out/lib$module.a" Sources/"$module"/*.swift
}

# fuzz_ctls_random: the CTLSRandom C shim as an instrumented object, $out/ctls_random.o.
fuzz_ctls_random() {
    clang -fsanitize=fuzzer-no-link,address -O1 -g -I Sources/CTLSRandom/include -c Sources/CTLSRandom/ctls_random.c \
        -o "$out/ctls_random.o"
}

# fuzz_binary NAME SWIFTC_ARGUMENT...: links the harness $out/NAME from sources and libraries.
fuzz_binary() {
    local name=$1
    shift
    swiftc "${flags[@]}" -o "$out/$name" "$@"
    echo "built $out/$name"
}
