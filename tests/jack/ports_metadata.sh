#!/bin/sh
# The port set (docs/manual.md, "Ports") and its metadata: an audio input (stimulus), audio
# outputs L and R, four CV outputs as JACK audio ports tagged with
# http://jackaudio.org/metadata/signal-type = CV (jack/metadata.h), a MIDI
# input and a MIDI output that carries spikes as notes; --connect wires the
# outputs to the system playback ports and the first capture port to the
# stimulus input.
. "$(dirname "$0")/lib.sh"
start_jack
SIGNAL_TYPE=http://jackaudio.org/metadata/signal-type

background "$HILLOCK" jack -p tonic-hh -d 20 -q --no-stdin --connect
HILLOCK_PID=$BG
wait_port hillock:midi_out "$HILLOCK_PID"

jack_lsp -t hillock >"$TMP/ports.txt" || fail "jack_lsp failed"
expected="hillock:stimulus|32 bit float mono audio|input
hillock:out_L|32 bit float mono audio|output
hillock:out_R|32 bit float mono audio|output
hillock:cv_focus_v|32 bit float mono audio|output
hillock:cv_dend_v|32 bit float mono audio|output
hillock:cv_gate|32 bit float mono audio|output
hillock:cv_rate|32 bit float mono audio|output
hillock:midi_in|8 bit raw midi|input
hillock:midi_out|8 bit raw midi|output"
n=$(grep -c '^hillock:' "$TMP/ports.txt")
[ "$n" = 9 ] || fail "expected 9 ports, found $n: $(cat "$TMP/ports.txt")"
printf '%s\n' "$expected" | while IFS='|' read -r port type dir; do
    grep -A1 -x "$port" "$TMP/ports.txt" | grep -q "$type" || fail "$port is not '$type'"
    jack_lsp -p "$port" | grep -q "$dir" || fail "$port is not an $dir"
    cv=$(jack_property --port -l "$port" "$SIGNAL_TYPE" 2>/dev/null)
    case "$port" in
    *:cv_*) [ "$cv" = CV ] || fail "$port: signal-type is '$cv', expected CV" ;;
    *) [ -z "$cv" ] || fail "$port: signal-type '$cv' on a non-CV port" ;;
    esac
done || exit 1

connections=$(jack_lsp -c hillock | tr -d ' \t' | tr '\n' ' ')
for pair in "hillock:out_L system:playback_1" "hillock:out_R system:playback_2" \
    "hillock:stimulus system:capture_1"; do
    set -- $pair
    case "$connections" in
    *"$1 $2 "*) ;;
    *) fail "--connect: $1 is not connected to $2 ($connections)" ;;
    esac
done

# latency: every output lags the stimulus input by the engine's latency, the
# frames `hillock render` trims at the same rate (the limiter's look-ahead
# and the membrane filter)
own=$("$HILLOCK" render -p tonic-hh -d 0.01 -o "$TMP/lat.wav" 2>&1 |
    sed -n 's/.*latency \([0-9]*\) frames trimmed.*/\1/p')
[ -n "$own" ] && [ "$own" -gt 0 ] || fail "no latency from hillock render"
capture_max() {
    jack_lsp -l "$1" | sed -n 's/.*capture latency = \[ *[0-9]* *\([0-9]*\) *\].*/\1/p' | head -n 1
}
in_lat=$(capture_max hillock:stimulus)
for port in hillock:out_L hillock:out_R hillock:cv_gate hillock:midi_out; do
    out_lat=$(capture_max "$port")
    [ -n "$in_lat" ] && [ -n "$out_lat" ] || fail "no capture latency: $(jack_lsp -l "$port")"
    [ $((out_lat - in_lat)) = "$own" ] ||
        fail "$port: capture latency $out_lat, stimulus $in_lat: want $own frames more"
done

# tonic-hh fires ~580 spikes/s (render's summary): hundreds of notes in 0.5 s.
on=$("$MIDI_SEND" --count hillock:midi_out 0.5) || fail "cannot listen to midi_out"
[ "$on" -gt 100 ] || fail "only $on note-ons on midi_out in 0.5 s"
kill -INT "$HILLOCK_PID"
wait "$HILLOCK_PID"
[ $? = 5 ] || fail "SIGINT should end with exit status 5"
note "9 ports with types, CV metadata and --connect wiring; outputs $own frames later than the input; $on spike notes on midi_out in 0.5 s"
