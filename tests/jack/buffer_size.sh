#!/bin/sh
# The client follows the server's buffer size while running: the period goes
# 256 -> 1024 -> 64 frames during a 3 s recording (jack_bufsize), and the
# recording still holds exactly 3 s that match `hillock render` of the same
# preset in level (0.1 dB) and spike count (1%) -- engine.h promises output
# independent of block size, so a lost, doubled or misplaced period would
# show as a frame count or spike count off by a period's worth. With the
# stimulus wired to the server's capture port, whose latency is a period, the
# outputs keep lagging the stimulus by exactly the engine's latency before and
# after the change to 1024 (jack_lsp -l: the ranges JACK recomputed).
. "$(dirname "$0")/lib.sh"
start_jack

own=$("$HILLOCK" render -p tonic-hh -d 0.01 -o "$TMP/lat.wav" 2>&1 |
    sed -n 's/.*latency \([0-9]*\) frames trimmed.*/\1/p')
[ -n "$own" ] && [ "$own" -gt 0 ] || fail "no latency from hillock render"
"$HILLOCK" jack -p tonic-hh -d 3 -o "$TMP/bs.wav" --no-stdin --connect </dev/null 2>"$TMP/jack.log" &
pid=$!
BG_PIDS="$pid"
wait_port hillock:out_L "$pid"
capture_max() {
    jack_lsp -l "$1" | sed -n 's/.*capture latency = \[ *[0-9]* *\([0-9]*\) *\].*/\1/p' | head -n 1
}
lags() { # period: out_L's capture latency is the stimulus's plus the engine's
    i=$(capture_max hillock:stimulus)
    o=$(capture_max hillock:out_L)
    [ -n "$i" ] && [ -n "$o" ] && [ $((o - i)) = "$own" ] ||
        fail "period $1: out_L capture latency '$o', stimulus '$i': want $own frames more"
}
sleep 0.8
lags 256
jack_bufsize 1024 >/dev/null || fail "jack_bufsize 1024 failed"
sleep 0.8
lags 1024
jack_bufsize 64 >/dev/null || fail "jack_bufsize 64 failed"
wait "$pid" || { cat "$TMP/jack.log" >&2; fail "hillock jack exited with $?"; }
"$HILLOCK" render -p tonic-hh -d 3 -r 48000 -o "$TMP/render.wav" 2>"$TMP/render.log" ||
    fail "hillock render failed"

jack=$(check_valid_wav "$TMP/bs.wav")
render=$("$WAV_STATS" "$TMP/render.wav" --diff "$TMP/bs.wav")
[ "$(get frames "$jack")" = 144000 ] || fail "expected 144000 frames, got $(get frames "$jack")"
grep -q "0 ring overruns" "$TMP/jack.log" || fail "ring overruns: $(cat "$TMP/jack.log")"
for c in 0 1; do
    rj=$(get rms_$c "$jack")
    rr=$(get rms_$c "$render")
    check "(20*log($rj/$rr)/log(10))^2 < 0.01" "channel $c level $rj vs render $rr (over 0.1 dB)"
done
sj=$(sed -n 's/.*: \([0-9]*\) spikes (.*/\1/p' "$TMP/jack.log")
sr=$(sed -n 's/.*: \([0-9]*\) spikes (.*/\1/p' "$TMP/render.log")
check "$sr > 0 && ($sj - $sr)^2 <= (0.01*$sr)^2" "spikes: jack $sj, render $sr (over 1%)"
note "3 s across 256/1024/64-frame periods, the outputs $own frames after the stimulus at 256 and 1024: spikes $sj (render $sr), max sample difference $(get max_diff "$render")"
