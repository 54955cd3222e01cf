#!/bin/sh
# run_fuzz.sh FUZZER CORPUS WORKDIR SECONDS [extra libFuzzer flags...]
#
# Runs one libFuzzer harness for SECONDS: it starts from the committed corpus
# (CORPUS, read only) and writes new inputs and any crash into WORKDIR, never
# into the source tree. Prints the executions run; exits non-zero (and names
# the reproducer) when the harness found a broken promise.
set -eu
fuzzer=$1 corpus=$2 work=$3 seconds=$4
shift 4
name=$(basename "$fuzzer")
mkdir -p "$work/new" "$work/crashes"
log="$work/$name.log"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
"$fuzzer" "$work/new" "$corpus" \
    -max_total_time="$seconds" -max_len=4096 -len_control=0 -timeout=30 \
    -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$work/crashes/" "$@" >"$log" 2>&1 || status=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
echo "$name: ${execs:-?} executions in ${seconds} s (corpus $corpus)"
if [ "$status" -ne 0 ]; then
    grep -E "^(fuzz_|SUMMARY|==[0-9]+==ERROR)|runtime error" "$log" | head -n 5 || true
    echo "$name: FAILED (exit $status); reproducer(s):"
    ls "$work/crashes/"
    echo "replay with: $fuzzer $work/crashes/<file>   (full log: $log)"
fi
exit "$status"
