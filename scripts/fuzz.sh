#!/bin/sh
# Fuzz the engine, the LV2 plugin, the MIDI file reader and the readers of
# the files users hand over (fuzz_files.c) with libFuzzer (clang, ASan + UBSan).
#
#   sh scripts/fuzz.sh --ci [MUTATIONS [SECONDS]]
#                  what CI runs: each harness replays tests/fuzz/corpus/ and
#                  then MUTATIONS (default 250) inputs mutated with a fixed
#                  seed (FUZZ_SEED, default 1), stopping at SECONDS (default
#                  240) on a slow machine. The same inputs every run, so CI
#                  fails only when a change breaks one of them
#                  (tests/fuzz/run_fuzz.sh). The four harnesses run at
#                  once.
#   sh scripts/fuzz.sh [SECONDS]
#                  exploring, on demand: a random seed, SECONDS per harness
#                  (default 600), continuing from earlier runs' finds
#   sh scripts/fuzz.sh 3600 --merge
#                  an hour each, then fold the inputs that found new
#                  coverage into tests/fuzz/corpus/
#   sh scripts/fuzz.sh --configure | --build
#                  only configure build-fuzz / configure it and build the
#                  harnesses (scripts/test.sh builds them while the release
#                  suite runs)
#
# Builds only the fuzz targets in build-fuzz/ (override: FUZZ_BUILD_DIR).
# New inputs and crash reproducers go to build-fuzz/fuzz-work/<harness>/
# (fuzz-ci/<harness>/ for --ci); a reproducer replays with:
#   build-fuzz/tests/fuzz/fuzz_engine <file>
set -eu
cd "$(dirname "$0")/.."
dir=${FUZZ_BUILD_DIR:-build-fuzz}
only=
case "${1:-}" in --configure|--build) only=$1 ;; esac
if [ "${1:-}" = "--ci" ]; then
    export FUZZ_SEED="${FUZZ_SEED:-1}"
    export FUZZ_MUTATIONS="${2:-250}"
    seconds=${3:-240}
    merge=
    work=fuzz-ci
else
    unset FUZZ_SEED FUZZ_MUTATIONS
    seconds=${1:-600}
    merge=${2:-}
    work=fuzz-work
fi

if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang is not installed (scripts/setup.sh installs it)" >&2
    exit 1
fi
if [ ! -f "$dir/build.ninja" ]; then
    # the log inside the build folder (meson sets up an empty one), not
    # beside it in the source tree
    mkdir -p "$dir"
    CC=clang meson setup "$dir" --buildtype=debugoptimized -Dwerror=true \
        -Db_sanitize=address,undefined -Db_lundef=false >"$dir/setup.log" 2>&1 ||
        { cat "$dir/setup.log" >&2; exit 1; }
fi
[ "$only" != --configure ] || exit 0
harnesses="tests/fuzz/fuzz_engine tests/fuzz/fuzz_plugin tests/fuzz/fuzz_midifile tests/fuzz/fuzz_files"
# shellcheck disable=SC2086 # a list of targets
[ "$only" != --build ] || exec ninja -C "$dir" $harnesses
# shellcheck disable=SC2086 # a list of targets
ninja -C "$dir" $harnesses >"$dir/fuzz-build.log" 2>&1 ||
    { tail -n 40 "$dir/fuzz-build.log" >&2; echo "fuzz: build failed ($dir/fuzz-build.log)" >&2; exit 1; }

# The real-time guard would answer the sanitizers' slowdown by thinning the
# bank, which fuzz_plugin's recovery check (a spike within 400 ms once the
# input is sane) reads as a failure: it is off, as in scripts/ci-sanitizers.sh
# (run alone on the loaded machine, fuzz_plugin failed on its first input).
export HILLOCK_GUARD=off
status=0
if [ "$work" = fuzz-ci ]; then
    # CI: the harnesses at once, each bounded by its own SECONDS and
    # single-threaded, so two cores take the engine's and the plugin's 15 s
    # side by side instead of one after the other
    pids=
    for h in engine plugin midifile files; do
        sh tests/fuzz/run_fuzz.sh "$dir/tests/fuzz/fuzz_$h" "tests/fuzz/corpus/$h" \
            "$dir/$work/$h" "$seconds" &
        pids="$pids $!"
    done
    for p in $pids; do
        wait "$p" || status=1
    done
    exit "$status"
fi
for h in engine plugin midifile files; do
    sh tests/fuzz/run_fuzz.sh "$dir/tests/fuzz/fuzz_$h" "tests/fuzz/corpus/$h" \
        "$dir/$work/$h" "$seconds" || status=1
    if [ "$merge" = "--merge" ]; then
        "$dir/tests/fuzz/fuzz_$h" -merge=1 -max_len=4096 "tests/fuzz/corpus/$h" \
            "$dir/$work/$h/new" >"$dir/$work/$h/merge.log" 2>&1
        echo "fuzz_$h: corpus now $(find "tests/fuzz/corpus/$h" -type f | wc -l) inputs"
    fi
done
exit "$status"
