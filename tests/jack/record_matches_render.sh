#!/bin/sh
# Recording a preset for 3 s through JACK gives a valid 3 s WAV, finite and
# audible, that matches `hillock render` of the same preset in level and
# spike rate.
#
# Reference: `hillock render -p tonic-hh -d 3` at 48 kHz. engine.h promises
# output independent of block size, and silence on the stimulus port is the
# same current as no stimulus, so the two should agree exactly; the
# tolerances (0.1 dB RMS, 1% spike count) leave room only for float rounding,
# far below what a dropped or repeated period (5 ms of 3 s, with spikes) or a
# wrong sample rate would change.
. "$(dirname "$0")/lib.sh"
start_jack

"$HILLOCK" jack -p tonic-hh -d 3 -o "$TMP/jack.wav" --no-stdin </dev/null 2>"$TMP/jack.log" ||
    { cat "$TMP/jack.log" >&2; fail "hillock jack exited with $?"; }
"$HILLOCK" render -p tonic-hh -d 3 -r 48000 -o "$TMP/render.wav" 2>"$TMP/render.log" ||
    fail "hillock render failed"

jack=$(check_valid_wav "$TMP/jack.wav")
render=$("$WAV_STATS" "$TMP/render.wav" --diff "$TMP/jack.wav")
[ "$(get frames "$jack")" = 144000 ] || fail "expected 144000 frames (3 s at 48 kHz), got $(get frames "$jack")"
[ "$(get rate "$jack")" = 48000 ] || fail "rate $(get rate "$jack")"
[ "$(get channels "$jack")" = 2 ] || fail "default --record-ports is L,R"
grep -q "0 ring overruns" "$TMP/jack.log" || fail "ring overruns: $(cat "$TMP/jack.log")"

for c in 0 1; do
    rj=$(get rms_$c "$jack")
    rr=$(get rms_$c "$render")
    check "$rj > 0.001" "channel $c is silent (RMS $rj)"
    check "(20*log($rj/$rr)/log(10))^2 < 0.01" "channel $c level $rj vs render $rr (over 0.1 dB)"
done

sj=$(sed -n 's/.*: \([0-9]*\) spikes (.*/\1/p' "$TMP/jack.log")
sr=$(sed -n 's/.*: \([0-9]*\) spikes (.*/\1/p' "$TMP/render.log")
[ -n "$sj" ] && [ -n "$sr" ] || fail "no spike counts in the summaries"
check "$sr > 0 && ($sj - $sr)^2 <= (0.01*$sr)^2" "spikes: jack $sj, render $sr (over 1%)"
note "RMS L $(get rms_0 "$jack") (render $(get rms_0 "$render")), spikes $sj (render $sr), max sample difference $(get max_diff "$render")"
