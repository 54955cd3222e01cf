#!/bin/sh
# --freewheel with --duration renders through JACK faster than real time:
# 20 s of tonic-hh (8 HH neurons; `hillock render` runs it ~20x real time on
# one core) must take under half of that in wall-clock time, give exactly
# 20 s of audio, and lose nothing to ring overruns.
. "$(dirname "$0")/lib.sh"
start_jack

t0=$(now)
"$HILLOCK" jack -p tonic-hh -d 20 --freewheel --no-stdin -o "$TMP/fw.wav" </dev/null \
    2>"$TMP/fw.log" || { cat "$TMP/fw.log" >&2; fail "hillock jack --freewheel failed"; }
t1=$(now)
stats=$(check_valid_wav "$TMP/fw.wav")
[ "$(get frames "$stats")" = 960000 ] || fail "expected 960000 frames, got $(get frames "$stats")"
grep -q "0 ring overruns" "$TMP/fw.log" || fail "overruns: $(cat "$TMP/fw.log")"
wall=$(awk "BEGIN{print $t1-$t0}")
check "$wall < 10" "20 s of audio took $wall s of wall-clock time"
note "20 s rendered in $wall s"
