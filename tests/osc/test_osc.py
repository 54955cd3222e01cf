"""Spikes as OSC (/hillock/spike, int32 unit, float64 time in seconds): what
`hillock render --osc` sends, received by a liblo server (osc_listen).

References: the OSC 1.0 specification (a bundle holds messages; liblo's
server reports each bundle and message), and the render's own spike list:
`--spikes` writes each spike's exact time, which the message must carry
(both printed with 9 decimals), one bundle per engine block (-b frames)
that holds spikes."""
import os
import subprocess
import sys
import tempfile
import unittest

HILLOCK = os.path.abspath(sys.argv[1])
LISTEN = os.path.abspath(sys.argv[2])
del sys.argv[1:]

EXIT_OUTPUT = 4
RATE, BLOCK = 48000, 256
PR = ["-s", "model=pinsky_rinzel", "-s", "neurons=3", "-s", "spread=0.5", "-q",
      "-r", str(RATE), "-b", str(BLOCK)]


def listen(quiet_s="1.5"):
    p = subprocess.Popen([LISTEN, quiet_s], stdout=subprocess.PIPE, text=True)
    port = int(p.stdout.readline())
    return p, port


def received(p):
    out, _ = p.communicate(timeout=30)
    bundles = []
    for line in out.splitlines():
        if line == "bundle":
            bundles.append([])
        else:
            kind, unit, time = line.split()
            bundles[-1].append((int(unit), time))
    return bundles


class RenderOsc(unittest.TestCase):
    def test_every_spike_arrives_at_its_exact_time_one_bundle_per_block(self):
        with tempfile.TemporaryDirectory() as d:
            p, port = listen()
            csv = os.path.join(d, "s.csv")
            r = subprocess.run([HILLOCK, "render", *PR, "-d", "3", "--spikes", csv,
                                "--osc", f"osc.udp://127.0.0.1:{port}/",
                                "-o", os.path.join(d, "o.wav")], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            bundles = received(p)
            with open(csv) as f:
                rows = [line.split(",") for line in f.read().splitlines()[1:]]
            expected = [(int(n), t) for t, n in rows]
            self.assertGreater(len(expected), 20)
            got = [m for b in bundles for m in b]
            self.assertEqual(sorted(got), sorted(expected))
            # a bundle per block with spikes: each bundle's spikes in one block
            blocks = {int(float(t) * RATE) // BLOCK for _, t in expected}
            self.assertEqual(len(bundles), len(blocks))
            for b in bundles:
                self.assertEqual(len({int(float(t) * RATE) // BLOCK for _, t in b}), 1, b)

    def test_an_unreachable_host_is_refused_before_anything_is_written(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "o.wav")
            for url, says in (("osc.udp://no-such-host.invalid:9000/", "cannot reach"),
                              ("http://example.org/", "not an OSC URL")):
                r = subprocess.run([HILLOCK, "render", *PR, "-d", "1", "--osc", url, "-o", out],
                                   capture_output=True, text=True)
                self.assertEqual(r.returncode, EXIT_OUTPUT, r.stderr)
                self.assertIn(says, r.stderr)
                self.assertIn(url, r.stderr)
                self.assertEqual(os.listdir(d), [], "nothing written")


if __name__ == "__main__":
    unittest.main()
