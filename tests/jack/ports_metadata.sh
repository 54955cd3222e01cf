#!/bin/sh
# The port set of issue 5 and its metadata: an audio input (stimulus), audio
# outputs L and R, four CV outputs as JACK audio ports tagged with
# http://jackaudio.org/metadata/signal-type = CV (jack/metadata.h), a MIDI
# input and a MIDI output that carries spikes as notes.
. "$(dirname "$0")/lib.sh"
start_jack
SIGNAL_TYPE=http://jackaudio.org/metadata/signal-type

background "$HILLOCK" jack -p tonic-hh -d 20 -q --no-stdin
HILLOCK_PID=$BG
stdbuf -oL jack_midi_dump hillock_jt_dump >"$TMP/midi.txt" 2>/dev/null &
BG_PIDS="$BG_PIDS $!"
wait_port hillock:midi_out "$HILLOCK_PID"
wait_port hillock_jt_dump:input
jack_connect hillock:midi_out hillock_jt_dump:input || fail "cannot connect midi_out"

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

sleep 0.5 # tonic-hh fires ~580 spikes/s: plenty of notes in half a second
kill -INT "$HILLOCK_PID"
wait "$HILLOCK_PID"
[ $? = 5 ] || fail "SIGINT should end with exit status 5"
on=$(grep -c "note on" "$TMP/midi.txt")
[ "$on" -gt 20 ] || fail "only $on note-ons on midi_out in 0.5 s"
note "9 ports with types and CV metadata; $on spike notes on midi_out"
