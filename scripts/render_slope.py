#!/usr/bin/python3
"""The whole audio path's cost per neuron-step of `hillock render`, for
several binaries run in turn.

Each binary renders the same bank at two sizes, REPS times, the binaries and
sizes interleaved (the order reversed every round), and the process's CPU
time (user + system, from the kernel's accounting of the child) is kept;
the cost per neuron-step is the slope between the two sizes' fastest runs,
so the process's start, the WAV and everything else that does not grow with
the bank cancel. On a shared machine one `hillock bench` slope moves by tens
of per cent from run to run; renders of two seconds are long enough that the
fastest of a dozen comes back within a few per cent.

Run:
  /usr/bin/python3 scripts/render_slope.py BEFORE AFTER [...] \\
      [--reps 12] [--seconds 2] [--neurons 1024,4096] \\
      [-- render settings, default: -s model=izhikevich -s spread=0.5]
Prints, per binary, the fastest CPU time at each size, the slope in ns per
neuron-step and its ratio to the first binary's, and the load average.
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile


def cpu_time(exe, settings, neurons, seconds, out, env):
    t0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # one thread: the slope is one core's cost (render's default is auto)
    subprocess.run([exe, "render", "-q", "--threads", "1", *settings, "-s", f"neurons={neurons}",
                    "-d", str(seconds), "-o", out], check=True, env=env)
    t1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (t1.ru_utime - t0.ru_utime) + (t1.ru_stime - t0.ru_stime)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    argv = sys.argv[1:]
    settings = ["-s", "model=izhikevich", "-s", "spread=0.5"]
    if "--" in argv:
        settings = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--reps", type=int, default=12)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--neurons", default="1024,4096", help="the two bank sizes")
    ap.add_argument("--isa", default="avx512", help="HILLOCK_ISA for every run")
    args = ap.parse_args(argv)
    small, large = (int(x) for x in args.neurons.split(","))
    env = dict(os.environ, HILLOCK_ISA=args.isa)
    # in memory: a WAV written to a shared disk moved single runs by a third
    with tempfile.TemporaryDirectory(dir="/dev/shm" if os.access("/dev/shm", os.W_OK)
                                     else None) as tmp:
        out = os.path.join(tmp, "x.wav")
        print(f"load average before: {loadavg()}")
        best = {}
        for r in range(args.reps):
            order = args.binaries if r % 2 == 0 else args.binaries[::-1]
            for n in (small, large):
                for exe in order:
                    t = cpu_time(exe, settings, n, args.seconds, out, env)
                    best[exe, n] = min(best.get((exe, n), float("inf")), t)
        print(f"load average after: {loadavg()}")
    steps = args.seconds * 48000  # render's default sample rate, speed 1
    print(f"\nrender {' '.join(settings)} -d {args.seconds}, {args.isa}, "
          f"fastest of {args.reps} each\n")
    print(f"| binary | {small} neurons (s) | {large} neurons (s) | ns per neuron-step | ratio |")
    print("|---|---|---|---|---|")
    first = None
    for exe in args.binaries:
        slope = (best[exe, large] - best[exe, small]) / (large - small) / steps * 1e9
        first = first or slope
        print(f"| {exe} | {best[exe, small]:.3f} | {best[exe, large]:.3f} | {slope:.3f} | "
              f"{slope / first:.2f}x |")


if __name__ == "__main__":
    main()
