#!/bin/sh
# MIDI in changes the firing: with drive 0 the bank is silent; a note on for
# neuron 0's note (root 48 = 0x30 under the default scale: dsp/midi.h, a held
# note adds midi_drive * velocity/127 = 10 uA/cm2, above the HH rheobase of
# about 6.3 uA/cm2) makes the focus neuron fire; its note off stops it; CC 74
# (the CC map: 127 -> drive 40) makes it fire again. Spikes of the focus
# neuron are counted as rising edges of the recorded cv_gate.
. "$(dirname "$0")/lib.sh"
start_jack

background "$HILLOCK" jack -p tonic-hh -s drive=0 -d 4.4 -q --no-stdin \
    -r "$TMP/midi.wav" --record-ports gate
HILLOCK_PID=$BG
wait_port hillock:midi_in "$HILLOCK_PID"
sleep 0.9
"$MIDI_SEND" hillock:midi_in 90,30,7F || fail "midi_send failed"
sleep 1
"$MIDI_SEND" hillock:midi_in 80,30,00 || fail "midi_send failed"
sleep 1
"$MIDI_SEND" hillock:midi_in B0,4A,7F || fail "midi_send failed"
wait "$HILLOCK_PID" || fail "hillock jack exited with $?"

check_valid_wav "$TMP/midi.wav" >/dev/null
# The windows leave ~0.3 s of slack either side of each wall-clock step.
spikes() {
    get edges_0 "$("$WAV_STATS" "$TMP/midi.wav" --from "$1" --to "$2")"
}
before=$(spikes 0.1 0.7)
held=$(spikes 1.4 2.0)
released=$(spikes 2.5 3.0)
cc=$(spikes 3.6 4.3)
note "focus spikes: before $before, note held $held, released $released, after CC74 $cc"
[ "$before" = 0 ] || fail "drive 0 should be silent, saw $before spikes"
[ "$held" -ge 10 ] || fail "note on: only $held spikes in 0.6 s"
[ "$released" = 0 ] || fail "note off: still $released spikes"
[ "$cc" -ge 10 ] || fail "CC74: only $cc spikes in 0.7 s"
