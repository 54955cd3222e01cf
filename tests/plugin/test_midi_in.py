"""`hillock render --midi-in` against the plugin playing the same MIDI.

A melody (format 1: a tempo track with a change, notes with running status,
pitch bend, the mod wheel) is rendered from the file, and played to the
plugin as a host plays MIDI: each message in the block that holds its
frame, at its offset, the frame worked out here from the file's ticks and
tempo map (MMA "Standard MIDI Files 1.0") and rounded. Both reach the
engine through engine_midi() at the same frames, so the outputs must be
identical sample for sample, whatever the host's block size.
"""
import array
import os
import subprocess
import sys
import tempfile
import unittest

HILLOCK = os.path.abspath(sys.argv[1])
PLAY = os.path.abspath(sys.argv[2])
del sys.argv[1:]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import smf  # noqa: E402
from clitest import read_wav  # noqa: E402

RATE = 44100
DURATION = 3.0
PPQ = 96
SETTINGS = ["model=hh", "neurons=8", "drive=4", "midi_drive=15", "scale=major", "root=60"]

# a tempo change at beat 2 (120 BPM, then 100 BPM)
TEMPO = [(0, smf.tempo(500000)), (192, smf.tempo(600000))]
MELODY = [(0, b"\x90\x3c\x64"), (48, b"\x3e\x50"), (96, b"\x80\x3c\x40"), (96, b"\x90\x40\x70"),
          (150, b"\xe0\x00\x60"), (200, b"\xb0\x01\x7f"), (240, b"\x80\x3e\x40"),
          (260, b"\x90\x43\x7f"), (300, b"\xe0\x00\x40"), (330, b"\x80\x40\x00"),
          (400, b"\x80\x43\x00")]


def events_with_frames():
    tmap = smf.tempo_map([[(t, "meta", 0x51, d[3:]) for t, d in TEMPO]])
    out, status = [], None
    for tick, data in MELODY:
        if data[0] & 0x80:
            status, rest = data[0], data[1:]
        else:
            rest = data
        frame = int(smf.seconds(tick, tmap, PPQ) * RATE + 0.5)
        out.append((frame, status, rest[0], rest[1]))
    return out


class MidiFileLikeLive(unittest.TestCase):
    def test_render_equals_the_plugin_fed_the_same_midi(self):
        with tempfile.TemporaryDirectory() as d:
            mid = os.path.join(d, "melody.mid")
            with open(mid, "wb") as f:
                f.write(smf.smf(1, PPQ, [smf.track(TEMPO), smf.track(MELODY)]))
            wav = os.path.join(d, "render.wav")
            args = [HILLOCK, "render", "-q", "-r", str(RATE), "-d", repr(DURATION),
                    "--midi-in", mid, "-o", wav]
            for s in SETTINGS:
                args += ["-s", s]
            subprocess.run(args, check=True)
            r = read_wav(wav)
            r_left, r_right = r.samples[0::2], r.samples[1::2]

            ev = os.path.join(d, "events.txt")
            with open(ev, "w") as f:
                for e in events_with_frames():
                    f.write("%d %d %d %d\n" % e)
            for block in (64, 1000):
                with self.subTest(block=block):
                    out = os.path.join(d, "plugin.f32")
                    latency = int(subprocess.run(
                        [PLAY, str(block), repr(DURATION), str(RATE), out, "--events", ev,
                         *SETTINGS], check=True, capture_output=True, text=True).stdout)
                    data = array.array("f")
                    with open(out, "rb") as f:
                        data.frombytes(f.read())
                    left, right = data[0::3][latency:], data[1::3][latency:]
                    n = len(left)
                    self.assertGreater(max(abs(v) for v in left), 0.01, "it plays")
                    diff = [i for i in range(n) if left[i] != r_left[i] or right[i] != r_right[i]]
                    self.assertEqual(diff[:1], [], "first differing frame")


if __name__ == "__main__":
    unittest.main()
