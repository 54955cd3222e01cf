#!/bin/sh
# Fuzz the engine and the LV2 plugin with libFuzzer (clang, ASan + UBSan).
#
#   sh scripts/fuzz.sh            10 minutes per harness (on demand)
#   sh scripts/fuzz.sh 30         30 s per harness (what CI runs)
#   sh scripts/fuzz.sh 3600 --merge
#                                 an hour each, then fold the inputs that
#                                 found new coverage into tests/fuzz/corpus/
#
# Builds only the two fuzz targets in build-fuzz/ (override: FUZZ_BUILD_DIR).
# New inputs and crash reproducers go to build-fuzz/fuzz-work/<harness>/;
# a reproducer replays with: build-fuzz/tests/fuzz/fuzz_engine <file>.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-600}
merge=${2:-}
dir=${FUZZ_BUILD_DIR:-build-fuzz}

if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang is not installed (scripts/setup.sh installs it)" >&2
    exit 1
fi
if [ ! -f "$dir/build.ninja" ]; then
    CC=clang meson setup "$dir" --buildtype=debugoptimized \
        -Db_sanitize=address,undefined -Db_lundef=false >"$dir.setup.log" 2>&1 ||
        { cat "$dir.setup.log" >&2; exit 1; }
fi
ninja -C "$dir" tests/fuzz/fuzz_engine tests/fuzz/fuzz_plugin >/dev/null

status=0
for h in engine plugin; do
    sh tests/fuzz/run_fuzz.sh "$dir/tests/fuzz/fuzz_$h" "tests/fuzz/corpus/$h" \
        "$dir/fuzz-work/$h" "$seconds" || status=1
    if [ "$merge" = "--merge" ]; then
        "$dir/tests/fuzz/fuzz_$h" -merge=1 -max_len=4096 "tests/fuzz/corpus/$h" \
            "$dir/fuzz-work/$h/new" >"$dir/fuzz-work/$h/merge.log" 2>&1
        echo "fuzz_$h: corpus now $(ls "tests/fuzz/corpus/$h" | wc -l) inputs"
    fi
done
exit "$status"
