#!/usr/bin/python3
"""Before/after table of `hillock bench` from two binaries run alternately.

On a shared machine one run of a binary moves by tens of per cent, so a
before/after ratio from one run of each says little. This runs the two
binaries alternately, ROUNDS times each, with the same bench options, and
prints for every row the fastest slope (ns per neuron-step) of each binary,
their ratio, and the median and range of the ratios of the rounds' pairs.
Rows of coupled or learning banks also get their cost over the matching
uncoupled row (same model, spread and noise) in each binary, from the
fastest runs.

Run:
  /usr/bin/python3 scripts/bench_pairs.py BEFORE AFTER [--rounds 3] \\
      [-- bench options, e.g. --isa avx512 --seconds 0.5 --repeats 3]
Writes nothing but temporary JSON files; prints a Markdown table and the
load average before and after.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def run_bench(exe, options, path):
    subprocess.run([exe, "bench", *options, "--json", path], check=True,
                   stdout=subprocess.DEVNULL)
    with open(path) as f:
        return {(r["path"], r["bank"]): r for r in json.load(f)["rows"]}


def uncoupled_of(key, rows):
    """The row of the same bank without synapses: its name up to the coupling."""
    path, bank = key
    for mark in (" 10% ", " 10%"):
        if mark in bank:
            base = bank.split(mark)[0]
            return rows.get((path, base))
    return None


def alternate_runs(before, after, options, rounds):
    """{"before": [...], "after": [...]}: each binary's bench rows, ROUNDS
    runs of each, the two binaries alternately"""
    runs = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for name, exe in (("before", before), ("after", after)):
                path = os.path.join(tmp, "%s_%d.json" % (name, r))
                runs[name].append(run_bench(exe, options, path))
    return runs


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--rounds", type=int, default=3)
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    options = argv[cut + 1:]  # the bench options
    print("load average before: %s" % loadavg())
    runs = alternate_runs(args.before, args.after, options, args.rounds)
    print("load average after: %s" % loadavg())

    def fastest(name, key):
        values = [run[key]["ns_per_neuron_step"] for run in runs[name] if key in run]
        return min(values) if values else None

    keys = [k for k in runs["after"][0] if k in runs["before"][0]]
    print()
    print("| bank | before (ns) | after (ns) | after / before, fastest | "
          "pairs: median (min-max) |")
    print("|---|---|---|---|---|")
    for key in keys:
        b, a = fastest("before", key), fastest("after", key)
        pairs = [ra[key]["ns_per_neuron_step"] / rb[key]["ns_per_neuron_step"]
                 for rb, ra in zip(runs["before"], runs["after"])]
        print("| %s %s | %.3f | %.3f | %.2fx | %.2fx (%.2f-%.2f) |"
              % (key[0], key[1], b, a, a / b, statistics.median(pairs),
                 min(pairs), max(pairs)))
    coupled = [k for k in keys if uncoupled_of(k, runs["after"][0])]
    only_after = [k for k in runs["after"][0]
                  if k not in runs["before"][0] and uncoupled_of(k, runs["after"][0])]
    if coupled or only_after:
        print()
        print("| coupled bank / the same bank uncoupled | before | after |")
        print("|---|---|---|")
        for key in coupled + only_after:
            base = uncoupled_of(key, runs["after"][0])
            base_key = (base["path"], base["bank"])
            cells = []
            for name in ("before", "after"):
                c, u = fastest(name, key), fastest(name, base_key)
                cells.append("%.2fx" % (c / u) if c and u else "(no row)")
            print("| %s %s / %s | %s | %s |" % (key[0], key[1], base["bank"], *cells))


if __name__ == "__main__":
    main()
