#!/usr/bin/env python3
"""sound_report.py — how every preset sounds, as figures.

For each preset (`hillock presets`) it renders DURATION seconds and reports:
  first250  RMS level (dBFS) of the first 250 ms
  rest      RMS level of 0.25 s .. end
  onset     first250 - rest (dB): a thump (> 0) or a fade-in (< 0)
  dc_l/dc_r mean of each channel over the whole file
  dc20      the larger |mean| of the two channels at speed=20
  drop      how much quieter the bank gets when its activity stops: the
            preset runs for half the render, then a hyperpolarising current
            (the stimulus input, routed to every neuron: the preset's drive
            and a margin per model) silences every neuron; drop = level of the 0.5 s before the stop minus the
            level from 2 s after it (when the last plucks have rung out) to
            the end (noise keeps the membranes
            wobbling). `late` counts the spikes after the stop (should be 0)

Then a few contrasts: one neuron vs 1000, subthreshold noise vs spiking,
dcaap-xor's XOR "off" (branch_b=0.5), a bank at rest.

Levels come from `sox FILE -n trim A B stats` (RMS lev dB of the louder
channel is not used: the Overall column, both channels together).

Usage: scripts/sound_report.py [--hillock build/cli/hillock] [-d 4]
                               [--out /tmp/sound_report] [--markdown]
"""
import argparse
import os
import re
import subprocess
import sys

# current beyond the preset's drive that silences each model, in rheobases
# (drive_mode relative; 20 uA/cm2 for HH, 5 for Pinsky-Rinzel, 20 for
# Izhikevich, 3 for Hindmarsh-Rose in their units), through the stimulus
# input: enough to stop every spike, not so much that the voltage runs far
# from rest
STOP_MARGIN = {"hh": 3.2, "pinsky_rinzel": 3.0, "izhikevich": 20.0, "hindmarsh_rose": 2.3}

CONTRASTS = [  # in uA/cm2 (drive_mode absolute), levelling 0, retrigger in_step
    ("hh 1 neuron, drive 10", ["neurons=1", "drive=10"]),
    ("hh 1000 neurons, drive 10, spread .3",
     ["neurons=1000", "drive=10", "spread=0.3"]),
    ("hh 8 neurons synchronous (drive 10, from rest)", ["drive=10", "start=rest"]),
    ("hh 8 neurons spread .5 (drive 10)", ["drive=10", "spread=0.5"]),
    ("hh 1 neuron subthreshold noise 1", ["neurons=1", "drive=0", "noise=1"]),
    ("hh 1 neuron drive 7 (fires slowly)", ["neurons=1", "drive=7"]),
    ("hh 1 neuron drive 40 (fires fast)", ["neurons=1", "drive=40"]),
    ("hh bank at rest (drive 0)", ["drive=0"]),
    ("dcaap-xor, branch_b .5 (XOR off)", ["-p", "dcaap-xor", "branch_b=0.5"]),
]


def stats(path, start, end):
    """RMS dB (both channels) and DC per channel of [start, end) seconds."""
    cmd = ["sox", path, "-n", "trim", str(start)]
    if end is not None:
        cmd.append(str(end - start))
    cmd.append("stats")
    out = subprocess.run(cmd, capture_output=True, text=True).stderr
    rms = dc = None
    for line in out.splitlines():
        if line.startswith("RMS lev dB"):
            rms = float(line.split()[3].replace("-inf", "-999"))
        if line.startswith("DC offset"):
            f = line.split()
            dc = (float(f[3]), float(f[4]))
    return rms, dc


def render(hillock, args, sets, dur, out):
    cmd = [hillock, "render", "-q", "-d", str(dur), "-o", out] + args
    for s in sets:
        cmd += ["-s", s]
    subprocess.run(cmd, check=True)
    return out


