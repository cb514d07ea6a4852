#!/usr/bin/env bash
# Re-measure the TCP reference figures of README.md and write them as JSON to stdout
# (Benchmarks/ns3/tcp-reference.json holds the recorded copy).
# Usage: Benchmarks/ns3/tcp-reference.sh > /tmp/tcp-reference.json
# Needs jq. Runs one simulation at a time (about 3 minutes on a 2-vCPU VM).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/run.sh" tcp60s --simSeconds=0.1 >/dev/null 2>&1 # install and build once
bin="$here/tcp60s"

run() { "$bin" "$@" 2>/dev/null; }

# Timed runs: N runs of the same command; the counts are deterministic, so the first
# run's result is kept whole and the timing fields are summarised (median, min, max).
timed() {
    local n="$1"
    shift
    local lines=""
    for _ in $(seq "$n"); do
        lines+="$(run "$@")"$'\n'
    done
    printf '%s' "$lines" | jq -s --arg cmd "Benchmarks/ns3/run.sh tcp60s${*:+ $*}" '
        def med(f): (map(f) | sort) as $v | $v[($v | length) / 2 | floor];
        {command: $cmd, runs: length,
         median: {wall_s: med(.wall_s), sim_speedup: med(.sim_speedup),
                  segments_per_s: med(.segments_per_s), cpu_s: med(.cpu_s)},
         range: {wall_s: [(map(.wall_s) | min), (map(.wall_s) | max)],
                 cpu_s: [(map(.cpu_s) | min), (map(.cpu_s) | max)],
                 sim_speedup: [(map(.sim_speedup) | min), (map(.sim_speedup) | max)],
                 segments_per_s: [(map(.segments_per_s) | min), (map(.segments_per_s) | max)]},
         result: (.[0] | del(.wall_s, .cpu_s, .sim_speedup, .segments_per_s))}'
}

# Mathis sweep: bulk flow over a 1000-packet queue (drops are the error model's, but
# at the lowest rates the first slow start can overflow even that queue), 60 ms
# propagation RTT, 3 seeds per loss rate; 120 s for the low rates (enough loss
# events), 60 s for the others.
# goodput = (MSS/RTT) * C / sqrt(p), MSS = 1448 payload bytes per segment.
mathis() {
    local cc="$1"
    local p secs seed lines
    for p in 0.0005 0.001 0.002 0.005 0.01 0.02 0.05; do
        secs=60
        case "$p" in 0.0005 | 0.001 | 0.002) secs=120 ;; esac
        lines=""
        for seed in 1 2 3; do
            lines+="$(run --cc="$cc" --queue=1000 --rttMs=60 --loss="$p" --simSeconds="$secs" --seed="$seed")"$'\n'
        done
        printf '%s' "$lines" | jq -s --argjson p "$p" --argjson secs "$secs" \
            --arg cmd "Benchmarks/ns3/run.sh tcp60s --cc=$cc --queue=1000 --rttMs=60 --loss=$p --simSeconds=$secs --seed={1,2,3}" '
            def mean(f): (map(f) | add) / length;
            def r(d): . * pow(10; d) | round / pow(10; d);
            (1448 * 8 / 1e6) as $mssMbit
            | mean(.goodput_mbps) as $g
            | mean(.rtt_mean_ms) as $rtt
            | ($mssMbit / 0.060 / ($p | sqrt)) as $base
            | ($mssMbit / ($rtt / 1000) / ($p | sqrt)) as $baseMeasured
            | {loss: $p, sim_seconds: $secs, command: $cmd,
               goodput_mbps: map(.goodput_mbps),
               goodput_mbps_mean: ($g | r(4)),
               loss_drops_mean: (mean(.loss_drops) | r(1)),
               queue_drops_mean: (mean(.queue_drops) | r(1)),
               fast_recoveries_mean: (mean(.fast_recoveries) | r(1)),
               timeouts_mean: (mean(.timeouts) | r(1)),
               retransmissions_mean: (mean(.retransmissions) | r(1)),
               rtt_mean_ms: ($rtt | r(2)),
               mathis_mbps_c1_22: ($base * (1.5 | sqrt) | r(4)),
               mathis_mbps_c0_87: ($base * (0.75 | sqrt) | r(4)),
               ratio_c1_22: ($g / ($base * (1.5 | sqrt)) | r(3)),
               ratio_c0_87: ($g / ($base * (0.75 | sqrt)) | r(3)),
               ratio_c1_22_measured_rtt: ($g / ($baseMeasured * (1.5 | sqrt)) | r(3)),
               ratio_c0_87_measured_rtt: ($g / ($baseMeasured * (0.75 | sqrt)) | r(3))}'
    done | jq -s .
}

