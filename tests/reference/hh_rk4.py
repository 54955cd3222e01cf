"""Independent HH cross-check: classic RK4 of the hh.mod equations in plain
python (no simulator), dt = 0.001 ms, spike time = upward -20 mV crossing
located on the cubic Hermite interpolant of each step (V and dV/dt at both ends).
Run: python3 tests/reference/hh_rk4.py [a b c d]   (default: a). ~1 min per case."""
import json, math, sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hh_common import (CASES, ENA, EK, EL, GNA, GK, GL, rates, steady,
                       resting_potential, stats)

DT = float(os.environ.get("HH_RK4_DT", "0.001"))  # ms; override for dt-halving checks
VTH = -20.0


def deriv(v, m, h, n, I, phi):
    am, bm, ah, bh, an, bn = rates(v)
    dv = I - GNA * m * m * m * h * (v - ENA) - GK * n * n * n * n * (v - EK) \
        - GL * (v - EL)
    return (dv, phi * (am * (1 - m) - bm * m), phi * (ah * (1 - h) - bh * h),
            phi * (an * (1 - n) - bn * n))


def hermite_cross(t0, v0, d0, v1, d1, dt, vth):
    """Time in (t0, t0+dt) where the cubic Hermite interpolant equals vth."""
    def p(s):
        s2, s3 = s * s, s * s * s
        return ((2 * s3 - 3 * s2 + 1) * v0 + (s3 - 2 * s2 + s) * dt * d0
                + (-2 * s3 + 3 * s2) * v1 + (s3 - s2) * dt * d1)
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if p(mid) < vth:
            lo = mid
        else:
            hi = mid
    return t0 + 0.5 * (lo + hi) * dt


def run(celsius, I, t_end=1000.0):
    phi = 3.0 ** ((celsius - 6.3) / 10.0)
    v = resting_potential()
    m, h, n = steady(v)
    spikes = []
    nsteps = int(round(t_end / DT))
    k1 = deriv(v, m, h, n, I, phi)
    for i in range(nsteps):
        hd = 0.5 * DT
        k2 = deriv(v + hd * k1[0], m + hd * k1[1], h + hd * k1[2], n + hd * k1[3], I, phi)
        k3 = deriv(v + hd * k2[0], m + hd * k2[1], h + hd * k2[2], n + hd * k2[3], I, phi)
        k4 = deriv(v + DT * k3[0], m + DT * k3[1], h + DT * k3[2], n + DT * k3[3], I, phi)
        s = DT / 6.0
        v1 = v + s * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        m += s * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        h += s * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2])
        n += s * (k1[3] + 2 * k2[3] + 2 * k3[3] + k4[3])
        k1n = deriv(v1, m, h, n, I, phi)
        if v < VTH <= v1:
            spikes.append(hermite_cross(i * DT, v, k1[0], v1, k1n[0], DT, VTH))
        v, k1 = v1, k1n
    return spikes


if __name__ == "__main__":
    want = sys.argv[1:] or ["a"]
    out = {}
    for label, celsius, I in CASES:
        if label in want:
            st = stats(run(celsius, I))
            st.update({"celsius": celsius, "I": I})
            out[label] = st
    print("JSON:" + json.dumps({"cases": out}))
