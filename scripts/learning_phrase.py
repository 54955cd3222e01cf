#!/usr/bin/env python3
"""The learned-phrase preset's experiment: write the phrase it learns as a
Standard MIDI File, or measure a render's answers to it.

  python3 scripts/learning_phrase.py phrase.mid
  hillock render -p learned-phrase --midi-in phrase.mid -d 70 --spikes s.csv -o s.wav
  python3 scripts/learning_phrase.py --measure s.csv

The phrase: a rising arpeggio of MIDI notes 60..67 (one neuron each in the
preset), 12 ms a note, each held 10 ms, once a second from 0.2 s, 70 times.
The measure: per phrase, the spikes within 300 ms of its first note and the
time of the last note's neuron's first spike, averaged over the first five
phrases, five after half a minute and the last six.
"""
import csv
import struct
import sys

PPQ = 960  # at 120 BPM: 1 ms = 1.92 ticks


def vlq(v):
    out = [v & 0x7F]
    v >>= 7
    while v:
        out.append(0x80 | (v & 0x7F))
        v >>= 7
    return bytes(reversed(out))


def write_phrase(path, repeats=70):
    tick = lambda ms: int(round(ms * PPQ / 500.0))
    events = []
    for rep in range(repeats):
        t0 = 1000.0 * rep + 200.0
        for k in range(8):
            events.append((tick(t0 + 12.0 * k), 1, bytes([0x90, 60 + k, 100])))
            events.append((tick(t0 + 12.0 * k + 10.0), 0, bytes([0x80, 60 + k, 0])))
    events.sort()
    body, last = b"\x00\xff\x51\x03" + (500000).to_bytes(3, "big"), 0
    for t, _, data in events:
        body += vlq(t - last) + data
        last = t
    body += b"\x00\xff\x2f\x00"
    with open(path, "wb") as f:
        f.write(b"MThd" + struct.pack(">IHHH", 6, 0, 1, PPQ))
        f.write(b"MTrk" + struct.pack(">I", len(body)) + body)


def measure(path):
    rows = [(float(r["time_s"]), int(r["neuron"])) for r in csv.DictReader(open(path))]
    for first, end in ((1, 6), (30, 35), (63, 69)):
        counts, latency = [], []
        for rep in range(first, end):
            t0 = rep + 0.2
            spikes = [(t - t0, n) for t, n in rows if t0 - 0.001 <= t < t0 + 0.3]
            counts.append(len(spikes))
            last = [t for t, n in spikes if n == 7]
            if last:
                latency.append(1000.0 * min(last))
        print(f"phrases {first}-{end - 1}: {sum(counts) / len(counts):.1f} spikes each, "
              f"the last note's neuron first fires after "
              f"{sum(latency) / len(latency) if latency else float('nan'):.1f} ms")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure(sys.argv[2])
    elif len(sys.argv) == 2:
        write_phrase(sys.argv[1])
    else:
        sys.exit(__doc__)
