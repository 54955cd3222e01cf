"""`hillock render --automate` against the plugin under a host's automation.

The same ramp of `drive` (linear) and of `speed` (exp) reaches the engine
two ways: as a table through the renderer's automation engine (breakpoints
at their exact frames, ramps moving on a 32-frame grid: dsp/automation.h),
and as a host sends automation to the plugin, a control-port value per
run() call (plugin_play.c computes the ramp from its definition).

- With 32-frame blocks the host sends the value the automation engine
  holds for each 32 frames, through the same engine_set_param() and the
  same smoothing: the outputs must be identical, sample for sample.
- With 256-frame blocks (a usual host) the plugin holds each block's first
  value for the block, so its input lags the renderer's ramp by 0 to 224
  frames. A time-invariant system fed a delayed input answers with the
  same delay, so each spike may come later by up to one block and by no
  more: the spike counts are equal and every spike (the plugin's spike gate
  rising) is within one block of the renderer's. (Where a model is
  bistable, as HH between rest and tonic firing, the steps are a different
  stimulus that can start firing earlier: the drive ramp starts above it.)
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
from clitest import read_csv, read_wav  # noqa: E402

RATE = 48000
DURATION = 2.0
CASES = {
    # symbol, from, to, seconds, curve, other settings
    # from tonic firing up: between rest and about 9.8 uA/cm2, HH at 6.3 degC is
    # bistable, and there the plugin's steps kick it into firing where a
    # smooth ramp does not: a different stimulus, not a different engine
    "drive": ("drive", 10.0, 30.0, 1.5, "linear", ["model=hh", "neurons=1"]),
    "speed": ("speed", 0.5, 4.0, 1.5, "exp", ["model=hh", "neurons=1", "drive=10"]),
}


def plugin(case, block, out):
    symbol, a, b, secs, curve, sets = CASES[case]
    latency = int(subprocess.run([PLAY, str(block), repr(DURATION), str(RATE), out,
                                  "--ramp", symbol, repr(a), repr(b), repr(secs), curve, *sets],
                                 check=True, capture_output=True, text=True).stdout)
    data = array.array("f")
    with open(out, "rb") as f:
        data.frombytes(f.read())
    # the renderer drops the latency from its file: line the plugin's audio up,
    # and its CV gate, which the plugin delays as much (aligned with the audio)
    left, right, gate = data[0::3][latency:], data[1::3][latency:], data[2::3][latency:]
    onsets = [i for i in range(len(gate)) if gate[i] > 0.5 and (i == 0 or gate[i - 1] < 0.5)]
    return left, right, onsets


def render(case, d):
    symbol, a, b, secs, curve, sets = CASES[case]
    table = os.path.join(d, case + ".csv")
    with open(table, "w") as f:
        f.write("time_s,symbol,value,curve\n0,%s,%r\n%r,%s,%r,%s\n" % (symbol, a, secs, symbol, b,
                                                                     curve))
    wav, spikes = os.path.join(d, case + ".wav"), os.path.join(d, case + "-spikes.csv")
    args = [HILLOCK, "render", "-q", "-r", str(RATE), "-d", repr(DURATION), "--bits", "32",
            "--automate", table, "--spikes", spikes, "-o", wav]
    for s in sets:
        args += ["-s", s]
    subprocess.run(args, check=True)
    w = read_wav(wav)
    frames = [int(float(t) * RATE) for t, _ in read_csv(spikes)[1]]
    return w.samples[0::2], w.samples[1::2], frames


class AutomationLikeAHost(unittest.TestCase):
    def test_32_frame_blocks_are_sample_identical(self):
        for case in CASES:
            with self.subTest(case), tempfile.TemporaryDirectory() as d:
                left, right, onsets = plugin(case, 32, os.path.join(d, "p.f32"))
                r_left, r_right, r_frames = render(case, d)
                self.assertGreater(len(r_frames), 20, "the ramp makes it fire")
                self.assertGreater(len(left), 0.9 * len(r_left))
                diff = [i for i in range(len(left)) if left[i] != r_left[i] or right[i] != r_right[i]]
                self.assertEqual(diff[:1], [], "first differing frame")
                # the plugin's trimmed output ends `latency` frames before the file
                self.assertEqual(onsets, [r for r in r_frames if r < len(left)])

    def test_host_blocks_are_within_one_block(self):
        block = 256
        for case in CASES:
            with self.subTest(case), tempfile.TemporaryDirectory() as d:
                _, _, onsets = plugin(case, block, os.path.join(d, "p.f32"))
                _, _, r_frames = render(case, d)
                # a spike in the last block may move past the end
                end = int(DURATION * RATE) - block
                r_frames = [r for r in r_frames if r < end]
                self.assertGreaterEqual(len(onsets), len(r_frames))
                self.assertLessEqual(len([p for p in onsets if p < end]), len(r_frames))
                lags = [p - r for p, r in zip(onsets, r_frames)]
                print("%s: %d spikes, plugin later by %d..%d frames (block %d)"
                      % (case, len(lags), min(lags), max(lags), block))
                self.assertGreaterEqual(min(lags), -1, "never earlier (the rounding of a frame)")
                self.assertLessEqual(max(lags), block, "at most one block later")


if __name__ == "__main__":
    unittest.main(verbosity=2)
