#!/usr/bin/python3
"""Two builds' two-thread speed-ups, measured side by side.

`scripts/threads_speedup.sh` measures one build; run once per build, the
two runs catch the shared host in different moods (the same build read
1.47x and 1.81x for HH 2048 minutes apart). This script interleaves both
builds: each round renders BEFORE on one thread, BEFORE on two, AFTER on
one and AFTER on two, starting one render further along each round, and
prints each build's median wall times and the ratio of its medians.

Run: /usr/bin/python3 scripts/threads_pairs.py BEFORE AFTER [NEURONS] [ROUNDS] [MODEL]
(defaults 2048, 8, hh; 5 s renders with spread 0.5, written to /dev/shm
where there is one).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    builds = {"before": sys.argv[1], "after": sys.argv[2]}
    neurons = sys.argv[3] if len(sys.argv) > 3 else "2048"
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    model = sys.argv[5] if len(sys.argv) > 5 else "hh"
    tmp = tempfile.mkdtemp(dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    wav = os.path.join(tmp, "x.wav")
    order = [(b, t) for b in builds for t in (1, 2)]
    walls = {key: [] for key in order}
    for r in range(rounds):
        for build, threads in order[r % 4:] + order[:r % 4]:
            cmd = [builds[build], "render", "-q", "-d", "5", "-s", "model=" + model, "-s",
                   "neurons=" + neurons, "-s", "spread=0.5", "--threads", str(threads),
                   "-o", wav]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True)
            walls[(build, threads)].append(time.perf_counter() - t0)
    os.remove(wav)
    os.rmdir(tmp)
    for build in builds:
        one = statistics.median(walls[(build, 1)])
        two = statistics.median(walls[(build, 2)])
        print("%s %s %s: 1 thread %.3f s, 2 threads %.3f s, ratio %.2fx"
              % (build, model, neurons, one, two, one / two))


if __name__ == "__main__":
    main()
