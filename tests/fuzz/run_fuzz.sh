#!/bin/sh
# run_fuzz.sh FUZZER CORPUS WORKDIR SECONDS [extra libFuzzer flags...]
#
# Runs one libFuzzer harness for at most SECONDS: it starts from the
# committed corpus (CORPUS, read only) and writes new inputs and any crash
# into WORKDIR, never into the source tree. Prints the executions run;
# exits non-zero (and names the reproducer) when the harness found a broken
# promise.
#
# Two ways to run:
#  - exploring (on demand): a random seed each run, for SECONDS, starting
#    from CORPUS and whatever earlier runs left in WORKDIR/new;
#  - fixed (CI): FUZZ_SEED=N in the environment. WORKDIR/new is emptied
#    first and libFuzzer gets -seed=N; with FUZZ_MUTATIONS=M it stops after
#    replaying CORPUS and M mutated inputs (-runs). The harnesses are
#    deterministic, so every such run tries the same inputs, in the same
#    order (checked: the same new inputs, coverage and features in two
#    runs): it fails only when a change to the code breaks one of them,
#    never on a new random find. SECONDS is then only a bound on a slow
#    machine, which shortens the same sequence.
set -eu
fuzzer=$1 corpus=$2 work=$3 seconds=$4
shift 4
name=$(basename "$fuzzer")
if [ -n "${FUZZ_SEED:-}" ]; then
    rm -rf "$work/new" "$work/crashes"
fi
mkdir -p "$work/new" "$work/crashes"
log="$work/$name.log"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

fixed=""
planned=""
if [ -n "${FUZZ_SEED:-}" ]; then
    # -use_cmp=0: libFuzzer's table of compared values would take in
    # addresses, which ASLR moves between runs, and the next mutations with
    # them; -reload=0: no rereading the folder on a clock.
    fixed="-seed=$FUZZ_SEED -use_cmp=0 -reload=0"
    if [ -n "${FUZZ_MUTATIONS:-}" ]; then
        # libFuzzer counts the corpus replay among its -runs
        planned=$(( $(ls "$corpus" | wc -l) + FUZZ_MUTATIONS ))
        fixed="$fixed -runs=$planned"
    fi
fi

status=0
t0=$(date +%s)
# shellcheck disable=SC2086 # $fixed is a list of flags
"$fuzzer" "$work/new" "$corpus" \
    -max_total_time="$seconds" -max_len=4096 -len_control=0 -timeout=30 \
    -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$work/crashes/" $fixed "$@" >"$log" 2>&1 || status=$?
t1=$(date +%s)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
seed=$(sed -n 's/^INFO: Seed: *//p' "$log" | head -n 1)
echo "$name: ${execs:-?} executions in $((t1 - t0)) s, seed ${seed:-?}${FUZZ_SEED:+ (fixed)} (corpus $corpus)"
if [ -n "$planned" ] && [ -n "$execs" ] && [ "$execs" -lt "$planned" ] && [ "$status" -eq 0 ]; then
    echo "$name: the $seconds s bound ended the run before its $planned executions"
fi
if [ "$status" -ne 0 ]; then
    grep -E "^(fuzz_|SUMMARY|==[0-9]+==ERROR)|runtime error" "$log" | head -n 5 || true
    echo "$name: FAILED (exit $status); reproducer(s):"
    ls "$work/crashes/"
    echo "replay with: $fuzzer $work/crashes/<file>   (full log: $log)"
fi
exit "$status"
