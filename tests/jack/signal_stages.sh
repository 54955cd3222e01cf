#!/bin/sh
# SIGINT and SIGTERM at every stage of `hillock jack` (cli/interrupt.h):
# before the client runs (preset, tuning, server connection, engine, the
# recording's file, activation) the command ends at once with exit status 5
# and leaves no recording; a second signal while it closes abandons at once,
# leaving the recording readable. The test hook HILLOCK_TEST_PAUSE holds the
# command at a stage, as a stalled disk or server would, and says so on stderr.
. "$(dirname "$0")/lib.sh"
start_jack

# Wait (up to 20 s) until log $1 holds text $2 while process $3 lives.
wait_log() {
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -lt 1000 ] || fail "no '$2' in $1: $(cat "$1")"
        kill -0 "$3" 2>/dev/null || fail "exited before '$2': $(cat "$1")"
        sleep 0.02
    done
}

# From the signal to the exit; the handler ends the process itself, so a
# second is plenty even on a loaded machine.
for stage in preset tuning connect engine record activate; do
    for sig in INT TERM; do
        log="$TMP/$stage.$sig.log"
        HILLOCK_TEST_PAUSE=$stage "$HILLOCK" jack -p tonic-hh --no-stdin -o "$TMP/take.wav" \
            2>"$log" &
        pid=$!
        BG_PIDS="$BG_PIDS $pid"
        wait_log "$log" "test pause at $stage" "$pid"
        t0=$(now)
        kill -s "$sig" "$pid"
        wait "$pid"
        rc=$?
        took=$(awk "BEGIN { print $(now) - $t0 }")
        [ "$rc" = 5 ] || fail "$stage, SIG$sig: exit status $rc, expected 5: $(cat "$log")"
        grep -q "interrupted by SIG$sig before the client ran" "$log" ||
            fail "$stage, SIG$sig: no message: $(cat "$log")"
        [ ! -e "$TMP/take.wav" ] || fail "$stage, SIG$sig: a recording was left"
        check "$took < 1" "$stage, SIG$sig: exit $took s after the signal"
        note "$stage, SIG$sig: exit 5, $took s after the signal, nothing recorded"
        jack_wait -w -t 2 >/dev/null 2>&1
    done
done

# Closing held (a server that does not answer jack_deactivate): the first
# signal is being acted on, a second abandons, the recording stays readable.
log="$TMP/teardown.log"
HILLOCK_TEST_PAUSE=teardown "$HILLOCK" jack -p tonic-hh --no-stdin -o "$TMP/take.wav" 2>"$log" &
pid=$!
BG_PIDS="$BG_PIDS $pid"
wait_port hillock:out_L "$pid"
sleep 1.5 # a header rewrite (every second) counts some frames
kill -s INT "$pid"
wait_log "$log" "test pause at teardown" "$pid"
t0=$(now)
kill -s INT "$pid"
wait "$pid"
rc=$?
took=$(awk "BEGIN { print $(now) - $t0 }")
[ "$rc" = 5 ] || fail "teardown: exit status $rc, expected 5: $(cat "$log")"
grep -q "interrupted twice; abandoned" "$log" || fail "teardown: no message: $(cat "$log")"
check "$took < 1" "teardown: exit $took s after the second signal"
stats=$(check_valid_wav "$TMP/take.wav")
check "$(get frames "$stats") > 0" "teardown: the abandoned recording counts no frames"
note "teardown, second SIGINT: exit 5, $took s after it, recording of $(get frames "$stats") frames readable"
