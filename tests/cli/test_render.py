"""`hillock render`: the WAV it writes, the spike and trace CSVs, the
stimulus input, block-size invariance.

Reference: docs/science.md, HH at I = 10 uA/cm2 and 6.3 degC fires 69
spikes in the first second (steady rate 68.390 Hz)."""
import math
import os
import unittest

from clitest import (EXIT_OK, listing, read_csv, read_wav, run, workdir, write_wav16)

# from rest, as the reference simulations in docs/science.md start
HH_ONE = ["-s", "model=hh", "-s", "neurons=1", "-s", "drive_mode=absolute", "-s", "drive=10",
          "-s", "start=rest"]


class WavOutput(unittest.TestCase):
    def check_wav(self, bits, fmt):
        with workdir() as d:
            out = os.path.join(d, "out.wav")
            code, _, err = run("render", "-d", "0.5", "-r", "44100", "--bits", str(bits),
                               "-q", "-o", out)
            self.assertEqual(code, EXIT_OK, err)
            self.assertEqual(err, "", "-q prints nothing")
            self.assertEqual(listing(d), ["out.wav"], "no temporary file left")
            w = read_wav(out)
            self.assertEqual((w.format, w.bits, w.channels, w.rate), (fmt, bits, 2, 44100))
            self.assertEqual(w.frames, 22050)
            self.assertTrue(all(math.isfinite(v) for v in w.samples))
            self.assertLessEqual(max(abs(v) for v in w.samples), 1.0)
            self.assertGreater(max(abs(v) for v in w.samples), 0.0, "not silence")
            # mode 0666 & ~umask, not mkstemp's 0600
            mask = os.umask(0)
            os.umask(mask)
            self.assertEqual(os.stat(out).st_mode & 0o777, 0o666 & ~mask)

    def test_float_is_the_default_32_bit(self):
        with workdir() as d:
            out = os.path.join(d, "out.wav")
            self.assertEqual(run("render", "-d", "0.1", "-q", "-o", out)[0], EXIT_OK)
            w = read_wav(out)
            self.assertEqual((w.format, w.bits, w.rate, w.frames), (3, 32, 48000, 4800))

    def test_bits_32_is_float(self):
        self.check_wav(32, 3)

    def test_bits_24_is_pcm(self):
        self.check_wav(24, 1)

    def test_bits_16_is_pcm(self):
        self.check_wav(16, 1)

    def test_summary_line(self):
        with workdir() as d:
            code, out, err = run("render", *HH_ONE, "-d", "1", "-o", os.path.join(d, "a.wav"))
            self.assertEqual(code, EXIT_OK)
            self.assertEqual(out, "", "stdout stays clean")
            lines = err.splitlines()
            self.assertEqual(len(lines), 1, err)
            for word in ("1.000 s", "69 spikes", "69.0/s", "real time", "0 non-finite"):
                self.assertIn(word, lines[0])
            self.assertNotIn("\r", err, "no progress bar when stderr is not a terminal")

    def test_block_size_does_not_change_the_output(self):
        # dsp/engine.h: bit-identical output whatever the block sizes
        with workdir() as d:
            a, b = os.path.join(d, "a.wav"), os.path.join(d, "b.wav")
            self.assertEqual(run("render", "-d", "0.3", "-b", "256", "-q", "-o", a)[0], 0)
            self.assertEqual(run("render", "-d", "0.3", "-b", "37", "-q", "-o", b)[0], 0)
            with open(a, "rb") as fa, open(b, "rb") as fb:
                self.assertEqual(fa.read(), fb.read())


class SpikesAndTrace(unittest.TestCase):
    def test_hh_at_drive_10_fires_69_spikes_in_1_s(self):
        with workdir() as d:
            sp, tr = os.path.join(d, "s.csv"), os.path.join(d, "t.csv")
            code, _, err = run("render", *HH_ONE, "-d", "1", "-q", "--spikes", sp,
                               "--trace", tr, "-o", os.path.join(d, "o.wav"))
            self.assertEqual(code, EXIT_OK, err)
            self.assertEqual(listing(d), ["o.wav", "s.csv", "t.csv"])
            header, rows = read_csv(sp)
            self.assertEqual(header, "time_s,neuron")
            self.assertEqual(len(rows), 69)  # docs/science.md, HH table
            times = [float(t) for t, _ in rows]
            self.assertEqual({n for _, n in rows}, {"0"})
            self.assertEqual(times, sorted(times))
            self.assertTrue(0.0 < times[0] and times[-1] < 1.0)
            # steady inter-spike interval 1/68.390 Hz = 14.622 ms (0.1 %)
            self.assertAlmostEqual(times[-1] - times[-2], 1 / 68.390, delta=1e-3 / 68.390)
            header, rows = read_csv(tr)
            self.assertEqual(header, "time_s,v")
            self.assertEqual(len(rows), 48000, "one row per sample")
            self.assertAlmostEqual(float(rows[1][0]), 1 / 48000, places=9)
            v = [float(x) for _, x in rows]
            self.assertTrue(all(math.isfinite(x) for x in v))
            self.assertGreater(max(v), 0.0)      # HH spikes overshoot 0 mV
            self.assertLess(min(v), -65.0)       # and undershoot rest

    def spike_count(self, *args):
        with workdir() as d:
            sp = os.path.join(d, "s.csv")
            code, _, err = run("render", *args, "-d", "1", "-q", "--spikes", sp,
                               "-o", os.path.join(d, "o.wav"))
            self.assertEqual(code, EXIT_OK, err)
            return len(read_csv(sp)[1])

    def test_69_spikes_at_other_rates(self):
        # spike times do not depend on the sample rate: the reference count
        # holds at 44.1, 48, 96 and 192 kHz
        for rate in ("44100", "96000"):
            self.assertEqual(self.spike_count(*HH_ONE, "-r", rate), 69, rate)

    def test_later_set_wins(self):
        self.assertEqual(self.spike_count("-s", "model=hh", "-s", "neurons=1",
                                          "-s", "drive=0", "-s", "drive=10", "-s", "start=rest",
                                          "-s", "drive_mode=absolute"), 69)

    def test_spike_times_lie_at_upward_threshold_crossings_of_the_trace(self):
        with workdir() as d:
            sp, tr = os.path.join(d, "s.csv"), os.path.join(d, "t.csv")
            run("render", *HH_ONE, "-d", "0.2", "-q", "--spikes", sp, "--trace", tr,
                "-o", os.path.join(d, "o.wav"))
            spikes = [float(t) for t, _ in read_csv(sp)[1]]
            v = [float(x) for _, x in read_csv(tr)[1]]
            for t in spikes:
                k = int(t * 48000)  # the crossing happens during frame k
                self.assertLess(v[k - 1], -20.0)
                self.assertGreaterEqual(v[k], -20.0)

    def test_bank_spikes_name_their_neurons(self):
        with workdir() as d:
            sp = os.path.join(d, "s.csv")
            run("render", "-s", "neurons=4", "-s", "spread=0.5", "-s", "start=rest", "-d", "0.5", "-q",
                "--spikes", sp, "-o", os.path.join(d, "o.wav"))
            self.assertEqual({n for _, n in read_csv(sp)[1]}, {"0", "1", "2", "3"})


