"""Postsynaptic potentials of each receptor (dsp/receptors.h) on one HH neuron
at rest (NEURON hh.mod convention, 6.3 degC, no drive), with Brian2 (Debian
python3-brian 2.5), method 'rk4', dt = 0.001 ms, cpp_standalone.

The synapses are the published kinetic schemes written out as they stand,
not Hillock's discretisation: dual exponentials for AMPA, NMDA (with the
Jahr & Stevens 1990 Mg2+ block) and GABA-A; for GABA-B the pulse model of
Destexhe et al. 1996/1998 (0.5 mM of GABA for 0.3 ms per spike, dR/dt =
K1 T (1 - R) - K2 R, dG/dt = K3 R - K4 G, g = gmax G^4 / (G^4 + KD)), which
Hillock steps as an instant release.

For each case: onset (first time |V - V_rest| exceeds 5 % of the peak
deflection, ms after the first spike), peak time (ms after the first
spike), peak deflection (mV), and the half-decay time (ms from the peak
until the deflection is back below half the peak).
tests/engine/test_receptors.c holds the numbers this prints.
Run: /usr/bin/python3 tests/reference/receptor_refs.py  (prints 'JSON:{...}')."""
import json
import math
import os
import sys
import tempfile

import numpy as np
from brian2 import (NeuronGroup, StateMonitor, Network, TimedArray, ms, defaultclock,
                    set_device)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hh_common import BRIAN2_HH_GATES, resting_potential  # noqa: E402

workdir = tempfile.mkdtemp(prefix="hillock_receptors_")
set_device("cpp_standalone", directory=workdir)
DT = 0.001
defaultclock.dt = DT * ms
T_END = 600.0
T0 = 20.0  # first spike, ms


def dual_norm(rise, decay):
    tp = rise * decay / (decay - rise) * math.log(decay / rise)
    return 1.0 / (math.exp(-tp / decay) - math.exp(-tp / rise))


# (label, AMPA weight, NMDA peak, Mg, GABA-A weight, GABA-B gmax, spike times)
BURST = [T0 + 10.0 * k for k in range(10)]  # 10 spikes at 100 Hz
CASES = [
    ("ampa", 0.05, 0.0, 1.0, 0.0, 0.0, [T0]),
    ("ampa_nmda", 0.02, 0.01, 1.0, 0.0, 0.0, [T0]),       # nmda_ratio 0.5
    ("ampa_nmda_mg0", 0.02, 0.01, 0.0, 0.0, 0.0, [T0]),   # without Mg2+
    ("gabaa", 0.0, 0.0, 1.0, 0.1, 0.0, [T0]),
    ("gabab_burst", 0.0, 0.0, 1.0, 0.0, 2.0, BURST),      # w_unit 0.5, x4
]
N = len(CASES)

steps = int(round(T_END / DT))
spike_in = np.zeros((steps, N))    # weight-normalised kicks per step
pulse = np.zeros((steps, N))       # GABA concentration (mM) for GABA-B
for j, c in enumerate(CASES):
    for ts in c[6]:
        k = int(round(ts / DT))
        spike_in[k, j] = 1.0 / DT   # a unit impulse spread over one step
        pulse[k:k + int(round(0.3 / DT)), j] = 0.5
kick = TimedArray(spike_in, dt=DT * ms)
conc = TimedArray(pulse, dt=DT * ms)

eqs = BRIAN2_HH_GATES + """
dv/dt = (-(gna*m**3*h*(v - 50) + gk*n**4*(v + 77) + 0.3*(v + 54.3))
         - g_glu*(v - 0) - g_a*(v + 80) - g_b*(v + 95)) / ms : 1
k_in = kick(t, i) : 1
dar/dt = -ar/(0.2*ms) + w_ampa*na*k_in/ms : 1
dad/dt = -ad/(2.0*ms) + w_ampa*na*k_in/ms : 1
dnr/dt = -nr/(2.0*ms) + w_nmda*nn*k_in/ms : 1
dnd/dt = -nd/(100.0*ms) + w_nmda*nn*k_in/ms : 1
dgr/dt = -gr/(0.5*ms) + w_gabaa*ga*k_in/ms : 1
dgd/dt = -gd/(5.0*ms) + w_gabaa*ga*k_in/ms : 1
dR/dt = (0.52*conc(t, i)*(1 - R) - 0.0013*R) / ms : 1
dG/dt = (0.098*R - 0.033*G) / ms : 1
block = 1/(1 + exp(-0.062*v)*mg/3.57) : 1
g_glu = (ad - ar) + (nd - nr)*block : 1
g_a = gd - gr : 1
g_b = gmax_b * G**4/(G**4 + 100) : 1
w_ampa : 1 (constant)
w_nmda : 1 (constant)
w_gabaa : 1 (constant)
gmax_b : 1 (constant)
mg : 1 (constant)
na : 1 (constant)
nn : 1 (constant)
ga : 1 (constant)
"""
g = NeuronGroup(N, eqs, method="rk4")
v0 = resting_potential()
am0 = 0.1 * (v0 + 40) / (1 - math.exp(-(v0 + 40) / 10))
bm0 = 4 * math.exp(-(v0 + 65) / 18)
ah0 = 0.07 * math.exp(-(v0 + 65) / 20)
bh0 = 1 / (1 + math.exp(-(v0 + 35) / 10))
an0 = 0.01 * (v0 + 55) / (1 - math.exp(-(v0 + 55) / 10))
bn0 = 0.125 * math.exp(-(v0 + 65) / 80)
g.v = v0
g.m = am0 / (am0 + bm0)
g.h = ah0 / (ah0 + bh0)
g.n = an0 / (an0 + bn0)
g.gna = 120.0
g.gk = 36.0
g.w_ampa = [c[1] for c in CASES]
g.w_nmda = [c[2] for c in CASES]
g.mg = [c[3] for c in CASES]
g.w_gabaa = [c[4] for c in CASES]
g.gmax_b = [c[5] for c in CASES]
g.na = dual_norm(0.2, 2.0)
g.nn = dual_norm(2.0, 100.0)
g.ga = dual_norm(0.5, 5.0)
mon = StateMonitor(g, "v", record=True, dt=0.01 * ms)
net = Network(g, mon)
net.run(T_END * ms)

t = np.asarray(mon.t / ms)
out = {"v_rest": v0, "cases": {}}
for j, c in enumerate(CASES):
    dv = np.asarray(mon.v[j]) - v0
    sign = 1.0 if c[1] > 0 else -1.0
    d = sign * dv
    after = t >= T0
    k_peak = int(np.argmax(np.where(after, d, -np.inf)))
    peak = float(d[k_peak])
    onset = float(t[np.nonzero(after & (d > 0.05 * peak))[0][0]] - T0)
    below = np.nonzero((t > t[k_peak]) & (d < 0.5 * peak))[0]
    half = float(t[below[0]] - t[k_peak]) if len(below) else None
    out["cases"][c[0]] = {"onset_ms": round(onset, 3), "peak_ms": round(float(t[k_peak] - T0), 3),
                          "peak_mV": round(sign * peak, 5),
                          "half_decay_ms": round(half, 3) if half is not None else None}
print("JSON:" + json.dumps(out))
