"""Shared HH helpers (NEURON hh.mod convention, docs/science.md): rates, resting
potential, spike statistics. Pure python, no numpy, so it also runs inside
`nrniv -python` (whose embedded interpreter lacks numpy on Debian 12)."""
import math

ENA, EK, EL = 50.0, -77.0, -54.3
GNA, GK, GL = 120.0, 36.0, 0.3


def vtrap(x, y):
    # NEURON hh.mod vtrap: x/(exp(x/y)-1), limit y(1 - x/2y) near x = 0
    if abs(x / y) < 1e-6:
        return y * (1.0 - x / y / 2.0)
    return x / (math.exp(x / y) - 1.0)


def rates(v):
    am = 0.1 * vtrap(-(v + 40.0), 10.0)
    bm = 4.0 * math.exp(-(v + 65.0) / 18.0)
    ah = 0.07 * math.exp(-(v + 65.0) / 20.0)
    bh = 1.0 / (math.exp(-(v + 35.0) / 10.0) + 1.0)
    an = 0.01 * vtrap(-(v + 55.0), 10.0)
    bn = 0.125 * math.exp(-(v + 65.0) / 80.0)
    return am, bm, ah, bh, an, bn


def steady(v):
    am, bm, ah, bh, an, bn = rates(v)
    return am / (am + bm), ah / (ah + bh), an / (an + bn)


def ionic_ss(v):
    m, h, n = steady(v)
    return GNA * m**3 * h * (v - ENA) + GK * n**4 * (v - EK) + GL * (v - EL)


def resting_potential():
    """Root of the steady-state ionic current with I = 0 (bisection)."""
    lo, hi = -70.0, -60.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if ionic_ss(lo) * ionic_ss(mid) <= 0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def stats(spikes, t_end=1000.0):
    """n in [0, t_end), first spike, steady rate (n-1)/(t_last-t_first) in Hz
    over spikes with t >= t_end/2."""
    s = [t for t in spikes if t < t_end]
    late = [t for t in s if t >= t_end / 2]
    rate = None
    if len(late) >= 2:
        rate = 1000.0 * (len(late) - 1) / (late[-1] - late[0])
    return {"n": len(s), "first": s[0] if s else None, "rate": rate,
            "spikes": s}

# (label, celsius, I in uA/cm^2)
CASES = [("a", 6.3, 15.0), ("b", 16.3, 10.0), ("c", 20.0, 30.0),
         ("d", 6.3, 8.0)]


# hh.mod's gates and maximal conductances as Brian2 equations (strings
# only, so this module still runs without Brian2); a script adds dv/dt
BRIAN2_HH_GATES = """
dm/dt = (am*(1 - m) - bm*m) / ms : 1
dh/dt = (ah*(1 - h) - bh*h) / ms : 1
dn/dt = (an*(1 - n) - bn*n) / ms : 1
am = 0.1*(v + 40)/(1 - exp(-(v + 40)/10)) : 1
bm = 4*exp(-(v + 65)/18) : 1
ah = 0.07*exp(-(v + 65)/20) : 1
bh = 1/(1 + exp(-(v + 35)/10)) : 1
an = 0.01*(v + 55)/(1 - exp(-(v + 55)/10)) : 1
bn = 0.125*exp(-(v + 65)/80) : 1
gna : 1 (constant)
gk : 1 (constant)
"""
