#!/usr/bin/python3
"""The learning network's cost, one mechanism added at a time.

The bank of `hillock bench`'s learning row (1024 HH neurons, drive 10
uA/cm2 absolute, spread 0.2, from rest, one thread) rendered uncoupled,
coupled at 10 % (w_exc 0.01, w_inh 0.05, exponential synapses), then with
the receptors (AMPA + NMDA, GABA-A + GABA-B), then axonal delays at 1 m/s,
then STDP. Each bank is rendered for SECONDS and for 10 ms, ROUNDS times in
turn with the others; the short render's CPU time (start-up) is taken off
the long one's, and the rest divided by the neuron-steps. Prints a Markdown
table: CPU seconds (median), ns per neuron-step, the ratio to the
uncoupled bank, and the spikes per neuron per second (the receptors change
the firing, and with it the voices' and the synapses' work).

Run: /usr/bin/python3 scripts/learning_parts.py [HILLOCK] [SECONDS] [ROUNDS]
(defaults build/cli/hillock, 3, 5: about a minute).
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile

NEURONS = 1024
RATE = 48000
BANK = ["-q", "-r", str(RATE), "-s", "model=hh", "-s", "drive=10", "-s", "spread=0.2",
        "-s", "drive_mode=absolute", "-s", "start=rest", "-s", "neurons=%d" % NEURONS,
        "--threads", "1"]
COUPLED = ["-s", "connectivity=0.1", "-s", "w_exc=0.01", "-s", "w_inh=0.05"]
RECEPTORS = COUPLED + ["-s", "synapse_model=receptors"]
DELAYS = RECEPTORS + ["-s", "axon_velocity=1"]
LEARNING = DELAYS + ["-s", "plasticity=1"]
BANKS = [("uncoupled", []), ("coupled 10 %", COUPLED), ("+ receptors", RECEPTORS),
         ("+ delays 1 m/s", DELAYS), ("+ STDP (the learning network)", LEARNING)]


def cpu_of(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "build/cli/hillock"
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    tmp = tempfile.mkdtemp(dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    wav, csv = os.path.join(tmp, "x.wav"), os.path.join(tmp, "x.csv")
    long_cpu = {name: [] for name, _ in BANKS}
    short_cpu = {name: [] for name, _ in BANKS}
    spikes = {}
    for _ in range(rounds):
        for name, extra in BANKS:
            cmd = [exe, "render"] + BANK + extra + ["-o", wav, "--spikes", csv]
            long_cpu[name].append(cpu_of(cmd + ["-d", "%g" % seconds]))
            with open(csv) as f:
                spikes[name] = sum(1 for _ in f) - 1
            short_cpu[name].append(cpu_of(cmd + ["-d", "0.01"]))
    for f in (wav, csv):
        os.remove(f)
    os.rmdir(tmp)
    steps = RATE * (seconds - 0.01) * NEURONS

    def ns(name):
        return (statistics.median(long_cpu[name]) - statistics.median(short_cpu[name])) / steps * 1e9

    base = ns("uncoupled")
    print("| bank (%d HH, %g s, one thread) | CPU s (median of %d) | ns per neuron-step "
          "(start-up off) | / uncoupled | spikes per neuron per s |" % (NEURONS, seconds, rounds))
    print("|---|---|---|---|---|")
    for name, _ in BANKS:
        print("| %s | %.3f | %.2f | %.2fx | %.1f |" % (
            name, statistics.median(long_cpu[name]), ns(name), ns(name) / base,
            spikes[name] / NEURONS / seconds))


if __name__ == "__main__":
    main()
