#!/bin/sh
# MIDI in changes the firing: with drive 0 the bank is silent; a note on for
# neuron 0's note (root 48 = 0x30 under the default scale: dsp/midi.h, a held
# note adds midi_drive * velocity/127 = 10 uA/cm2, above the HH rheobase of
# about 6.3 uA/cm2) makes the focus neuron fire; its note off 1 s later stops
# it; CC 74 another 1 s later (the CC map: 127 -> drive 4 rheobases) makes it fire
# again. The three messages come from one client spaced in audio frames, and
# the windows are placed from the first spike, so scheduling delays on a busy
# machine shift everything together. Spikes of the focus neuron are the
# rising edges of the recorded cv_gate.
. "$(dirname "$0")/lib.sh"
start_jack

# One measurement: hillock played the three messages; 1 if a window is off.
measure() {
    background "$HILLOCK" jack -p tonic-hh -s drive=0 -q --no-stdin \
        -o "$TMP/midi.wav" --record-ports gate
    HILLOCK_PID=$BG
    wait_port hillock:midi_in "$HILLOCK_PID"
    sleep 0.5
    "$MIDI_SEND" hillock:midi_in 90,30,7F +1 80,30,00 +1 B0,4A,7F || fail "midi_send failed"
    sleep 1.5 # midi_send returns once the CC is out: 1.5 s more of firing, then stop
    kill -INT "$HILLOCK_PID"
    wait "$HILLOCK_PID"
    [ $? = 5 ] || fail "SIGINT should end with exit status 5"

    stats=$(check_valid_wav "$TMP/midi.wav")
    t_on=$(get first_edge_0 "$stats")
    frames=$(get frames "$stats")
    held=$(spikes 0.1 0.8)
    released=$(spikes 1.4 1.9)
    cc=$(spikes 2.3 2.9)
    note "silent until the note at $t_on s; focus spikes: note held $held, released $released, after CC74 $cc"
    off=0
    judge "$t_on >= 0.3" "first spike at $t_on s: drive 0 should be silent until the note"
    judge "$frames >= ($t_on + 2.9) * 48000" "the recording ends at $frames frames, before the last window (t_on $t_on s): a starved client?"
    judge "$held >= 10" "note on: only $held spikes in 0.7 s"
    judge "$released == 0" "note off: still $released spikes"
    judge "$cc >= 10" "CC74: only $cc spikes in 0.6 s"
    return $off
}
# focus spikes from $1 to $2 s after the first
spikes() {
    get edges_0 "$("$WAV_STATS" "$TMP/midi.wav" --from "$(awk "BEGIN{print $t_on+$1}")" \
        --to "$(awk "BEGIN{print $t_on+$2}")")"
}
# check for a measurement that may be repeated: says MESSAGE, sets off=1
judge() {
    awk "BEGIN { exit !($1) }" || { note "$2"; off=1; }
}

# A period hillock missed (an xrun on a loaded machine) loses the messages
# midi_send wrote in it: the note, its release or the CC never plays.
measure_without_xruns measure
