#!/bin/sh
# The server going away while recording: the recording is closed cleanly
# (a valid WAV), a message says so, and the exit status is 6 (EXIT_JACK).
. "$(dirname "$0")/lib.sh"
start_jack

"$HILLOCK" jack -p tonic-hh --no-stdin -o "$TMP/gone.wav" 2>"$TMP/err.log" &
pid=$!
BG_PIDS="$pid"
wait_port hillock:out_L "$pid"
sleep 1
kill "$JACKD_PID"
wait "$JACKD_PID" 2>/dev/null
JACKD_PID=""
t0=$(now)
wait "$pid"
rc=$?
t1=$(now)
[ "$rc" = 6 ] || fail "exit status $rc, expected 6: $(cat "$TMP/err.log")"
check "$t1 - $t0 < 2" "took $(awk "BEGIN{print $t1-$t0}") s to notice"
grep -q "JACK server went away" "$TMP/err.log" || fail "no message: $(cat "$TMP/err.log")"
stats=$(check_valid_wav "$TMP/gone.wav")
frames=$(get frames "$stats")
check "$frames >= 0.8*48000" "only $frames frames in the closed recording"
recorded=$(sed -n 's/.*recorded \([0-9]*\) frames.*/\1/p' "$TMP/err.log")
[ "$frames" = "$recorded" ] || fail "header says $frames frames, hillock wrote $recorded"
note "exit 6, valid WAV of $frames frames, message: $(grep 'went away' "$TMP/err.log")"
