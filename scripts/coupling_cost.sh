#!/bin/sh
# The learning network's cost against the same bank uncoupled: 1000 HH
# neurons, 10 % connectivity, receptors (AMPA + NMDA, GABA-A + GABA-B),
# axonal delays at 1 m/s and STDP, 2 s at 48 kHz, at weights small enough
# that the firing stays the uncoupled bank's (so the ratio is the synapses'
# own work). Both start from rest: a settled start pre-rolls a coupled
# network whole (600 ms of model time, outside the audio thread in the
# plugin: dsp/settle.h) and an uncoupled one on 16 neurons, which would put
# a one-off 0.6 s of the network into a 2 s comparison of the cost per
# step; START=settled measures with it. Runs the two renders alternately,
# PAIRS times (default 5), and prints each pair's CPU times (user + system)
# and the median ratio.
#   sh scripts/coupling_cost.sh [HILLOCK] [PAIRS]
set -eu
hillock=${1:-build/cli/hillock}
pairs=${2:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
U="-s neurons=1000 -s drive=1.2 -s noise=0.3 -d 2 -s start=${START:-rest}"
L="$U -s connectivity=0.1 -s synapse_model=receptors -s plasticity=1 -s axon_velocity=1 -s w_exc=0.001 -s w_inh=0.005"
cpu() { # CPU seconds of one render
    # one thread: CPU time compared (render's default, auto, may use more)
    /usr/bin/time -f "%U %S" -o "$out/t" "$hillock" render -q --threads 1 "$@" -o "$out/x.wav" >/dev/null
    awk '{ print $1 + $2 }' "$out/t"
}
i=0
while [ "$i" -lt "$pairs" ]; do
    # shellcheck disable=SC2086 # the settings are words
    u=$(cpu $U)
    # shellcheck disable=SC2086
    l=$(cpu $L)
    echo "$u $l" | awk '{ printf "uncoupled %.2f s, learning %.2f s: %.2fx\n", $1, $2, $2 / $1 }'
    echo "$u $l" >>"$out/pairs"
    i=$((i + 1))
done
awk '{ print $2 / $1 }' "$out/pairs" | sort -n | awk '{ r[NR] = $1 } END {
    m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
    printf "median %.2fx (%.2f-%.2f) over %d pairs\n", m, r[1], r[NR], NR }'