fairness() {
    local cc secondRtt
    for cc in cubic newreno; do
        for secondRtt in 60 120; do
            run --cc="$cc" --flows=2 --rttMs=60 --secondRttMs="$secondRtt" | jq \
                --arg cmd "Benchmarks/ns3/run.sh tcp60s --cc=$cc --flows=2 --rttMs=60 --secondRttMs=$secondRtt" \
                --argjson r2 "$secondRtt" \
                '{command: $cmd, cc, rtt_ms: [60, $r2], goodput_mbps, goodput_share, jain_index,
                  retransmissions, fast_recoveries, timeouts, queue_drops, rtt_mean_ms}'
        done
    done | jq -s .
}

# Other recovery / congestion-control settings of the default run: one run each, counts
# only (deterministic).
variants() {
    local args
    for args in "--recovery=prr" "--recovery=prr --hystart=1" "--hystart=1" \
        "--cc=newreno --recovery=prr" "--cc=linuxreno"; do
        # shellcheck disable=SC2086 # args holds several options
        run $args | jq --arg cmd "Benchmarks/ns3/run.sh tcp60s $args" \
            '{command: $cmd} + del(.wall_s, .cpu_s, .sim_speedup, .segments_per_s)'
    done | jq -s .
}

load="$(cut -d' ' -f1-3 /proc/loadavg)"
cubic="$(timed 5)"
newreno="$(timed 5 --cc=newreno)"
loadAfter="$(cut -d' ' -f1-3 /proc/loadavg)"
other="$(variants)"
mathisNewReno="$(mathis newreno)"
mathisLinuxReno="$(mathis linuxreno)"
fair="$(fairness)"

jq -n \
    --arg date "$(date +%F)" \
    --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" \
    --arg nproc "$(nproc)" \
    --arg ns3 "$(dpkg-query -W -f='${Version}' libns3-dev 2>/dev/null || echo unknown)" \
    --arg gxx "$(g++ -dumpfullversion)" \
    --arg load "$load" --arg loadAfter "$loadAfter" \
    --argjson cubic "$cubic" --argjson newreno "$newreno" \
    --argjson mathisNewReno "$mathisNewReno" --argjson mathisLinuxReno "$mathisLinuxReno" \
    --argjson fair "$fair" --argjson other "$other" \
    '{date: $date,
      machine: {cpu: $cpu, vcpus: ($nproc | tonumber), note: "VM, shared with other work",
                load_average_before_timed_runs: $load,
                load_average_after_timed_runs: $loadAfter},
      ns3: ("Debian libns3-dev " + $ns3), compiler: ("g++ " + $gxx + " -O2 -std=c++17"),
      default_cubic: $cubic, default_newreno: $newreno, default_variants: $other,
      mathis: {queue_packets: 1000, rtt_ms: 60, bottleneck_mbps: 10,
               mss_payload_bytes: 1448, seeds: [1, 2, 3],
               formula: "goodput = (MSS/RTT) * C / sqrt(p); C = sqrt(3/2) = 1.22 or sqrt(3/4) = 0.87 (delayed ACKs, b = 2)",
               newreno: $mathisNewReno, linuxreno: $mathisLinuxReno},
      fairness: $fair}'
