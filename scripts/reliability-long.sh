#!/bin/sh
# The long reliability checks, on demand (CI runs the short versions):
#
#   sh scripts/reliability-long.sh [RENDER_SECONDS] [FUZZ_SECONDS]
#
#   1. one hour (RENDER_SECONDS, default 3600; 0 skips) of the busiest preset
#      rendered offline: no NaN, cost per second and memory not growing
#      (tests/reliability/long_render.c);
#   2. each fuzz harness for FUZZ_SECONDS (default 1800; 0 skips), ASan +
#      UBSan, random seeds (scripts/fuzz.sh);
#   3. with WAV4G=1: a render past the 4 GiB a WAV can hold (12 min at
#      768 kHz, 32-bit float stereo: 553 M frames, 4.42 GB in $TMPDIR, about
#      2 minutes) must come out as RF64 and read back through libsndfile,
#      every frame in order (tests/reliability/rf64_check.c). The file is
#      deleted afterwards. CI checks the decision at the boundary and a
#      sparse RF64 instead (tests/reliability/test_rf64.py).
#
# Uses the build in build/ (scripts/build.sh); HILLOCK_BUILD_DIR=DIR uses
# another, already configured build folder instead.
set -eu
cd "$(dirname "$0")/.."
render_s=${1:-3600}
fuzz_s=${2:-1800}
build=${HILLOCK_BUILD_DIR:-build}

if [ "$build" = build ]; then
    sh scripts/build.sh >/dev/null
else
    ninja -C "$build" >/dev/null
fi

if [ "$render_s" != 0 ]; then
    echo "== long render: $render_s s of audio"
    HILLOCK_PRESET_PATH= "$build/tests/reliability/long_render" "$render_s"
fi

if [ "$fuzz_s" != 0 ]; then
    echo "== fuzzing: $fuzz_s s per harness"
    sh scripts/fuzz.sh "$fuzz_s"
fi

if [ "${WAV4G:-0}" = 1 ]; then
    echo "== a render past 4 GiB"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/hillock-4g.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    seconds=720 rate=768000
    frames=$((seconds * rate))
    t0=$(date +%s)
    "$build/cli/hillock" render -q -s neurons=1 -r "$rate" -d "$seconds" -o "$tmp/big.wav"
    t1=$(date +%s)
    echo "rendered $seconds s at $rate Hz in $((t1 - t0)) s: $(ls -l "$tmp/big.wav" | awk '{print $5}') bytes"
    head -c 4 "$tmp/big.wav" | grep -q RF64 || { echo "not RF64" >&2; exit 1; }
    "$build/tests/reliability/rf64_check" info "$tmp/big.wav" "$frames" all
    echo "read back in $(($(date +%s) - t1)) s"
fi
