"""`hillock render --tuning/--keymap`: the spike voice plays the Scala
tuning's frequencies, unmapped notes stay silent, and a bad file is refused
with its reason and nothing written.

One HH neuron (drive 10: about 68 spikes/s) on note 60 (root 60, chromatic),
membrane voice off, so the output is its pluck: a ring at the note's
frequency. Reference: without a tuning, 12-TET with A4 = 440 Hz gives note
60 440 * 2^(-9/12) = 261.626 Hz; a keymap whose reference note 60 is at
300 Hz moves it to 300 Hz (Scala keyboard mapping format)."""
import math
import os
import unittest

from clitest import EXIT_INPUT, EXIT_OK, listing, read_wav, run, workdir

SCALA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "scala")
PLUCK = ["-s", "model=hh", "-s", "neurons=1", "-s", "drive_mode=absolute", "-s", "drive=10",
         "-s", "root=60",
         "-s", "scale=chromatic", "-s", "membrane_level=-60", "-s", "spike_sound=pluck",
         "-d", "0.6", "-q"]


def power_at(samples, rate, hz):
    """Goertzel power of the left channel at hz (after the first 0.1 s)."""
    left = samples[0::2][int(0.1 * rate):]
    k = 2.0 * math.cos(2.0 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for x in left:
        s1, s2 = x + k * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - k * s1 * s2) / len(left) ** 2


def render(d, name, *extra):
    out = os.path.join(d, name)
    code, _, err = run("render", *PLUCK, *extra, "-o", out)
    return code, err, out


class Tuning(unittest.TestCase):
    def test_keymap_moves_the_pluck_to_its_reference(self):
        with workdir() as d:
            kbm = os.path.join(d, "c300.kbm")
            with open(kbm, "w") as f:
                f.write("! note 60 at 300 Hz, linear\n0\n0\n127\n60\n60\n300.0\n0\n")
            code, err, plain = render(d, "plain.wav")
            self.assertEqual(code, EXIT_OK, err)
            code, err, tuned = render(d, "tuned.wav", "--tuning",
                                      os.path.join(SCALA, "12tet.scl"), "--keymap", kbm)
            self.assertEqual(code, EXIT_OK, err)
            a, b = read_wav(plain), read_wav(tuned)
            c4 = 440.0 * 2.0 ** (-9.0 / 12.0)
            self.assertGreater(power_at(a.samples, a.rate, c4),
                               50 * power_at(a.samples, a.rate, 300.0))
            self.assertGreater(power_at(b.samples, b.rate, 300.0),
                               50 * power_at(b.samples, b.rate, c4))

    def test_unmapped_note_does_not_sound(self):
        with workdir() as d:
            kbm = os.path.join(d, "gap.kbm")
            with open(kbm, "w") as f:
                # pattern of 2 keys from 59: 59 plays degree 0, 60 is unmapped
                f.write("2\n0\n127\n59\n59\n250.0\n1\n0\nx\n")
            code, err, out = render(d, "gap.wav", "--keymap", kbm)
            self.assertEqual(code, EXIT_OK, err)
            w = read_wav(out)
            self.assertEqual(max(abs(v) for v in w.samples), 0.0, "no strike, no sound")

    def test_bad_file_is_refused_and_nothing_written(self):
        with workdir() as d:
            code, err, _ = render(d, "bad.wav", "--tuning",
                                  os.path.join(SCALA, "bad_negative.scl"))
            self.assertEqual(code, EXIT_INPUT)
            self.assertIn("bad_negative.scl: line 3: negative ratio '-3/2'", err)
            self.assertEqual(listing(d), [])

    def test_jack_refuses_a_bad_file_before_it_needs_a_server(self):
        code, out, _ = run("--help")
        if " jack " not in out:
            self.skipTest("built without JACK")
        code, _, err = run("jack", "--no-stdin", "-d", "1", "--keymap",
                           os.path.join(SCALA, "bad_missing.kbm"))
        self.assertEqual(code, EXIT_INPUT)
        self.assertIn("bad_missing.kbm: the reference note is missing", err)


if __name__ == "__main__":
    unittest.main()
