#!/bin/sh
# The wall-time speed-up of `hillock render --threads 2` over one thread
# (docs/performance.md, "Offline threads"): for each bank the fastest of
# RUNS renders on 1 and on 2 threads, and their ratio. A second thread helps
# only on an idle core, so run it on an idle machine (`uptime`: load average
# well under 1); on a loaded one read the load-independent split of
# `hillock bench --threads 2` instead.
#   sh scripts/threads_speedup.sh [HILLOCK] [SECONDS] [RUNS]
set -eu
hillock=${1:-build/cli/hillock}
seconds=${2:-5}
runs=${3:-3}
# in memory where there is a tmpfs: the WAV's write and fsync to a disk
# shared with other machines moved single runs by a third
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    out=$(mktemp -d -p /dev/shm)
else
    out=$(mktemp -d)
fi
trap 'rm -rf "$out"' EXIT

# fastest wall time of $runs renders, seconds
fastest() {
    best=1e9
    i=0
    while [ "$i" -lt "$runs" ]; do
        t0=$(date +%s.%N)
        "$hillock" render -q -d "$seconds" -o "$out/x.wav" "$@"
        t=$(echo "$t0 $(date +%s.%N)" | awk '{printf "%.3f", $2 - $1}')
        best=$(echo "$best $t" | awk '{print ($2 < $1) ? $2 : $1}')
        i=$((i + 1))
    done
    echo "$best"
}

uptime
printf '%-50s %9s %9s %7s\n' "bank ($seconds s rendered)" "1 thread" "2 threads" "ratio"
for bank in "model=hh neurons=2048" "model=hh neurons=4096" "model=hh neurons=8192" \
            "model=hh neurons=16384" "model=izhikevich neurons=4096" \
            "model=hh neurons=4096 connectivity=0.1"; do
    set --
    for kv in $bank spread=0.5; do
        set -- "$@" -s "$kv"
    done
    t1=$(fastest "$@" --threads 1)
    t2=$(fastest "$@" --threads 2)
    printf '%-50s %8ss %8ss %6.2fx\n' "$bank spread=0.5" "$t1" "$t2" \
        "$(echo "$t1 $t2" | awk '{print $1 / $2}')"
done
