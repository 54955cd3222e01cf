#!/usr/bin/python3
"""Regenerate every value in tests/reference/RESULTS.md.
Run from anywhere: /usr/bin/python3 tests/reference/make_references.py
Needs Debian's neuron (nrniv), python3-brian, gcc (`sh scripts/setup.sh
reference`). About a minute on one core.
Writes tests/reference/results.json and prints the markdown tables."""
import json, math, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
TMP = tempfile.mkdtemp(prefix="hillock_refs_")


def sh(cmd, env=None):
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          env=env).stdout


def json_of(text):
    for line in text.splitlines():
        if line.startswith("JSON:"):
            return json.loads(line[5:])
    raise RuntimeError("no JSON line in output")


def build(name):
    exe = os.path.join(TMP, name)
    sh(["gcc", "-O2", "-Wall", "-Wextra", "-o", exe,
        os.path.join(HERE, name + ".c"), "-lm"])
    return exe


def times(exe, *args):
    return [float(x) for x in sh([exe] + [str(a) for a in args]).split()]


def bursts(t, lo, hi, gap):
    """Group spikes in [lo, hi] by gaps > gap. The first and last burst are
    dropped for sizes (window edges may cut them); periods are between
    successive burst starts after the first."""
    t = [x for x in t if lo <= x <= hi]
    starts = [0] + [i for i in range(1, len(t)) if t[i] - t[i - 1] > gap]
    sizes = [b - a for a, b in zip(starts, starts[1:] + [len(t)])][1:-1]
    per = [t[b] - t[a] for a, b in zip(starts, starts[1:])][1:]
    return {"spikes_per_burst": sorted(set(sizes)),
            "period_mean": sum(per) / len(per) if per else None,
            "period_min": min(per) if per else None,
            "period_max": max(per) if per else None,
            "n_periods": len(per),
            "intra_isi": [t[starts[1] + k + 1] - t[starts[1] + k]
                          for k in range(sizes[0] - 1)] if sizes else []}


def izh_rate(t):
    late = [x for x in t if 1000 <= x < 2000]
    return 1000.0 * (len(late) - 1) / (late[-1] - late[0])


