#!/usr/bin/python3
"""Hillock against Brian2 (C++ standalone) and NEURON on the same HH bank.

The bank: 1000 Hodgkin-Huxley neurons in NEURON's hh.mod
convention (6.3 degC), drives I_i = 10 (1 + 0.2 x_i) uA/cm2 with x_i ramping
from -1 to +1 (hillock's `spread`), from rest, dt = 1/48 ms (48 kHz, speed 1),
1 s, spikes at upward crossings of 0 mV.

  hillock  `hillock render` (the whole audio path: bank, voices, WAV file),
           staggered exponential gates + Crank-Nicolson V, float, tabulated
  Brian2   cpp_standalone device, method exponential_euler (what Brian2
           picks for these equations), double; time of the compiled run only
  NEURON   nrniv (HOC: Debian's package has no Python module), fixed step
           dt = 1/48 ms, its defaults (backward Euler with staggered gates,
           hh.mod rate TABLEs), double; time of run() only
  reference  NEURON CVODE, atol 1e-9, rate tables off, for 10 sample neurons

Prints wall time, speed-up of hillock over each, and each one's spike-time
error against the reference (largest |t - t_ref| over the k-th spikes of the
sample neurons, and spikes missing or extra).

--threads N gives every simulator N threads: `hillock render --threads N`,
Brian2's OpenMP threads (devices.cpp_standalone.openmp_threads), NEURON's
ParallelContext.nthread(N), which shares the cells among N threads. The
default, 1, compares one core against one core.

Run: /usr/bin/python3 scripts/compare_simulators.py [--hillock PATH] [--repeats N]
[--threads N] (about a minute: Brian2 compiles its project first).
"""
import argparse, csv, os, re, shutil, subprocess, sys, tempfile, time

N = 1000
SPREAD = 0.2
DRIVE = 10.0
DT_MS = 1000.0 / 48000.0
T_MS = 1000.0
V_REST = -64.974  # mV, the zero of the steady-state current (docs/science.md)
SAMPLES = [0, 111, 222, 333, 444, 555, 666, 777, 888, 999]


def drives():
    return [DRIVE * (1.0 + SPREAD * (2.0 * i / (N - 1) - 1.0)) for i in range(N)]


def run_hillock(exe, tmp, repeats, threads):
    spikes = os.path.join(tmp, "hillock_spikes.csv")
    cmd = [exe, "render", "-q", "-d", str(T_MS / 1000.0), "-r", "48000",
           "-s", "model=hh", "-s", "neurons=%d" % N, "-s", "drive=%g" % DRIVE,
           "-s", "spread=%g" % SPREAD, "-s", "spike_threshold=0",
           "-s", "drive_mode=absolute",  # drive in uA/cm2, not rheobases
           "-s", "start=rest",  # the references start every neuron from rest
           "--threads", str(threads),
           "--spikes", spikes, "-o", os.path.join(tmp, "hillock.wav")]
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True)
        best = min(best, time.perf_counter() - t0)
    trains = {i: [] for i in range(N)}
    with open(spikes) as f:
        for row in csv.DictReader(f):
            trains[int(row["neuron"])].append(float(row["time_s"]) * 1000.0)
    return best, trains


