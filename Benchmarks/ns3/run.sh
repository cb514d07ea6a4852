#!/usr/bin/env bash
# Build and run the ns-3 comparison benchmarks (see README.md).
# Usage: Benchmarks/ns3/run.sh [flow60s options, e.g. --seed=2 --simSeconds=60]
#        Benchmarks/ns3/run.sh tcp60s [tcp60s options, e.g. --cc=newreno --loss=0.01]
# Prints the benchmark's one-line JSON on stdout; everything else goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench=flow60s
if [[ $# -gt 0 && ( "$1" == flow60s || "$1" == tcp60s ) ]]; then
    bench="$1"
    shift
fi
src="$here/$bench.cc"
bin="$here/$bench"
libs=(-lns3-core -lns3-network -lns3-internet -lns3-point-to-point -lns3-applications -lns3-traffic-control)

# Directory that holds ns3/core-module.h (Debian: /usr/include; other layouts: include/ns3.3x).
find_include() {
    local d
    for d in /usr/include /usr/include/ns3.* /usr/local/include /usr/local/include/ns3.*; do
        if [[ -f "$d/ns3/core-module.h" ]]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

if ! inc="$(find_include)" || ! ls /usr/lib/*/libns3-core.so >/dev/null 2>&1; then
    echo "run.sh: installing Debian packages ns3 libns3-dev" >&2
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ns3 libns3-dev >&2
    inc="$(find_include)"
fi

if [[ ! -x "$bin" || "$src" -nt "$bin" || "$0" -nt "$bin" ]]; then
    echo "run.sh: compiling $src (include dir $inc)" >&2
    # Debian's ns-3 pkg-config files are broken, so link the libraries directly.
    g++ -O2 -std=c++17 -I"$inc" "$src" -o "$bin" "${libs[@]}"
fi

exec "$bin" "$@"
