"""`render --save-state` / `--load-state`: the engine's whole state
(dsp/engine_snapshot.h). Reference: the render that never stopped. A render
of D1 + D2 seconds and a render of D1 seconds that saves its state followed
by a render of D2 seconds that loads it must give the same samples, bit for
bit (the two WAVs' data chunks concatenated are the first's), and the same
spike list, for a plain preset, for a coupled bank with receptors, axonal
delays, STDP, a Poisson background and noise (whose learned weights must
also end the same), for a bank driven by a MIDI file and a stimulus file,
and for a recording's spikes played at an automated rate. The splits fall inside blocks and the renders use different block
sizes, which the output must not depend on (a recording's automated playback
rate aside: it is read once a block). Files that are not the
engine's (another configuration, truncated, trailing bytes, a NaN where a
number is needed, another version) are refused with the reason, exit status
3, and no WAV is written. That a refused load leaves the engine as it was,
byte for byte, is tested on the engine itself (tests/engine/test_snapshot.c)."""
import math
import os
import re
import struct
import unittest

from clitest import EXIT_INPUT, EXIT_OK, run, workdir, write_wav16
from smf import smf, tempo, track

PLAIN = ["-p", "tonic-hh", "-q"]
NET = ["-s", "model=izhikevich", "-s", "neurons=40", "-s", "connectivity=0.2",
       "-s", "w_exc=0.5", "-s", "w_inh=1",
       "-s", "synapse_model=receptors", "-s", "axon_velocity=0.5", "-s", "plasticity=1",
       "-s", "poisson_rate=20", "-s", "poisson_weight=0.5", "-s", "noise=2", "-q"]
HEADER = 256


