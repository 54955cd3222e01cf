#!/usr/bin/python3
"""Reference numbers for tests/engine/test_plasticity.c, computed with Brian2
(Debian python3-brian; run with the system python: /usr/bin/python3).

  window     the pair rule's weight change vs spike-time difference
             (Song, Miller & Abbott 2000: tau 20 ms, A+ 0.005, A- 1.05 A+,
             as a fraction of w_max), one fresh synapse per pair
  triplet    60 pairings at 1, 20 and 50 Hz, dt = +10 / -10 ms, the triplet
             rule of Pfister & Gerstner 2006 (visual cortex, all-to-all)
  mult       van Rossum et al. 2000: depression proportional to w
  song       Song-Abbott: N Poisson inputs -> one LIF neuron, additive STDP,
             hard bounds: the final weights' fractions near 0 and near w_max

The test replays the same spike times through Hillock's STDP (window,
triplet, mult) or runs the same network (song) and compares.
"""
import sys

import numpy as np
from brian2 import (ms, second, Hz, mV, NeuronGroup, PoissonGroup, SpikeGeneratorGroup,
                    Synapses, Network, defaultclock, prefs, seed)

prefs.codegen.target = "numpy"
defaultclock.dt = 0.01 * ms

PAIR = dict(taupre=20 * ms, taupost=20 * ms, Ap=0.005, Am=0.005 * 1.05)
TRIPLET = dict(tau_plus=16.8 * ms, tau_minus=33.7 * ms, tau_x=101 * ms, tau_y=125 * ms,
               A2p=5e-10, A3p=6.2e-3, A2m=7e-3, A3m=2.3e-4)


def pair_synapses(pre, post, multiplicative=False, w0=0.5):
    dep = "w = clip(w - Am * w * apost, 0, 1)" if multiplicative else \
        "w = clip(w - Am * apost, 0, 1)"
    S = Synapses(pre, post, model="""w : 1
        dapre/dt = -apre / taupre : 1 (event-driven)
        dapost/dt = -apost / taupost : 1 (event-driven)""",
                 on_pre=dep + "\napre += 1", on_post="w = clip(w + Ap * apre, 0, 1)\napost += 1",
                 namespace=PAIR)
    return S


def window():
    dts = [-80, -40, -20, -10, -5, -1, 1, 5, 10, 20, 40, 80]
    n = len(dts)
    t0 = 100.0
    pre = SpikeGeneratorGroup(n, list(range(n)), [t0 * ms] * n)
    post = SpikeGeneratorGroup(n, list(range(n)), [(t0 + d) * ms for d in dts])
    S = pair_synapses(pre, post)
    S.connect(j="i")
    S.w = 0.5
    net = Network(pre, post, S)
    net.run(300 * ms)
    return [(d, float(w) - 0.5) for d, w in zip(dts, S.w[:])]


def multiplicative():
    out = []
    for w0 in (0.2, 0.8):
        pre = SpikeGeneratorGroup(1, [0], [110 * ms])
        post = SpikeGeneratorGroup(1, [0], [100 * ms])
        S = pair_synapses(pre, post, multiplicative=True)
        S.connect(j="i")
        S.w = w0
        Network(pre, post, S).run(200 * ms)
        out.append((w0, float(S.w[0]) - w0))
    return out


def triplet():
    defaultclock.dt = 0.1 * ms  # every spike time is on this grid
    out = []
    for rate in (1, 20, 50):
        for d in (10, -10):
            period = 1000.0 / rate
            tp = [50.0 + k * period for k in range(60)]
            pre = SpikeGeneratorGroup(1, [0] * 60, [t * ms for t in tp])
            post = SpikeGeneratorGroup(1, [0] * 60, [(t + d) * ms for t in tp])
            S = Synapses(pre, post, model="""w : 1
                dr1/dt = -r1 / tau_plus : 1 (event-driven)
                dr2/dt = -r2 / tau_x : 1 (event-driven)
                do1/dt = -o1 / tau_minus : 1 (event-driven)
                do2/dt = -o2 / tau_y : 1 (event-driven)""",
                         on_pre="w = clip(w - o1 * (A2m + A3m * r2), 0, 1)\nr1 += 1\nr2 += 1",
                         on_post="w = clip(w + r1 * (A2p + A3p * o2), 0, 1)\no1 += 1\no2 += 1",
                         namespace=TRIPLET)
            S.connect(j="i")
            S.w = 0.5
            Network(pre, post, S).run((tp[-1] + 300) * ms)
            out.append((rate, d, float(S.w[0]) - 0.5))
    return out


def song(n_in=1000, duration_s=40.0, eta=4.0, rng_seed=1):
    """Song, Miller & Abbott 2000, as Brian2's example of it, faster: the
    learning rate eta times the published amplitudes."""
    seed(rng_seed)
    taum, Ee, vt, vr, El, taue = 10 * ms, 0 * mV, -54 * mV, -60 * mV, -74 * mV, 5 * ms
    gmax = 0.01
    eqs = "dv/dt = (ge * (Ee - v) + El - v) / taum : volt\ndge/dt = -ge / taue : 1"
    inp = PoissonGroup(n_in, rates=15 * Hz)
    neuron = NeuronGroup(1, eqs, threshold="v > vt", reset="v = vr", method="euler")
    neuron.v = vr
    ns = dict(PAIR, Ap=0.005 * eta, Am=0.005 * 1.05 * eta, gmax=gmax)
    S = Synapses(inp, neuron, model="""w : 1
        dapre/dt = -apre / taupre : 1 (event-driven)
        dapost/dt = -apost / taupost : 1 (event-driven)""",
                 on_pre="ge += w * gmax\nw = clip(w - Am * apost, 0, 1)\napre += 1",
                 on_post="w = clip(w + Ap * apre, 0, 1)\napost += 1", namespace=ns)
    S.connect()
    S.w = "rand()"
    defaultclock.dt = 0.1 * ms
    Network(inp, neuron, S).run(duration_s * second, namespace=dict(
        taum=taum, Ee=Ee, vt=vt, vr=vr, El=El, taue=taue))
    w = np.array(S.w[:])
    return dict(low=float(np.mean(w < 0.1)), high=float(np.mean(w > 0.9)),
                mean=float(np.mean(w)))


if __name__ == "__main__":
    what = sys.argv[1:] or ["window", "mult", "triplet", "song"]
    if "window" in what:
        print("window (dt_ms, dw / w_max):")
        for d, dw in window():
            print(f"    {{{d:.1f}, {dw:.9g}}},")
    if "mult" in what:
        print("multiplicative, post 10 ms before pre (w0, dw):")
        for w0, dw in multiplicative():
            print(f"    {{{w0}, {dw:.9g}}},")
    if "triplet" in what:
        print("triplet, 60 pairings (rate_hz, dt_ms, dw / w_max):")
        for r, d, dw in triplet():
            print(f"    {{{r}, {d}, {dw:.9g}}},")
    if "song" in what:
        print("song (fraction of weights < 0.1 w_max, > 0.9 w_max, mean):", song())
