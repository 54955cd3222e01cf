"""Ctrl-C (SIGINT) and SIGTERM during `hillock render`: the command stops
within a second or two, exits with EXIT_INTERRUPTED and leaves a valid WAV
(and CSVs) holding what was rendered, with no temporary file behind."""
import os
import signal
import subprocess
import time
import unittest

from clitest import (EXIT_INTERRUPTED, HILLOCK, listing, read_csv, read_wav, workdir)

# 256 HH neurons for 120 s take far longer than the test waits.
SLOW = ["-s", "model=hh", "-s", "neurons=256", "-d", "120"]


class Interrupt(unittest.TestCase):
    def interrupt(self, sig, extra=()):
        with workdir() as d:
            out = os.path.join(d, "long.wav")
            p = subprocess.Popen([HILLOCK, "render", *SLOW, *extra, "-o", out], cwd=d,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)
            self.assertIsNone(p.poll(), "render must still be running after 1 s")
            sent = time.monotonic()
            p.send_signal(sig)
            try:
                _, err = p.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.communicate()
                self.fail("render did not stop within 5 s of the signal")
            took = time.monotonic() - sent
            self.assertLess(took, 2.0, "stops within a second or two")
            self.assertEqual(p.returncode, EXIT_INTERRUPTED, err)
            self.assertIn("interrupted", err)
            w = read_wav(out)
            self.assertEqual((w.channels, w.rate), (2, 48000))
            self.assertGreater(w.frames, 0)
            self.assertLess(w.frames, 120 * 48000)
            return d, w, listing(d)

    def test_sigint_leaves_a_valid_shorter_wav(self):
        _, _, files = self.interrupt(signal.SIGINT)
        self.assertEqual(files, ["long.wav"])

    def test_sigterm_leaves_a_valid_shorter_wav(self):
        _, _, files = self.interrupt(signal.SIGTERM)
        self.assertEqual(files, ["long.wav"])

    def test_csvs_are_kept_and_match_the_wav(self):
        with workdir() as d:
            out, tr = os.path.join(d, "long.wav"), os.path.join(d, "t.csv")
            sp = os.path.join(d, "s.csv")
            p = subprocess.Popen([HILLOCK, "render", *SLOW, "--trace", tr, "--spikes", sp,
                                  "-o", out], stderr=subprocess.DEVNULL)
            time.sleep(1.0)
            p.send_signal(signal.SIGINT)
            self.assertEqual(p.wait(timeout=5), EXIT_INTERRUPTED)
            self.assertEqual(listing(d), ["long.wav", "s.csv", "t.csv"])
            frames = read_wav(out).frames
            header, rows = read_csv(tr)
            self.assertEqual(header, "time_s,v")
            self.assertEqual(len(rows), frames, "one trace row per rendered sample")
            header, rows = read_csv(sp)
            self.assertEqual(header, "time_s,neuron")
            self.assertTrue(all(float(t) < frames / 48000 for t, _ in rows))

    def test_second_sigint_abandons_a_slow_block_and_removes_the_files(self):
        # 16384 Pinsky-Rinzel neurons at speed 4 in blocks of 8192 frames:
        # one block is 5.4e8 neuron-steps, over a second even on the AVX-512
        # path (docs/measurements.md), so the first signal cannot act yet.
        with workdir() as d:
            p = subprocess.Popen([HILLOCK, "render", "-s", "neurons=16384", "-s", "speed=4",
                                  "-s", "model=pinsky_rinzel", "-b", "8192",
                                  "-d", "60", "--spikes", "s.csv", "-o", "slow.wav"],
                                 cwd=d, stderr=subprocess.PIPE, text=True)
            # the engine and the spike list for 16384 neurons come first
            # (slow under MALLOC_PERTURB_, which meson sets): wait for the files
            deadline = time.monotonic() + 10
            while len(listing(d)) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(len(listing(d)), 2, "both temporary files exist")
            time.sleep(0.2)
            p.send_signal(signal.SIGINT)
            time.sleep(0.1)
            sent = time.monotonic()
            p.send_signal(signal.SIGINT)
            _, err = p.communicate(timeout=5)
            self.assertLess(time.monotonic() - sent, 0.5)
            self.assertEqual(p.returncode, EXIT_INTERRUPTED, err)
            self.assertIn("abandoned", err)
            self.assertEqual(listing(d), [])

    def test_long_render_planned_as_rf64_is_plain_wav_when_interrupted_early(self):
        # 6 h of 32-bit stereo at 48 kHz is 8.3 GB: too big for RIFF, so the
        # file is opened as RF64 and downgraded if it ends up small.
        with workdir() as d:
            out = os.path.join(d, "long.wav")
            p = subprocess.Popen([HILLOCK, "render", "-d", "21600", "-o", out],
                                 stderr=subprocess.DEVNULL)
            time.sleep(0.5)
            p.send_signal(signal.SIGINT)
            self.assertEqual(p.wait(timeout=5), EXIT_INTERRUPTED)
            w = read_wav(out)
            self.assertEqual(w.container, b"RIFF")
            self.assertGreater(w.frames, 0)


if __name__ == "__main__":
    unittest.main()