def run_brian2(tmp, repeats, threads):
    # imported here: a missing Brian2 skips this column, not the script
    from brian2 import (NeuronGroup, SpikeMonitor, ms, mV, uF, cm, msiemens, uA,
                        defaultclock, set_device, device, exp, prefs)
    import numpy as np
    best = float("inf")
    trains = None
    for r in range(repeats):
        d = os.path.join(tmp, "brian2_%d" % r)
        set_device("cpp_standalone", directory=d, build_on_run=False)
        device.reinit()
        set_device("cpp_standalone", directory=d, build_on_run=False)
        prefs.devices.cpp_standalone.openmp_threads = threads if threads > 1 else 0
        defaultclock.dt = DT_MS * ms
        eqs = """
        dv/dt = (I - gna*m**3*h*(v - ENa) - gk*n**4*(v - EK) - gl*(v - El)) / Cm : volt
        dm/dt = alpham*(1 - m) - betam*m : 1
        dh/dt = alphah*(1 - h) - betah*h : 1
        dn/dt = alphan*(1 - n) - betan*n : 1
        alpham = 0.1/mV * 10*mV / exprel(-(v + 40*mV)/(10*mV)) / ms : Hz
        betam = 4 * exp(-(v + 65*mV)/(18*mV)) / ms : Hz
        alphah = 0.07 * exp(-(v + 65*mV)/(20*mV)) / ms : Hz
        betah = 1 / (1 + exp(-(v + 35*mV)/(10*mV))) / ms : Hz
        alphan = 0.01/mV * 10*mV / exprel(-(v + 55*mV)/(10*mV)) / ms : Hz
        betan = 0.125 * exp(-(v + 65*mV)/(80*mV)) / ms : Hz
        I : amp/meter**2 (constant)
        """
        ns = dict(Cm=1 * uF / cm**2, gna=120 * msiemens / cm**2, gk=36 * msiemens / cm**2,
                  gl=0.3 * msiemens / cm**2, ENa=50 * mV, EK=-77 * mV, El=-54.3 * mV)
        g = NeuronGroup(N, eqs, threshold="v > 0*mV", refractory="v > 0*mV",
                        method="exponential_euler", namespace=ns)
        g.I = np.array(drives()) * uA / cm**2
        vr = V_REST
        am = 0.1 * (vr + 40) / (1 - np.exp(-(vr + 40) / 10))
        bm = 4 * np.exp(-(vr + 65) / 18)
        ah = 0.07 * np.exp(-(vr + 65) / 20)
        bh = 1 / (1 + np.exp(-(vr + 35) / 10))
        an = 0.01 * (vr + 55) / (1 - np.exp(-(vr + 55) / 10))
        bn = 0.125 * np.exp(-(vr + 65) / 80)
        g.v = vr * mV
        g.m, g.h, g.n = am / (am + bm), ah / (ah + bh), an / (an + bn)
        mon = SpikeMonitor(g)
        from brian2 import run
        run(T_MS * ms)
        device.build(directory=d, compile=True, run=True)
        best = min(best, device._last_run_time)
        trains = {i: list(np.asarray(t / ms)) for i, t in mon.spike_trains().items()}
    return best, trains


HOC = r"""
celsius = 6.3
nn = %(n)d
objref secs[nn], stims[nn], ncs[nn], tvecs[nn], nil, f, cv
create soma[nn]
for i = 0, nn - 1 soma[i] {
    nseg = 1  L = %(ld).10f  diam = %(ld).10f  cm = 1
    insert hh
    stims[i] = new IClamp(0.5)
    stims[i].del = 0  stims[i].dur = 1e9
    stims[i].amp = %(amp_scale).10f * (%(drive)g * (1 + %(spread)g * (2 * i / (nn - 1) - 1)))
    tvecs[i] = new Vector()
    ncs[i] = new NetCon(&v(0.5), nil)
    ncs[i].threshold = 0
    ncs[i].record(tvecs[i])
}
usetable_hh = %(tables)d
objref pc
pc = new ParallelContext()
pc.nthread(%(threads)d)
cv = new CVode()
cv.active(%(cvode)d)
if (%(cvode)d) { cv.atol(1e-9)  cv.rtol(1e-9) }
dt = %(dt).17g
steps_per_ms = 1 / dt
tstop = %(tstop)g
v_init = %(v_init)g
finitialize(v_init)
t0 = startsw()
while (t < tstop) { fadvance() }
elapsed = startsw() - t0
f = new File()
f.wopen("%(out)s")
f.printf("elapsed %%.6f\n", elapsed)
for i = 0, nn - 1 for j = 0, tvecs[i].size() - 1 f.printf("%%d %%.9f\n", i, tvecs[i].x[j])
f.close()
quit()
"""


