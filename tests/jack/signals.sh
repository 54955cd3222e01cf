#!/bin/sh
# Ctrl-C (SIGINT) and SIGTERM stop a recording cleanly: exit status 5
# (EXIT_INTERRUPTED, cli/exit_codes.h) and a valid WAV whose header holds
# every frame recorded: exactly the count the summary reports (a header left
# from the once-a-second refresh would be short), about the time it ran.
. "$(dirname "$0")/lib.sh"
start_jack

for sig in INT TERM; do
    "$HILLOCK" jack -p tonic-hh --no-stdin -o "$TMP/$sig.wav" 2>"$TMP/$sig.log" &
    pid=$!
    BG_PIDS="$BG_PIDS $pid"
    wait_port hillock:out_L "$pid"
    sleep 1.5
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    [ "$rc" = 5 ] || fail "SIG$sig: exit status $rc, expected 5"
    stats=$(check_valid_wav "$TMP/$sig.wav")
    frames=$(get frames "$stats")
    recorded=$(sed -n 's/.*recorded \([0-9]*\) frames.*/\1/p' "$TMP/$sig.log")
    [ "$frames" = "$recorded" ] || fail "SIG$sig: header says $frames frames, hillock wrote $recorded"
    # 1.5 s after the ports appear, give or take a busy machine: 1 .. 4 s.
    check "$frames >= 1*48000 && $frames <= 4*48000" "SIG$sig: $frames frames after ~1.5 s"
    check "$(get rms_0 "$stats") > 0.001" "SIG$sig: the recording is silent"
    note "SIG$sig: exit 5, valid WAV of $frames frames"
    jack_wait -w -t 2 >/dev/null 2>&1
done
