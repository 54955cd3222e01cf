"""Izhikevich and Hindmarsh-Rose reference cases with Brian2 (Debian
python3-brian 2.5), method 'rk4', dt = 0.001 ms, cpp_standalone device
(runtime targets are too slow for 2e7 steps). Also re-runs three existing
docs/science.md entries as a check of the setup.
Run: /usr/bin/python3 tests/reference/brian2_refs.py  (prints 'JSON:{...}')."""
import json, os, sys, tempfile
import numpy as np
from brian2 import (NeuronGroup, SpikeMonitor, Network, ms, defaultclock,
                    set_device, device)

workdir = tempfile.mkdtemp(prefix="hillock_brian2_")
set_device("cpp_standalone", directory=workdir)
defaultclock.dt = 0.001 * ms

# Izhikevich 2003: label, a, b, c, d, I   (first two re-check docs/science.md)
IZ = [("RS_I10_check", 0.02, 0.2, -65, 8, 10), ("FS_I10_check", 0.1, 0.2, -65, 2, 10),
      ("RS_I5", 0.02, 0.2, -65, 8, 5), ("RS_I15", 0.02, 0.2, -65, 8, 15),
      ("FS_I5", 0.1, 0.2, -65, 2, 5)]
iz = NeuronGroup(len(IZ), """
    dv/dt = (0.04*v**2 + 5*v + 140 - u + I)/ms : 1
    du/dt = a*(b*v - u)/ms : 1
    a : 1 (constant)
    b : 1 (constant)
    c : 1 (constant)
    d : 1 (constant)
    I : 1 (constant)
""", threshold="v >= 30", reset="v = c; u += d", method="rk4")
for k, name in enumerate(["a", "b", "c", "d", "I"]):
    setattr(iz, name, [row[k + 1] for row in IZ])
iz.v = -65
iz.u = "b*v"

# Hindmarsh-Rose 1984, dimensionless time read as ms: label, r, I
HR = [("HR_r0.006_I2_check", 0.006, 2.0), ("HR_r0.004_I2.5", 0.004, 2.5),
      ("HR_r0.006_I3", 0.006, 3.0)]
hr = NeuronGroup(len(HR), """
    dx/dt = (y - x**3 + 3*x**2 - z + I)/ms : 1
    dy/dt = (1 - 5*x**2 - y)/ms : 1
    dz/dt = r*(4*(x + 1.6) - z)/ms : 1
    r : 1 (constant)
    I : 1 (constant)
""", threshold="x > 1", refractory="x > 1", method="rk4")
hr.r = [row[1] for row in HR]
hr.I = [row[2] for row in HR]
hr.x = -1.6
hr.y = 1 - 5 * 1.6**2
hr.z = 0

miz, mhr = SpikeMonitor(iz), SpikeMonitor(hr)
net = Network(iz, hr, miz, mhr)
net.run(20000 * ms)

out = {"izhikevich": {}, "hindmarsh_rose": {}}
izt = miz.spike_trains()
for k, row in enumerate(IZ):
    t = np.asarray(izt[k] / ms)
    late = t[(t >= 1000) & (t < 2000)]
    out["izhikevich"][row[0]] = {
        "a": row[1], "b": row[2], "c": row[3], "d": row[4], "I": row[5],
        "n_2s": int(np.sum(t < 2000)),
        "rate_Hz": 1000.0 * (len(late) - 1) / (late[-1] - late[0])
        if len(late) > 1 else None,
        "isi_min_max_ms": [float(np.diff(late).min()), float(np.diff(late).max())]
        if len(late) > 2 else None}

hrt = mhr.spike_trains()
for k, row in enumerate(HR):
    t = np.asarray(hrt[k] / ms)
    t = t[(t >= 5000) & (t <= 20000)]
    gaps = np.diff(t)
    starts = np.concatenate(([0], np.nonzero(gaps > 40)[0] + 1))
    sizes = np.diff(np.concatenate((starts, [len(t)])))
    # drop the first and last burst: they may be cut by the window edges
    full = slice(1, len(starts) - 1)
    periods = np.diff(t[starts])[full]
    out["hindmarsh_rose"][row[0]] = {
        "r": row[1], "I": row[2], "n_spikes": int(len(t)),
        "spikes_per_burst": sorted(set(int(s) for s in sizes[full])),
        "period_mean": float(periods.mean()) if len(periods) else None,
        "period_min_max": [float(periods.min()), float(periods.max())]
        if len(periods) else None,
        "n_bursts_used": int(len(periods))}
print("JSON:" + json.dumps(out))
