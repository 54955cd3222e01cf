#!/usr/bin/python3
"""Plot `hillock bench --json FILE` as a PNG: neurons that fit in 25 % of one
core at 48 kHz, per bank (model and conditions) and instruction-set path,
as grouped horizontal bars; with a second JSON (an earlier run on the same
machine) its figures are drawn as outlines behind the bars. Several runs of
each (on a shared host, one binary's runs alternated with the other's): each
bank drawn from its median run, by ns per neuron-step, so that one run that
caught the host quiet or busy does not make the bar.

Run: /usr/bin/python3 scripts/bench_plot.py RUN.json [RUN2.json ...]
         [--before EARLIER.json [EARLIER2.json ...]] [-o capacity.png]
Needs python3-matplotlib (Debian; `sh scripts/setup.sh reference` installs
it); on demand, not part of the tests.
"""
import argparse
import json
import sys


def load(paths):
    """{(path, bank): capacity at 48 kHz} from each bank's median run, and
    the first run's document"""
    docs = []
    for path in paths:
        with open(path) as f:
            docs.append(json.load(f))
    doc = docs[0]
    rates = doc.get("capacity_rates", [44100, 48000, 96000])
    at = rates.index(48000)
    runs = {}
    for d in docs:
        for r in d["rows"]:
            runs.setdefault((r["path"], r["bank"]), []).append(r)
    median = {}
    for key, rows in runs.items():
        rows.sort(key=lambda r: r["ns_per_neuron_step"])
        median[key] = rows[(len(rows) - 1) // 2]["capacity_25"][at]
    return median, doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", nargs="+")
    ap.add_argument("--before", nargs="+", help="an earlier run's JSON, drawn as outlines")
    ap.add_argument("-o", "--output", default="capacity.png")
    args = ap.parse_args()
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("bench_plot.py: needs matplotlib: sh scripts/setup.sh reference "
                 "(or apt-get install python3-matplotlib)")

    now, doc = load(args.run)
    before = load(args.before)[0] if args.before else {}
    paths = sorted({p for p, _ in now}, key=["avx512", "avx2", "sse2"].index)
    banks = []
    for _, b in now:
        if b not in banks:
            banks.append(b)
    height = 0.8 / len(paths)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(banks) * max(1, len(paths) / 1.5) + 1.5))
    for k, p in enumerate(paths):
        ys = [i + k * height for i in range(len(banks))]
        vals = [now.get((p, b), 0) for b in banks]
        ax.barh(ys, vals, height=height, label=p)
        if before:
            old = [before.get((p, b), 0) for b in banks]
            ax.barh(ys, old, height=height, fill=False, edgecolor="black", linewidth=0.8,
                    label=("earlier run" if k == 0 else None))
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(banks))])
    ax.set_yticklabels(banks)
    ax.invert_yaxis()
    ax.set_xlabel("neurons in 25 % of one core at 48 kHz (whole audio path)")
    ax.set_title("hillock bench: %d and %d neurons, fastest of %d x %g s%s"
                 % (doc["neurons"][0], doc["neurons"][1], doc["repeats"], doc["seconds"],
                    ", median of %d runs" % len(args.run) if len(args.run) > 1 else ""),
                 fontsize=10)
    ax.legend(loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print("wrote", args.output)


if __name__ == "__main__":
    main()
