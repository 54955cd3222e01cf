#!/bin/sh
# Ctrl-C (SIGINT) and SIGTERM stop a recording cleanly: exit status 5
# (EXIT_INTERRUPTED, cli/exit_codes.h) and a valid WAV whose header holds
# every frame recorded (about the time it ran, not 0, not truncated).
. "$(dirname "$0")/lib.sh"
start_jack

for sig in INT TERM; do
    background "$HILLOCK" jack -p tonic-hh -q --no-stdin -r "$TMP/$sig.wav"
    pid=$BG
    wait_port hillock:out_L "$pid"
    sleep 1.5
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    [ "$rc" = 5 ] || fail "SIG$sig: exit status $rc, expected 5"
    stats=$(check_valid_wav "$TMP/$sig.wav")
    frames=$(get frames "$stats")
    # 1.5 s after the ports appear, give or take scheduling: 1.2 .. 3 s.
    check "$frames >= 1.2*48000 && $frames <= 3*48000" "SIG$sig: $frames frames after ~1.5 s"
    check "$(get rms_0 "$stats") > 0.001" "SIG$sig: the recording is silent"
    note "SIG$sig: exit 5, valid WAV of $frames frames"
    jack_wait -w -t 2 >/dev/null 2>&1
done
