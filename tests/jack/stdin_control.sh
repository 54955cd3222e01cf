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
"$HILLOCK" jack -p tonic-hh -q -r "$TMP/ctl.wav" --record-ports gate,L <"$TMP/ctl" &
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

check_valid_wav "$TMP/ctl.wav" >/dev/null
spikes() {
    get edges_0 "$("$WAV_STATS" "$TMP/ctl.wav" --from "$1" --to "$2")"
}
start=$(spikes 0.1 0.6)
off=$(spikes 1.4 1.9)
preset=$(spikes 2.4 2.9)
off2=$(spikes 3.4 3.8)
note "focus spikes: start $start, set drive 0 -> $off, preset -> $preset, set drive=0 -> $off2"
[ "$start" -ge 10 ] || fail "tonic-hh should fire from the start ($start spikes)"
[ "$off" = 0 ] || fail "set drive 0 did not silence the bank ($off spikes)"
[ "$preset" -ge 10 ] || fail "preset tonic-hh did not bring firing back ($preset spikes)"
[ "$off2" = 0 ] || fail "set drive=0 did not silence the bank ($off2 spikes)"
