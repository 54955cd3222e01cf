"""`render --save-state` / `--load-state`: the stored synapses' whole state
(dsp/synapse_state.h). Reference: the file's own contents. A render that
learned (STDP on, delays on) saves its state and its weights; a second render
that loads the state with learning frozen (plasticity 0, no dopamine) must
save exactly the same weights, byte for byte (the .npy format of
--save-weights, NumPy's format 1.0), and a second save of the state is the
same length with the same header. Files that are not the network's (another
wiring, truncated, another version) are refused with the reason, exit
status 3, and no WAV is written. That the whole state continues bit for bit
is tested on the table itself (tests/engine/test_plasticity.c)."""
import os
import struct
import unittest

from clitest import EXIT_INPUT, EXIT_OK, run, workdir

NET = ["-s", "model=izhikevich", "-s", "neurons=40", "-s", "connectivity=0.2",
       "-s", "axon_velocity=0.5", "-q"]


def npy_weights(path):
    with open(path, "rb") as f:
        data = f.read()
    start = 10 + struct.unpack("<H", data[8:10])[0]
    return [struct.unpack("<f", data[k + 8:k + 12])[0] for k in range(start, len(data), 16)]


class SavedState(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = workdir()
        d = cls.dir.name
        cls.state = os.path.join(d, "a.state")
        cls.weights = os.path.join(d, "a.npy")
        code, _, err = run("render", *NET, "-s", "plasticity=1", "-d", "1",
                           "-o", os.path.join(d, "a.wav"),
                           "--save-state", cls.state, "--save-weights", cls.weights)
        assert code == EXIT_OK, err

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_the_learned_weights_come_back_exactly(self):
        learned = npy_weights(self.weights)
        self.assertTrue(any(w != 1.0 for w in learned), "nothing learned: the test is void")
        d = self.dir.name
        again = os.path.join(d, "b.npy")
        state2 = os.path.join(d, "b.state")
        code, _, err = run("render", *NET, "-s", "plasticity=0", "-d", "0.2",
                           "-o", os.path.join(d, "b.wav"), "--load-state", self.state,
                           "--save-weights", again, "--save-state", state2)
        self.assertEqual(code, EXIT_OK, err)
        with open(self.weights, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read())
        with open(self.state, "rb") as a, open(state2, "rb") as b:
            first, second = a.read(), b.read()
        self.assertEqual(len(first), len(second))
        self.assertEqual(first[:128], second[:128])
        self.assertTrue(first.startswith(b"hillock-synapse-state 1 seed=1 neurons=40 "
                                         b"connectivity=0.2"), first[:80])

    def refused(self, path, reason, *settings):
        d = self.dir.name
        wav = os.path.join(d, "refused.wav")
        code, _, err = run("render", *NET, "-s", "plasticity=1", *settings, "-d", "0.2",
                           "-o", wav, "--load-state", path)
        self.assertEqual(code, EXIT_INPUT, err)
        self.assertIn(reason, err)
        self.assertFalse(os.path.exists(wav), "a refused state must render nothing")

    def test_another_wiring_is_refused(self):
        self.refused(self.state, "another wiring", "-s", "seed=2")
        self.refused(self.state, "another wiring", "-s", "neurons=41")

    def test_damaged_files_are_refused(self):
        with open(self.state, "rb") as f:
            data = f.read()
        with open(self.weights, "rb") as f:
            npy = f.read()
        d = self.dir.name
        for name, body, reason in [
                ("cut.state", data[:1000], "truncated"),
                ("long.state", data + b"\0", "trailing data"),
                ("v9.state", data.replace(b"state 1 ", b"state 9 ", 1), "version 9"),
                ("npy.state", npy, "not a Hillock state file")]:
            path = os.path.join(d, name)
            with open(path, "wb") as f:
                f.write(body)
            self.refused(path, reason)
        # a NaN weight: the first synapse's, after the 128-byte header and
        # 48 bytes of counters
        nan = data[:176] + struct.pack("<f", float("nan")) + data[180:]
        path = os.path.join(d, "nan.state")
        with open(path, "wb") as f:
            f.write(nan)
        self.refused(path, "not a number")


if __name__ == "__main__":
    unittest.main()
