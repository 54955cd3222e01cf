"""TTX and TEA on the HH neuron (dsp/models/hh.c) against Brian2 (Debian
python3-brian 2.5, rk4, dt = 1 us, cpp_standalone) running hh.mod's equations
with the conductance scaled as the drug does: gNa x (1 - ttx), gK x
(1 - tea). One soma at 6.3 degC from rest, 10 uA/cm2 from t = 0.

With acetylcholine below 1 the M-current of dsp/m_current.h (Yamada, Koch
& Adams 1989), g_M = 1 mS/cm2 x (1 - acetylcholine), gate closed at t = 0.

For each case: spikes (upward crossings of -20 mV) in [0, 200) ms, the
first spike's time, its width (time above -20 mV), its peak, v at 200 ms;
over [0, 1000) ms the spikes and the first and last interspike interval. tests/engine/test_drugs.c holds the numbers this prints.
Run: /usr/bin/python3 tests/reference/drug_refs.py  (prints 'JSON:{...}')."""
import json
import math
import os
import sys
import tempfile

import numpy as np
from brian2 import NeuronGroup, StateMonitor, Network, ms, defaultclock, set_device

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hh_common import BRIAN2_HH_GATES, resting_potential, steady  # noqa: E402

set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="hillock_drugs_"))
defaultclock.dt = 0.001 * ms
T_END = 1000.0
# (label, ttx, tea, acetylcholine): the M-current's g_M is 1 mS/cm2 x (1 - ACh)
CASES = [("control", 0.0, 0.0, 1.0), ("ttx_0.5", 0.5, 0.0, 1.0), ("ttx_1", 1.0, 0.0, 1.0),
         ("tea_0.5", 0.0, 0.5, 1.0), ("tea_1", 0.0, 1.0, 1.0), ("ach_0.5", 0.0, 0.0, 0.5),
         ("ach_0", 0.0, 0.0, 0.0)]

eqs = BRIAN2_HH_GATES + """
dv/dt = (10 - gna*m**3*h*(v - 50) - gk*n**4*(v + 77) - 0.3*(v + 54.3)
         - gm*p*(v + 77)) / ms : 1
dp/dt = (1/(1 + exp(-(v + 35)/10)) - p) * 3.3*(exp((v + 35)/20) + exp(-(v + 35)/20))/(1000*ms) : 1
gm : 1 (constant)
"""
g = NeuronGroup(len(CASES), eqs, method="rk4")
v0 = resting_potential()
m0, h0, n0 = steady(v0)
g.v, g.m, g.h, g.n = v0, m0, h0, n0
g.gna = [120.0 * (1 - c[1]) for c in CASES]
g.gk = [36.0 * (1 - c[2]) for c in CASES]
g.gm = [1.0 * (1 - c[3]) for c in CASES]
g.p = 0.0  # Hillock starts the M gate closed
DT = 0.005
mon = StateMonitor(g, "v", record=True, dt=DT * ms)
Network(g, mon).run(T_END * ms)

out = {"cases": {}}
K200 = int(round(200.0 / DT))
for j, (label, _, _, _) in enumerate(CASES):
    v_all = np.asarray(mon.v[j])
    v = v_all[:K200]
    ups = [k for k in range(1, len(v)) if v[k - 1] < -20.0 <= v[k]]
    ups_all = [k for k in range(1, len(v_all)) if v_all[k - 1] < -20.0 <= v_all[k]]
    isi = np.diff(ups_all) * DT
    first = width = peak = None
    if ups:
        k0 = ups[0]
        k1 = k0
        while k1 < len(v) and v[k1] >= -20.0:
            k1 += 1
        first = round((k0 + 1) * DT, 3)
        width = round((k1 - k0) * DT, 3)
        peak = round(float(v[k0:k1 + 1].max()), 3)
    out["cases"][label] = {"spikes": len(ups), "first_ms": first, "width_ms": width,
                           "peak_mV": peak, "v_end_mV": round(float(v[-1]), 3),
                           "spikes_1s": len(ups_all),
                           "isi_first_last_ms": [round(float(isi[0]), 3), round(float(isi[-1]), 3)]
                           if len(isi) else None}
print("JSON:" + json.dumps(out))