class StimulusInput(unittest.TestCase):
    """A constant stimulus of 0.5 through input_gain 20 is I = 10 on top of
    drive 0: the HH neuron must fire as at drive 10 (69 spikes in 1 s)."""

    def render_with(self, d, frames, rate, channels, seconds="1"):
        stim = os.path.join(d, "stim.wav")
        write_wav16(stim, rate, channels, frames)
        sp = os.path.join(d, "s.csv")
        code, _, err = run("render", "-s", "model=hh", "-s", "neurons=1", "-s", "drive=0",
                           "-s", "input_gain=20", "-s", "drive_mode=absolute",
                           "-s", "start=rest", "-d", seconds, "-q", "-i", stim,
                           "--spikes", sp, "-o", os.path.join(d, "o.wav"))
        self.assertEqual(code, EXIT_OK, err)
        return [float(t) for t, _ in read_csv(sp)[1]]

    def test_constant_input_at_the_render_rate(self):
        with workdir() as d:
            self.assertEqual(len(self.render_with(d, [(0.5,)] * 48000, 48000, 1)), 69)

    def test_other_rate_is_resampled_and_stereo_mixed_to_mono(self):
        with workdir() as d:
            spikes = self.render_with(d, [(0.75, 0.25)] * 44100, 44100, 2)
            self.assertEqual(len(spikes), 69)

    def test_silence_after_a_short_input_ends(self):
        with workdir() as d:
            spikes = self.render_with(d, [(0.5,)] * 24000, 48000, 1)
            self.assertGreater(len(spikes), 30)
            # the last spike starts before the current stops (0.5 s) plus one
            # interspike interval; nothing fires on rest afterwards
            self.assertLess(spikes[-1], 0.5 + 1 / 68.39)
            self.assertLess(len(spikes), 38)

    def test_the_wav_starts_each_click_at_its_spike_time(self):
        # the engine's audio lags the spikes by its latency (membrane filter,
        # limiter look-ahead); render trims it, so a spike listed at t sounds
        # at t in the file: two 1 ms kicks, two spikes, two clicks
        with workdir() as d:
            stim = os.path.join(d, "stim.wav")
            frames = [(0.0,)] * 24000
            for k in (4800, 14400):
                frames[k:k + 48] = [(0.99,)] * 48
            write_wav16(stim, 48000, 1, frames)
            sp, out = os.path.join(d, "s.csv"), os.path.join(d, "o.wav")
            code, _, err = run("render", "-s", "model=hh", "-s", "neurons=1", "-s", "drive=0",
                               "-s", "noise=0", "-s", "listen=focus", "-s", "membrane_level=-60",
                               "-s", "spike_sound=click", "-d", "0.5", "-q", "-i", stim,
                               "--spikes", sp, "-o", out)
            self.assertEqual(code, EXIT_OK, err)
            spikes = [float(t) * 48000 for t, _ in read_csv(sp)[1]]
            self.assertEqual(len(spikes), 2, spikes)
            left = read_wav(out).samples[0::2]
            for t in spikes:
                part = left[int(t) - 500:int(t) + 500]
                peak = max(abs(v) for v in part)
                first = next(i for i, v in enumerate(part) if abs(v) >= 0.1 * peak)
                # a resonator struck at zero phase behind a band-limited
                # impulse: a tenth of its peak within 2 frames of the spike
                self.assertLessEqual(abs(int(t) - 500 + first - t), 2.0,
                                     "click at %d, spike at %.2f" % (int(t) - 500 + first, t))

    def test_no_input_no_spikes_at_drive_0(self):
        with workdir() as d:
            self.assertEqual(self.render_with(d, [(0.0,)] * 4800, 48000, 1), [])


if __name__ == "__main__":
    unittest.main()