def wav_data(path):
    """The data chunk's bytes (the samples exactly as written)."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 12
    while pos + 8 <= len(data):
        cid, size = struct.unpack("<4sI", data[pos:pos + 8])
        if cid == b"data":
            return data[pos + 8:pos + 8 + size]
        pos += 8 + size + (size & 1)
    raise AssertionError("no data chunk in " + path)


def sections(state):
    """{tag: (payload offset, length)} of a state file (engine_snapshot.h)."""
    out, pos = {}, HEADER
    while pos < len(state):
        tag = state[pos:pos + 16].rstrip(b"\0").decode()
        length = struct.unpack("<Q", state[pos + 16:pos + 24])[0]
        out[tag] = (pos + 24, length)
        pos += 24 + length
    return out


class Continued(unittest.TestCase):
    def setUp(self):
        self.dir = workdir()
        self.d = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.d, name)

    def render(self, *args):
        code, _, err = run("render", *args)
        self.assertEqual(code, EXIT_OK, err)

    def continues(self, settings, first_s, second_s, extra=(), blocks=(256, 100, 512)):
        """Renders whole and in two; returns the state file's bytes."""
        p = self.path
        self.render(*settings, *extra, "-d", str(first_s + second_s), "-b", str(blocks[0]),
                    "-o", p("full.wav"), "--spikes", p("full.csv"))
        self.render(*settings, *extra, "-d", str(first_s), "-b", str(blocks[1]),
                    "-o", p("first.wav"), "--spikes", p("first.csv"),
                    "--save-state", p("s.state"))
        self.render(*settings, *extra, "-d", str(second_s), "-b", str(blocks[2]),
                    "-o", p("second.wav"), "--spikes", p("second.csv"),
                    "--load-state", p("s.state"))
        full, first, second = (wav_data(p(n)) for n in ("full.wav", "first.wav", "second.wav"))
        self.assertEqual(len(first) + len(second), len(full))
        self.assertTrue(first + second == full,
                        "the continued render's samples differ from the whole render's")
        with open(p("full.csv")) as f:
            whole = f.read().splitlines()
        with open(p("first.csv")) as f:
            a = f.read().splitlines()
        with open(p("second.csv")) as f:
            b = f.read().splitlines()
        self.assertGreater(len(whole), 10, "too few spikes for the test to mean anything")
        self.assertEqual(a + b[1:], whole)
        with open(p("s.state"), "rb") as f:
            return f.read()

    def test_one_render_saves_one_state_file_on_two_threads(self):
        # The state is the engine's, not the threads': two renders of one
        # bank by one command save the same bytes. The ranges' spike lists
        # are scratch each step writes before it reads them; their
        # fractions were saved as each thread had left them, and two
        # renders of this bank on two threads saved files 113 and 155
        # bytes apart (the fractions' field, bank section).
        args = ["-s", "model=hh", "-s", "neurons=1000", "-s", "spread=0.2", "-s", "drive=10",
                "-s", "drive_mode=absolute", "-s", "start=rest", "-d", "0.5", "-q",
                "--threads", "2"]
        saved = []
        for k in range(3):
            self.render(*args, "-o", self.path("t%d.wav" % k), "--save-state",
                        self.path("t%d.state" % k))
            with open(self.path("t%d.state" % k), "rb") as f:
                saved.append(f.read())
        for k in (1, 2):
            differ = sum(a != b for a, b in zip(saved[0], saved[k]))
            self.assertEqual((len(saved[k]), differ), (len(saved[0]), 0),
                             "render %d's state file differs from the first's" % k)

    def test_a_plain_preset_continues_bit_for_bit(self):
        state = self.continues(PLAIN, 0.1237, 0.15)
        self.assertRegex(state[:60], rb"^hillock-state \d+ rate=48000 isa=")
        self.assertIn(b" model=hh ", state[:HEADER])
        self.assertIn(b" frames=5938", state[:HEADER])  # 0.1237 s at 48 kHz

    def test_a_learning_network_continues_bit_for_bit(self):
        p = self.path
        state = self.continues(NET, 0.15, 0.15)
        at, length = sections(state)["synapses"]
        self.assertGreater(length, 0, "no stored synapses saved")
        # u64 step, f64 t_ms, f64 reward_ms, u32 ev_free, then u32 in_flight
        # after the synapse state's 128-byte header (dsp/synapse_state.c)
        in_flight = struct.unpack("<I", state[at + 128 + 28:at + 128 + 32])[0]
        self.assertGreater(in_flight, 0, "the save must catch spikes in flight")
        # the weights learned by the end are the same too
        self.render(*NET, "-d", "0.3", "-o", p("w1.wav"), "--save-weights", p("full.npy"))
        self.render(*NET, "-d", "0.15", "--load-state", p("s.state"), "-o", p("w2.wav"),
                    "--save-weights", p("second.npy"))
        with open(p("full.npy"), "rb") as a, open(p("second.npy"), "rb") as b:
            whole, continued = a.read(), b.read()
        self.assertEqual(whole, continued)

    def test_a_midi_and_stimulus_driven_bank_continues_bit_for_bit(self):
        p = self.path
        notes = [(0, tempo(500000))]  # 480 ticks a quarter at 120 bpm: 96 ticks = 0.1 s
        for k in range(4):
            notes += [(k * 48, bytes([0x90, 60 + 3 * k, 100])),
                      (k * 48 + 40, bytes([0x80, 60 + 3 * k, 0]))]
        notes += [(70, bytes([0xE0, 0, 0x60]))]  # a pitch bend across the split
        notes.sort(key=lambda e: e[0])
        with open(p("in.mid"), "wb") as f:
            f.write(smf(0, 480, [track(notes)]))
        write_wav16(p("in.wav"), 44100, 1,
                    [(0.3 * math.sin(2 * math.pi * 440 * i / 44100),) for i in range(20000)])
        self.continues(["-s", "model=hh", "-s", "neurons=12", "-s", "midi_drive=10",
                        "-s", "input_gain=20", "-q"], 0.1301, 0.15,
                       ["--midi-in", p("in.mid"), "-i", p("in.wav")])

    def test_settings_given_anew_change_at_the_continuation(self):
        p = self.path
        self.render(*PLAIN, "-d", "0.05", "-o", p("a.wav"), "--save-state", p("s.state"))
        code, _, err = run("render", "-p", "tonic-hh", "-s", "drive=9", "-d", "0.05",
                           "-o", p("b.wav"), "--load-state", p("s.state"))
        self.assertEqual(code, EXIT_OK, err)
        self.assertIn("change as the render continues: drive", err)

    def test_a_recording_played_continues_bit_for_bit(self):
        # a recording's spikes (--play-spikes), its playback rate automated
        # on both sides of the split: the file's position and rate go on.
        # The rate is read once a block (play_spikes.h), so the three renders
        # use one block size, and the continued one keeps the whole one's grid
        p = self.path
        t, rows = 0.0, ["time_s,neuron"]
        for k in range(400):
            t += 0.0005 + 0.001 * ((k * 7919) % 13) / 13.0
            rows.append("%.6f,%d" % (t, (k * 31) % 20))
        with open(p("rec.csv"), "w") as f:
            f.write("\n".join(rows) + "\n")
        with open(p("rate.csv"), "w") as f:
            f.write("0.05,playback_rate,0.5\n0.2,playback_rate,2\n")
        self.continues(["-q"], 0.1234, 0.15,
                       ["--play-spikes", p("rec.csv"), "--automate", p("rate.csv")],
                       blocks=(256, 256, 256))


