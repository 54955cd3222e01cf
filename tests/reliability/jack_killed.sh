#!/bin/sh
# The JACK server killed outright (SIGKILL: no shutdown message, the socket
# just dies) while `hillock jack --record` runs. Promise (docs/manual.md,
# "Stopping"): the command notices within 2 s, says so, exits 6
# (EXIT_JACK) and leaves a valid WAV holding what was recorded.
# tests/jack/server_gone.sh covers the polite SIGTERM; this is the rude one.
. "$(dirname "$0")/../jack/lib.sh"
start_jack

"$HILLOCK" jack -p tonic-hh --no-stdin -o "$TMP/killed.wav" 2>"$TMP/err.log" &
pid=$!
BG_PIDS="$pid"
wait_port hillock:out_L
sleep 1
kill -9 "$JACKD_PID"
wait "$JACKD_PID" 2>/dev/null
JACKD_PID=""
t0=$(now)
# give it 10 s before calling it hung
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    fail "hillock jack still running 10 s after the server was killed: $(cat "$TMP/err.log")"
fi
wait "$pid"
rc=$?
t1=$(now)
[ "$rc" = 6 ] || fail "exit status $rc, expected 6: $(cat "$TMP/err.log")"
check "$t1 - $t0 < 2" "took $(awk "BEGIN{print $t1-$t0}") s to notice"
grep -qi "jack" "$TMP/err.log" || fail "no message naming JACK: $(cat "$TMP/err.log")"
stats=$(check_valid_wav "$TMP/killed.wav")
frames=$(get frames "$stats")
check "$frames >= 0.8*48000" "only $frames frames in the closed recording"
ls "$TMP" | grep -q '^\.killed' && fail "a temporary file was left beside the recording"
note "SIGKILL: exit 6, valid WAV of $frames frames, message: $(head -c 200 "$TMP/err.log")"
