#!/bin/sh
# The wall-time speed-up of `hillock render --threads 2` over one thread
# (docs/performance.md, "Where the targets stand"). For each bank, RUNS pairs of
# renders, one on each thread count back to back (the order swapped from
# pair to pair), and each pair's ratio: on a shared host whose speed drifts
# for seconds at a time, the ratio within a pair holds where the fastest of
# several renders in a row, one count after the other, did not (the same
# binary measured 1.36x and 1.72x a quarter of an hour apart). Printed: the
# median wall time of each count and the median of the pairs' ratios, with
# their smallest and largest. A second thread helps only on an idle core,
# so run it on an idle machine (`uptime`: load average well under 1); on a
# loaded one read the load-independent split of `hillock bench --threads 2`
# instead.
#   sh scripts/threads_speedup.sh [HILLOCK] [SECONDS] [RUNS]
set -eu
hillock=${1:-build/cli/hillock}
seconds=${2:-5}
runs=${3:-5}
# in memory where there is a tmpfs: the WAV's write and fsync to a disk
# shared with other machines moved single runs by a third
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    out=$(mktemp -d -p /dev/shm)
else
    out=$(mktemp -d)
fi
trap 'rm -rf "$out"' EXIT

# seconds since $1 (a reading of date +%s.%N)
since() {
    echo "$1 $(date +%s.%N)" | awk '{printf "%.4f", $2 - $1}'
}

# wall time of one render, seconds
wall() {
    t0=$(date +%s.%N)
    "$hillock" render -q -d "$seconds" -o "$out/x.wav" "$@"
    since "$t0"
}

# median of the numbers on stdin
median() {
    sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

uptime
# What the machine allows: one-thread renders side by side, pinned to CPUs
# 0 and 1, against one alone; two threads can be at most alone x (1/a +
# 1/b) faster than one (on a shared host the two virtual CPUs were seen to
# differ by half at times). Median of RUNS rounds.
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    set -- -s model=hh -s neurons=4096 -s spread=0.5 --threads 1
    : >"$out/ceiling"
    i=0
    while [ "$i" -lt "$runs" ]; do
        ( t0=$(date +%s.%N); taskset -c 0 "$hillock" render -q -d "$seconds" -o "$out/a.wav" "$@"
          since "$t0" >"$out/a" ) &
        pid=$!
        t0=$(date +%s.%N)
        taskset -c 1 "$hillock" render -q -d "$seconds" -o "$out/b.wav" "$@"
        tb=$(since "$t0")
        wait "$pid"
        ta=$(cat "$out/a")
        t1=$(wall "$@")
        # each CPU alone, the other idle: a one-thread render is as fast
        # as the CPU it lands on (on the shared host one alone took 1.22 to
        # 1.54 times as long as the other in 21 of 25 rounds, and which one
        # changed within minutes, while side by side they kept pace:
        # docs/performance.md, "Where the targets stand")
        t0=$(date +%s.%N)
        taskset -c 0 "$hillock" render -q -d "$seconds" -o "$out/a.wav" "$@"
        a0=$(since "$t0")
        t0=$(date +%s.%N)
        taskset -c 1 "$hillock" render -q -d "$seconds" -o "$out/b.wav" "$@"
        a1=$(since "$t0")
        echo "$ta $tb $t1 $a0 $a1" |
            awk '{printf "%.4f %.4f %.4f %.4f %.4f %.4f\n", $1, $2, $3, $3 * (1 / $1 + 1 / $2), $4, $5}' \
            >>"$out/ceiling"
        i=$((i + 1))
    done
    printf 'the machine (HH 4096 spread=0.5 on one thread): side by side on CPU 0 %.3fs, CPU 1 %.3fs, alone %.3fs: two threads at most %.2fx\n' \
        "$(cut -d' ' -f1 "$out/ceiling" | median)" "$(cut -d' ' -f2 "$out/ceiling" | median)" \
        "$(cut -d' ' -f3 "$out/ceiling" | median)" "$(cut -d' ' -f4 "$out/ceiling" | median)"
    printf 'alone on CPU 0 %.3fs, alone on CPU 1 %.3fs (CPU 1 / CPU 0, round by round: %s)\n' \
        "$(cut -d' ' -f5 "$out/ceiling" | median)" "$(cut -d' ' -f6 "$out/ceiling" | median)" \
        "$(awk '{printf "%s%.2fx", (NR > 1 ? ", " : ""), $6 / $5}' "$out/ceiling")"
    # ... and what a cache line takes to cross between CPU 0 and 1 and back
    # (scripts/line_trip.c): about 100 ns between the hardware threads of
    # one core, about 500 ns between cores that share no cache, where each
    # meeting and hand-over of the threads pays it
    if command -v cc >/dev/null 2>&1 &&
        cc -O2 -pthread "$(dirname "$0")/line_trip.c" -o "$out/line_trip" 2>/dev/null; then
        printf 'a cache line from CPU 0 to CPU 1 and back: %s ns\n' "$("$out/line_trip")"
    fi
fi
printf '%-50s %9s %9s %7s  %s\n' "bank ($seconds s rendered, $runs pairs)" "1 thread" "2 threads" \
    "ratio" "(pairs' range)"
# the coupled bank with the bench's weights: a graph without weights
# delivers nothing, and its bank steps as an uncoupled one (dsp/network.h)
for bank in "model=hh neurons=2048" "model=hh neurons=4096" "model=hh neurons=8192" \
            "model=hh neurons=16384" "model=izhikevich neurons=4096" \
            "model=hh neurons=4096 connectivity=0.1 w_exc=0.01 w_inh=0.05"; do
    set --
    for kv in $bank spread=0.5; do
        set -- "$@" -s "$kv"
    done
    : >"$out/one"
    : >"$out/two"
    : >"$out/ratio"
    i=0
    while [ "$i" -lt "$runs" ]; do
        if [ $((i % 2)) -eq 0 ]; then
            t1=$(wall "$@" --threads 1)
            t2=$(wall "$@" --threads 2)
        else
            t2=$(wall "$@" --threads 2)
            t1=$(wall "$@" --threads 1)
        fi
        echo "$t1" >>"$out/one"
        echo "$t2" >>"$out/two"
        echo "$t1 $t2" | awk '{print $1 / $2}' >>"$out/ratio"
        i=$((i + 1))
    done
    printf '%-50s %8.3fs %8.3fs %6.2fx  (%.2f-%.2f)\n' "$bank spread=0.5" \
        "$(median <"$out/one")" "$(median <"$out/two")" "$(median <"$out/ratio")" \
        "$(sort -g "$out/ratio" | head -1)" "$(sort -g "$out/ratio" | tail -1)"
done
