#!/bin/sh
# Control lines on stdin reach the audio thread: `set drive 0` silences the
# bank (HH at 0 uA/cm2 rests: Hodgkin & Huxley 1952), `preset tonic-hh`
# brings its drive of 12 back (tonic firing), `set drive=0` silences it again
# and `quit` stops with exit status 0. Spikes of the focus neuron are the
# rising edges of the recorded cv_gate.
. "$(dirname "$0")/lib.sh"
start_jack

mkfifo "$TMP/ctl"
# The child opens the FIFO for reading (the redirection is done after the
# fork), we open it for writing: each open waits for the other.
"$HILLOCK" jack -p tonic-hh -q -o "$TMP/ctl.wav" --record-ports gate,L <"$TMP/ctl" &
HILLOCK_PID=$!
BG_PIDS="$HILLOCK_PID"
exec 3>"$TMP/ctl"
wait_port hillock:midi_in "$HILLOCK_PID"
sleep 0.9
echo "set drive 0" >&3
sleep 1
echo "preset tonic-hh" >&3
sleep 1
echo "set drive=0" >&3
sleep 1
echo "quit" >&3
wait "$HILLOCK_PID"
rc=$?
exec 3>&-
[ "$rc" = 0 ] || fail "quit should exit 0, got $rc"

stats=$(check_valid_wav "$TMP/ctl.wav")
# Expected from the gate: firing from the start, a silence (set drive 0),
# firing again (preset), a silence to the end (set drive=0). Judged from the
# recording itself, so a busy machine delaying a line shifts, not breaks, it.
first=$(get first_edge_0 "$stats")
gaps=$("$WAV_STATS" "$TMP/ctl.wav" --gaps 0 0.3 | sed -n 's/^gap=//p')
n_gaps=$(printf '%s\n' "$gaps" | grep -c .)
note "first spike at $first s; silences over 0.3 s: $(printf '%s\n' "$gaps" | tr '\n' ';')"
check "$first < 0.3" "tonic-hh should fire from the start (first spike at $first s)"
[ "$n_gaps" = 2 ] || fail "expected 2 silences (set drive 0, set drive=0), found $n_gaps"
set -- $gaps
check "$2 - $1 > 0.6" "set drive 0: the silence lasts only $1..$2 s, the preset came 1 s later"
between=$(get edges_0 "$("$WAV_STATS" "$TMP/ctl.wav" --from "$2" --to "$3")")
[ "$between" -ge 20 ] || fail "preset tonic-hh: only $between spikes between the silences"
check "$4 - $3 > 0.6" "set drive=0: the last silence lasts only $3..$4 s"
check "$1 > 0.5 && $3 - $1 > 1.5" "silences at $1 and $3 s: too early or too close together"