class Refused(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = workdir()
        cls.state = os.path.join(cls.dir.name, "net.state")
        code, _, err = run("render", *NET, "-d", "0.1", "-o",
                           os.path.join(cls.dir.name, "net.wav"), "--save-state", cls.state)
        assert code == EXIT_OK, err
        with open(cls.state, "rb") as f:
            cls.data = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def refused(self, body, reason, *settings, env=None):
        d = self.dir.name
        path = os.path.join(d, "bad.state")
        with open(path, "wb") as f:
            f.write(body)
        wav = os.path.join(d, "refused.wav")
        code, _, err = run("render", *NET, *settings, "-d", "0.05", "-o", wav,
                           "--load-state", path, env=env)
        self.assertEqual(code, EXIT_INPUT, err)
        self.assertIn(reason, err)
        self.assertFalse(os.path.exists(wav), "a refused state must render nothing")

    def test_another_configuration_is_refused(self):
        for setting in (["-s", "seed=2"], ["-s", "neurons=41"], ["-s", "model=hh"],
                        ["-r", "44100"], ["-s", "connectivity=0.3"]):
            self.refused(self.data, "a state of another configuration", *setting)
        # another instruction-set path (SSE2 runs everywhere; a state saved
        # on SSE2 has no other path to be refused on here)
        if b" isa=sse2 " not in self.data[:HEADER]:
            self.refused(self.data, "this one is 48000 Hz, isa sse2",
                         env=dict(os.environ, HILLOCK_ISA="sse2"))

    def test_damaged_files_are_refused(self):
        data = self.data
        bank = sections(data)["bank"][0]
        for body, reason in [
                (data[:HEADER - 10], "truncated"),
                (data[:len(data) // 2], "truncated"),
                (data + b"\0", "trailing data"),
                (re.sub(rb"^hillock-state \d+ ", b"hillock-state 9 ", data, count=1), "version 9"),
                (b"\x93NUMPY" + data[6:], "not a Hillock state file"),
                # neuron 0's first variable, after the bank's neuron count
                (data[:bank + 4] + struct.pack("<f", float("nan")) + data[bank + 8:],
                 "neuron state (value 0) is not a finite number"),
        ]:
            self.refused(body, reason)

    def test_the_synapse_sections_checks_are_kept(self):
        data = self.data
        syn = sections(data)["synapses"][0]
        # the first synapse's weight: after the synapse state's 128-byte
        # header and 48 bytes of counters (dsp/synapse_state.c)
        at = syn + 176
        nan = data[:at] + struct.pack("<f", float("nan")) + data[at + 4:]
        self.refused(nan, "section 'synapses': synapse 0: weight nan is not a number")

    def test_an_earlier_synapse_state_file_still_loads_the_synapses(self):
        at, length = sections(self.data)["synapses"]
        section = self.data[at:at + length]
        self.assertTrue(section.startswith(b"hillock-synapse-state 3 seed=1 neurons=40 "))
        # version 1 (dsp/synapse_state.c): without version 3's tail (the
        # eligibility frame's age, the STDP traces' frame: 24 bytes), each
        # eligibility the trace itself
        count = int(re.search(rb"synapses=(\d+)", section[:128]).group(1))
        age = struct.unpack("<I", section[-24:-20])[0]
        elig = 128 + 48 + 8 * count
        traces = [e * math.exp(-age / 1000.0)
                  for e in struct.unpack("<%df" % count, section[elig:elig + 4 * count])]
        version_1 = (section[:22] + b"1" + section[23:elig] +
                     struct.pack("<%df" % count, *traces) + section[elig + 4 * count:-24])
        d = self.dir.name
        for name, old in (("old.state", version_1), ("section.state", section)):
            path = os.path.join(d, name)
            with open(path, "wb") as f:
                f.write(old)
            code, _, err = run("render", *NET[:-1], "-d", "0.05",
                               "-o", os.path.join(d, "old.wav"), "--load-state", path)
            self.assertEqual(code, EXIT_OK, err)
            self.assertIn("the synapse state of an earlier Hillock", err)
        self.refused(version_1[:1000], "truncated")


if __name__ == "__main__":
    unittest.main()