def run_neuron(tmp, cvode, neurons, repeats, threads=1):
    """neurons: list of indices (their drives as in the bank)."""
    best, trains = float("inf"), None
    for r in range(repeats):
        out = os.path.join(tmp, "neuron_%d_%d.txt" % (cvode, r))
        # area = pi d L = 1e4 um2 = 1e-4 cm2, so 1 uA/cm2 is 0.1 nA
        ld = (1e4 / 3.141592653589793) ** 0.5
        hoc = HOC % dict(n=N, ld=ld, amp_scale=0.1, drive=DRIVE, spread=SPREAD,
                         tables=0 if cvode else 1, cvode=cvode, dt=DT_MS, tstop=T_MS,
                         v_init=V_REST, out=out, threads=threads)
        if neurons != list(range(N)):
            # only the sample neurons: keep their own drives
            hoc = hoc.replace("for i = 0, nn - 1 soma[i] {",
                              "for i = 0, nn - 1 if (%s) soma[i] {" %
                              " || ".join("i == %d" % k for k in neurons))
            hoc = hoc.replace("for i = 0, nn - 1 for j",
                              "for i = 0, nn - 1 if (%s) for j" %
                              " || ".join("i == %d" % k for k in neurons))
        path = os.path.join(tmp, "bank_%d.hoc" % cvode)
        with open(path, "w") as f:
            f.write(hoc)
        subprocess.run(["nrniv", "-nobanner", path], check=True, cwd=tmp,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t = {i: [] for i in range(N)}
        with open(out) as f:
            elapsed = float(f.readline().split()[1])
            for line in f:
                i, s = line.split()
                t[int(i)].append(float(s))
        best, trains = min(best, elapsed), t
    return best, trains


def spike_error(trains, ref):
    worst, missing = 0.0, 0
    for i in SAMPLES:
        a, b = trains.get(i, []), ref[i]
        missing += abs(len(a) - len(b))
        for x, y in zip(a, b):
            worst = max(worst, abs(x - y))
    return worst, missing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hillock", default=None, help="the hillock executable")
    ap.add_argument("--repeats", type=int, default=3, help="runs per simulator (fastest kept)")
    ap.add_argument("--threads", type=int, default=1, help="threads given to every simulator")
    args = ap.parse_args()
    exe = args.hillock or shutil.which("hillock")
    if not exe:
        for cand in ("build/cli/hillock", "build-perf/cli/hillock"):
            if os.path.exists(cand):
                exe = os.path.abspath(cand)
                break
    if not exe:
        sys.exit("no hillock executable: pass --hillock PATH")
    # the two simulators, checked before any work is done: no test runs
    # them, so only `sh scripts/setup.sh reference` installs them, and Brian2
    # is Debian's package for Debian's python3, not for another python on the
    # PATH
    if not shutil.which("nrniv"):
        sys.exit("NEURON's nrniv not found: sh scripts/setup.sh reference "
                 "(or apt install neuron)")
    try:
        import brian2  # noqa: F401
    except ImportError:
        sys.exit("Brian2 not found for %s: sh scripts/setup.sh reference "
                 "(or apt install python3-brian), and run with /usr/bin/python3"
                 % sys.executable)

    tmp = tempfile.mkdtemp(prefix="hillock_compare_")
    try:
        print("reference: NEURON CVODE (atol 1e-9, tables off), %d sample neurons ..."
              % len(SAMPLES), flush=True)
        _, ref = run_neuron(tmp, 1, SAMPLES, 1)
        rows = []
        t_h, tr_h = run_hillock(exe, tmp, args.repeats, args.threads)
        rows.append(("hillock render (%s)" % os.environ.get("HILLOCK_ISA", "auto"), t_h, tr_h))
        print("hillock: %.3f s" % t_h, flush=True)
        try:
            t_n, tr_n = run_neuron(tmp, 0, list(range(N)), args.repeats, args.threads)
            rows.append(("NEURON 8.2 fixed dt", t_n, tr_n))
            print("NEURON: %.3f s" % t_n, flush=True)
        except (OSError, subprocess.CalledProcessError) as e:
            print("NEURON: not run (%s)" % e)
        try:
            t_b, tr_b = run_brian2(tmp, args.repeats, args.threads)
            rows.append(("Brian2 2.5 cpp_standalone", t_b, tr_b))
            print("Brian2: %.3f s" % t_b, flush=True)
        except Exception as e:  # noqa: BLE001 - any Brian2 failure skips its column
            print("Brian2: not run (%s)" % e)

        n_ref = sum(len(ref[i]) for i in SAMPLES)
        print()
        print("%d HH neurons, dt = 1/48 ms, %g s, %d thread(s) each; reference spikes in "
              "the %d samples: %d" % (N, T_MS / 1000, args.threads, len(SAMPLES), n_ref))
        print("| simulator | wall time (s) | hillock speed-up | max spike-time error (ms) "
              "| spikes missing/extra |")
        print("|---|---|---|---|---|")
        for name, t, tr in rows:
            err, miss = spike_error(tr, ref)
            print("| %s | %.3f | %.1fx | %.3f | %d |" % (name, t, t / t_h, err, miss))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