def main():
    res = {}
    # 1. HH: NEURON (CVODE) and the independent RK4 (plain python)
    res["hh_neuron"] = json_of(sh(["nrniv", "-nobanner", "-python",
                                   os.path.join(HERE, "hh_neuron.py"),
                                   "-c", "quit()"]))
    res["hh_rk4"] = json_of(sh([PY, os.path.join(HERE, "hh_rk4.py"),
                                "a", "b", "c", "d"]))
    env = dict(os.environ, HH_RK4_DT="0.0005")
    half = json_of(sh([PY, os.path.join(HERE, "hh_rk4.py"), "a"], env=env))
    res["hh_rk4_a_dt_halving_max_ms"] = max(
        abs(x - y) for x, y in zip(half["cases"]["a"]["spikes"],
                                   res["hh_rk4"]["cases"]["a"]["spikes"]))
    for k, c in res["hh_rk4"]["cases"].items():
        sn = res["hh_neuron"]["cases"][k]["spikes"]
        c["max_abs_diff_vs_neuron_ms"] = max(
            abs(x - y) for x, y in zip(sn, c["spikes"])) \
            if len(sn) == len(c["spikes"]) else None

    # 2+3. Brian2 (Izhikevich, Hindmarsh-Rose) and independent C RK4 checks
    res["brian2"] = json_of(sh([PY, os.path.join(HERE, "brian2_refs.py")]))
    izh = build("izh_rk4")
    res["izh_rk4"] = {}
    for name, p in [("RS_I10_check", (0.02, 0.2, -65, 8, 10)),
                    ("FS_I10_check", (0.1, 0.2, -65, 2, 10)),
                    ("RS_I5", (0.02, 0.2, -65, 8, 5)),
                    ("RS_I15", (0.02, 0.2, -65, 8, 15)),
                    ("FS_I5", (0.1, 0.2, -65, 2, 5))]:
        res["izh_rk4"][name] = {
            "exact_reset": izh_rate(times(izh, *p, 0.001, 2000, 0)),
            "step_end_reset_dt0.001": izh_rate(times(izh, *p, 0.001, 2000, 1)),
            "step_end_reset_dt0.0001": izh_rate(times(izh, *p, 0.0001, 2000, 1))}
    hr = build("hr_rk4")
    res["hr_rk4"] = {}
    for r, I in [(0.006, 2.0), (0.004, 2.5), (0.006, 3.0)]:
        for dt in (0.001, 0.0005):
            b = bursts(times(hr, r, I, dt, 20000), 5000, 20000, 40)
            res["hr_rk4"]["r%g_I%g_dt%g" % (r, I, dt)] = b

    # 4. Pinsky-Rinzel, own C RK4
    pr = build("pr_rk4")
    res["pr_rk4"] = {}
    for gc, Is in [(2.1, 0.5), (2.1, 0.75), (10.5, 2.0), (2.1, 1.0), (5.0, 1.5)]:
        for dt in (0.002, 0.001):
            b = bursts(times(pr, gc, Is, dt, 6000), 2000, 6000, 60)
            res["pr_rk4"]["gc%g_Is%g_dt%g" % (gc, Is, dt)] = b

    # 5. NMDA Mg block, Jahr & Stevens 1990
    res["nmda"] = {"Mg%g_V%g" % (mg, v): 1 / (1 + math.exp(-0.062 * v) * mg / 3.57)
                   for mg, vs in ((1, (-65, -20, 0)), (2, (-80, -40, 0)))
                   for v in vs}

    for c in list(res["hh_neuron"]["cases"].values()) + \
            list(res["hh_rk4"]["cases"].values()):
        c["spikes"] = [round(x, 9) for x in c["spikes"]]
    with open(os.path.join(HERE, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    report(res)


def report(res):
    print("| case | NEURON n / first (ms) / rate (Hz) | RK4 n / first / rate | max |dt| all spikes (ms) |")
    print("|---|---|---|---|")
    for k, c in res["hh_neuron"]["cases"].items():
        r = res["hh_rk4"]["cases"][k]
        print("| %s: %g degC, I = %g | %d / %.6f / %.6f | %d / %.6f / %.6f | %.1e |" % (
            k, c["celsius"], c["I"], c["n"], c["first"], c["rate"],
            r["n"], r["first"], r["rate"], r["max_abs_diff_vs_neuron_ms"]))
    print("HH RK4 dt-halving (case a), max spike shift: %.1e ms" %
          res["hh_rk4_a_dt_halving_max_ms"])
    print()
    for k, v in res["brian2"]["izhikevich"].items():
        e = res["izh_rk4"][k]
        print("| Izh %s | Brian2 %.6f | exact-reset RK4 %.6f | step-end dt 1e-4 %.6f |" % (
            k, v["rate_Hz"], e["exact_reset"], e["step_end_reset_dt0.0001"]))
    for k, v in res["brian2"]["hindmarsh_rose"].items():
        print("| HR %s Brian2 | %s | %.6f [%.3f, %.3f] |" % (
            k, v["spikes_per_burst"], v["period_mean"], *v["period_min_max"]))
    for k, v in res["hr_rk4"].items():
        print("| HR %s C RK4 | %s | %.6f [%.6f, %.6f] |" % (
            k, v["spikes_per_burst"], v["period_mean"], v["period_min"], v["period_max"]))
    print()
    for k, v in res["pr_rk4"].items():
        print("| PR %s | %s | %.6f [%.6f, %.6f] n=%d | intra ISI %s |" % (
            k, v["spikes_per_burst"], v["period_mean"], v["period_min"],
            v["period_max"], v["n_periods"], ["%.4f" % x for x in v["intra_isi"]]))
    print()
    for k, v in res["nmda"].items():
        print("| NMDA B %s | %.6g |" % (k, v))


if __name__ == "__main__":
    sys.exit(main())