def stop_stimulus(path, seconds, rate=48000):
    """Silence for half of it, then full-scale -1 (a 5 ms ramp)."""
    import struct
    import wave
    n = int(seconds * rate)
    half, ramp = n // 2, int(0.005 * rate)
    frames = bytearray()
    for i in range(n):
        x = 0.0 if i < half else -min(1.0, (i - half) / ramp)
        frames += struct.pack("<h", int(round(x * 32767)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return path


def preset_value(hillock, name, symbol, default):
    """The value a preset sets for symbol, read from its .ttl."""
    import json
    out = subprocess.run([hillock, "presets", "--json"], capture_output=True,
                         text=True, check=True).stdout
    for p in json.loads(out):
        if p.get("name") == name:
            with open(p["path"]) as fh:
                m = re.search(r'"%s"\s*;\s*pset:value\s*([-0-9.e]+)' % symbol, fh.read())
            return float(m.group(1)) if m else default
    return default


def preset_model(hillock, name):
    """The model a preset sets (hh when it sets none)."""
    models = ["hh", "pinsky_rinzel", "izhikevich", "hindmarsh_rose"]
    return models[int(preset_value(hillock, name, "model", 0))]


def presets(hillock):
    out = subprocess.run([hillock, "presets"], capture_output=True, text=True,
                         check=True).stdout
    return [l.split()[0] for l in out.splitlines()[1:] if l.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hillock", default="build/cli/hillock")
    ap.add_argument("-d", "--duration", type=float, default=6.0)
    ap.add_argument("--out", default="/tmp/sound_report")
    ap.add_argument("--only", help="comma-separated preset names")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--plain", action="store_true",
                    help="contrasts without levelling=0 retrigger=in_step (for a "
                         "build older than those parameters)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    d = a.duration
    names = a.only.split(",") if a.only else presets(a.hillock)
    sep = " | " if a.markdown else "  "
    head = ["preset", "first250", "rest", "onset", "dc_l", "dc_r", "dc20",
            "stopped", "drop", "late"]
    if a.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
    else:
        print("%-24s %8s %7s %6s %9s %9s %8s %8s %6s %5s" % tuple(head))
    worst_dc = 0.0
    stim = stop_stimulus(os.path.join(a.out, "stop.wav"), d)
    for p in names:
        f = render(a.hillock, ["-p", p], [], d, os.path.join(a.out, p + ".wav"))
        first, _ = stats(f, 0, 0.25)
        rest, _ = stats(f, 0.25, None)
        _, dc = stats(f, 0, None)
        f20 = render(a.hillock, ["-p", p], ["speed=20"], d,
                     os.path.join(a.out, p + "-speed20.wav"))
        _, dc20 = stats(f20, 0, None)
        model = preset_model(a.hillock, p)
        fs = os.path.join(a.out, p + "-stopped.wav")
        spikes = os.path.join(a.out, p + "-stopped.csv")
        render(a.hillock, ["-p", p, "-i", stim, "--spikes", spikes],
               ["input_routing=all", "input_mode=direct", "input_offset=0",
                "input_gain=%g" % (max(0.0, preset_value(a.hillock, p, "drive", 1.6))
                                   + STOP_MARGIN[model])], d, fs)
        before, _ = stats(fs, d / 2 - 0.5, d / 2)
        stopped, _ = stats(fs, d / 2 + 2.0, None)
        with open(spikes) as fh:
            late = sum(1 for l in list(fh)[1:] if float(l.split(",")[0]) > d / 2 + 0.1)
        dc20m = max(abs(dc20[0]), abs(dc20[1]))
        worst_dc = max(worst_dc, abs(dc[0]), abs(dc[1]), dc20m)
        row = (p, first, rest, first - rest, dc[0], dc[1], dc20m, stopped,
               before - stopped, late)
        if a.markdown:
            print("| %s | %.1f | %.1f | %+.1f | %+.4f | %+.4f | %.4f | %.1f | %.1f | %d |" % row)
        else:
            print("%-24s %8.1f %7.1f %+6.1f %+9.4f %+9.4f %8.4f %8.1f %6.1f %5d" % row)
    print()
    print("contrast (RMS dBFS of 1 s .. end)")
    for label, args in CONTRASTS:
        pre = args[:2] if args[:1] == ["-p"] else []
        sets = args[len(pre):] + (["levelling=0", "retrigger=in_step", "drive_mode=absolute"]
                                  if not (pre or a.plain) else [])
        f = render(a.hillock, pre, sets, d,
                   os.path.join(a.out, re.sub(r"[^a-z0-9]+", "_", label) + ".wav"))
        lv, dc = stats(f, 1.0, None)
        print("%-40s %7.1f dBFS   dc %+.4f %+.4f" % (label, lv, dc[0], dc[1]))
    print()
    print("worst |DC| over every preset at its speed and at speed 20: %.4f" % worst_dc)
    print("(%s, duration %g s)" % (" ".join(sys.argv), d))


if __name__ == "__main__":
    main()
