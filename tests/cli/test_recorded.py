"""`hillock render --play-spikes`: recorded neurons from CSV, NWB and MIDI
files on the voices, the spike list and MIDI in place of the bank's.

References: the round trip is Hillock's own spike list (`--spikes`, times
to the nanosecond) played back, which must list the same spikes at the
same times and sound them at the same samples (the spike voice's peaks);
the NWB files follow the NWB 2.x schema (units table, ragged spike_times
with spike_times_index, hdmf-common DynamicTable) and their spike times
are the values written; a MIDI file's note on times follow from its
division and tempo (MMA "Standard MIDI Files 1.0", computed here by hand)."""
import os
import unittest

import nwbfile
import smf
from clitest import EXIT_INPUT, EXIT_OK, HILLOCK as HILLOCK_EXE, read_csv, read_wav, workdir
from clitest import run as run_hillock

RATE = 48000
# one HH neuron firing regularly, clicks well apart; the membrane voice as
# quiet as it goes so the clicks' peaks stand out
ONE = ["-s", "model=hh", "-s", "neurons=1", "-s", "spike_sound=click",
       "-s", "membrane_level=-60", "-r", str(RATE), "-q"]


def run(*args):
    return run_hillock("render", *args)


def spikes(path):
    return [(float(t), int(n)) for t, n in read_csv(path)[1]]


def peaks(wav, times, rate):
    """The sample of the largest |left| within 3 ms after each time."""
    left = wav.samples[0::2]
    out = []
    for t in times:
        a = int(t * rate)
        w = left[a:a + int(0.003 * rate)]
        out.append(a + max(range(len(w)), key=lambda k: abs(w[k])))
    return out


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


class RoundTrip(unittest.TestCase):
    def test_spike_list_played_back_lists_the_same_spikes_and_sounds_at_the_same_samples(self):
        with workdir() as d:
            s1, s2 = os.path.join(d, "s1.csv"), os.path.join(d, "s2.csv")
            sim, play = os.path.join(d, "sim.wav"), os.path.join(d, "play.wav")
            self.assertEqual(run(*ONE, "-d", "0.5", "--spikes", s1, "-o", sim)[0], EXIT_OK)
            st, _, err = run(*ONE, "-d", "0.5", "--play-spikes", s1, "--spikes", s2, "-o", play)
            self.assertEqual(st, EXIT_OK, err)
            a, b = spikes(s1), spikes(s2)
            self.assertGreater(len(a), 10)
            self.assertEqual([n for _, n in a], [n for _, n in b])
            for (ta, _), (tb, _) in zip(a, b):
                self.assertLess(abs(ta - tb) * RATE, 1e-3)  # the same sub-sample time
            # the audio: each click's peak at the same sample in both renders
            times = [t for t, _ in a if t < 0.49]
            pa, pb = peaks(read_wav(sim), times, RATE), peaks(read_wav(play), times, RATE)
            for x, y in zip(pa, pb):
                self.assertLessEqual(abs(x - y), 1)

    def test_a_bank_s_spike_list_is_in_time_order_and_plays_back(self):
        # 200 HH neurons at a high speed: many spikes share a frame, at
        # different fractions of it; the list must be in time order, which
        # the reader requires (spikefile/csv.c), and play back whole
        with workdir() as d:
            s1, s2 = os.path.join(d, "s1.csv"), os.path.join(d, "s2.csv")
            bank = ["-s", "model=hh", "-s", "neurons=200", "-s", "spread=0.5",
                    "-s", "speed=8", "-r", str(RATE), "-q", "-d", "0.2"]
            self.assertEqual(run(*bank, "--spikes", s1, "-o", os.path.join(d, "a.wav"))[0],
                             EXIT_OK)
            a = spikes(s1)
            times = [t for t, _ in a]
            self.assertGreater(len(set(int(t * RATE) for t in times)), 10)
            self.assertLess(len(set(int(t * RATE) for t in times)), len(times))
            self.assertEqual(times, sorted(times))
            st, _, err = run(*ONE, "-d", "0.2", "--play-spikes", s1, "--spikes", s2,
                             "-o", os.path.join(d, "b.wav"))
            self.assertEqual(st, EXIT_OK, err)

    def test_playback_rate_half_plays_every_spike_twice_as_late(self):
        with workdir() as d:
            src, out = os.path.join(d, "in.csv"), os.path.join(d, "out.csv")
            write(src, "time_s,neuron\n0.0101,0\n0.2502,1\n0.3125,0\n")
            st, _, err = run(*ONE, "--play-spikes", src, "-s", "playback_rate=0.5",
                             "--spikes", out, "-o", os.path.join(d, "o.wav"))
            self.assertEqual(st, EXIT_OK, err)
            got = spikes(out)
            self.assertEqual([n for _, n in got], [0, 1, 0])
            for (t, _), want in zip(got, [0.0202, 0.5004, 0.625]):
                self.assertAlmostEqual(t, want, delta=0.5 / RATE)

    def test_both_numbers_recorded_units_after_the_simulated_neurons(self):
        with workdir() as d:
            src, out = os.path.join(d, "in.csv"), os.path.join(d, "out.csv")
            write(src, "0.1,0\n0.2,2\n")  # no header: time_s,neuron
            st, _, err = run(*ONE, "-s", "neurons=3", "-s", "drive=0", "-s", "noise=0",
                             "-s", "source=both", "-d", "0.3", "--play-spikes", src,
                             "--spikes", out, "-o", os.path.join(d, "o.wav"))
            self.assertEqual(st, EXIT_OK, err)
            self.assertEqual([n for _, n in spikes(out)], [3, 5])


class Nwb(unittest.TestCase):
    UNITS = [[0.05, 0.25, 0.40], [0.10], [0.02, 0.30]]

    def test_units_table_plays_every_spike_in_time_order(self):
        with workdir() as d:
            f, out = os.path.join(d, "u.nwb"), os.path.join(d, "out.csv")
            nwbfile.write(f, self.UNITS, ids=[7, 8, 9])
            st, _, err = run(*ONE, "--play-spikes", f, "--spikes", out,
                             "-o", os.path.join(d, "o.wav"))
            self.assertEqual(st, EXIT_OK, err)
            want = sorted((t, u) for u, ts in enumerate(self.UNITS) for t in ts)
            got = spikes(out)
            self.assertEqual([u for _, u in got], [u for _, u in want])
            for (t, _), (w, _) in zip(got, want):
                self.assertAlmostEqual(t, w, delta=0.5 / RATE)

    def test_units_of_one_location_are_numbered_together(self):
        with workdir() as d:
            f, out = os.path.join(d, "u.nwb"), os.path.join(d, "out.csv")
            nwbfile.write(f, self.UNITS, locations=["CA1", "DG", "CA1"])
            st, _, err = run(*ONE, "--play-spikes", f, "--spikes", out,
                             "-o", os.path.join(d, "o.wav"))
            self.assertEqual(st, EXIT_OK, err)
            # CA1: file units 0 and 2 -> 0, 1; DG: file unit 1 -> 2
            self.assertEqual([u for _, u in spikes(out)], [1, 0, 2, 0, 1, 0])

    def test_electrode_locations_label_the_units(self):
        with workdir() as d:
            f = os.path.join(d, "u.nwb")
            nwbfile.write(f, self.UNITS, electrode_locations=["CA3", "EC"],
                          unit_electrodes=[[1], [0], [1]])
            st, _, err = run("--play-spikes", f, "-o", os.path.join(d, "o.wav"), "-d", "0.1")
            self.assertEqual(st, EXIT_OK, err)
            self.assertIn("groups EC 0-1, CA3 2-2", err)


    def test_libhdf5_is_opened_at_the_first_nwb_file_not_linked(self):
        # spikefile/hdf5_api.h: the binary needs no libhdf5 to start (its
        # ~30 libraries cost 12 ms at every start); reading NWB still works
        # (the tests above), through the library opened on demand
        import subprocess
        p = subprocess.run(["objdump", "-p", os.path.realpath(HILLOCK_EXE)],
                           capture_output=True, text=True, check=True)
        needed = [l.split()[-1] for l in p.stdout.splitlines() if l.strip().startswith("NEEDED")]
        self.assertIn("libc.so.6", needed)
        self.assertFalse([n for n in needed if n.startswith("libhdf5")], needed)


class Midi(unittest.TestCase):
    def test_note_ons_are_spikes_of_channel_times_128_plus_note(self):
        with workdir() as d:
            f, out = os.path.join(d, "in.mid"), os.path.join(d, "out.csv")
            # 480 ticks per quarter at 100 BPM (600000 us): a tick is 1/800 s
            tr = smf.track([(0, smf.tempo(600000)), (80, b"\x90\x05\x40"),
                            (200, b"\x80\x05\x00"), (400, b"\x91\x02\x40"),
                            (480, b"\x90\x05\x00")])  # velocity 0: a note off
            with open(f, "wb") as fh:
                fh.write(smf.smf(0, 480, [tr]))
            st, _, err = run(*ONE, "--play-spikes", f, "--spikes", out,
                             "-o", os.path.join(d, "o.wav"))
            self.assertEqual(st, EXIT_OK, err)
            got = spikes(out)
            self.assertEqual([u for _, u in got], [5, 128 + 2])
            self.assertAlmostEqual(got[0][0], 80 / 800, delta=0.5 / RATE)
            self.assertAlmostEqual(got[1][0], 400 / 800, delta=0.5 / RATE)


class Map(unittest.TestCase):
    """--map: a series scaled onto MIN..MAX renders exactly as the same
    breakpoints given to --automate (the one automation engine), linear
    ramps; the scaling is the reference: lowest value -> MIN, highest ->
    MAX, linear between."""
    ARGS = ["-s", "model=hh", "-s", "neurons=2", "-d", "0.6", "-r", str(RATE), "-q"]

    def same_as_automate(self, d, spec, rows):
        table = os.path.join(d, "table.csv")
        write(table, "".join("%r,master_level,%r,linear\n" % r for r in rows))
        a, b = os.path.join(d, "map.wav"), os.path.join(d, "table.wav")
        st, _, err = run(*self.ARGS, "--map", spec, "-o", a)
        self.assertEqual(st, EXIT_OK, err)
        self.assertEqual(run(*self.ARGS, "--automate", table, "-o", b)[0], EXIT_OK)
        self.assertEqual(read_wav(a).samples, read_wav(b).samples)

    def test_csv_series_scaled_onto_min_max(self):
        with workdir() as d:
            series = [(0.0, 2.0), (0.2, 7.0), (0.4, 4.5), (0.5, 2.0)]
            f = os.path.join(d, "lfp.csv")
            write(f, "time_s,theta_power\n" + "".join("%r,%r\n" % p for p in series))
            # 2 -> -40 dB, 7 -> -10 dB
            rows = [(t, -40.0 + (v - 2.0) / 5.0 * 30.0) for t, v in series]
            self.same_as_automate(d, "master_level=%s,-40,-10" % f, rows)

    def test_wav_series_averaged_every_5_ms(self):
        with workdir() as d:
            from clitest import write_wav16
            f = os.path.join(d, "lfp.wav")
            # 1 kHz: a window is 5 samples, its point at its middle sample
            vals = [0.5 * ((i // 5) % 4) / 3.0 for i in range(300)]
            write_wav16(f, 1000, 1, [(v,) for v in vals])
            q = [round(v * 32768) / 32768 for v in vals]
            means = [sum(q[k:k + 5]) / 5 for k in range(0, 300, 5)]
            lo, hi = min(means), max(means)
            # the default range: master_level's -60..12 dB
            rows = [((k * 5 + 2) / 1000.0, -60.0 + (m - lo) / (hi - lo) * 72.0)
                    for k, m in enumerate(means)]
            self.same_as_automate(d, "master_level=" + f, rows)

    def test_bad_series_is_an_input_error(self):
        with workdir() as d:
            f = os.path.join(d, "s.csv")
            write(f, "0.1,1\n0.05,2\n")
            st, _, err = run(*self.ARGS, "--map", "master_level=" + f, "-o",
                             os.path.join(d, "o.wav"))
            self.assertEqual(st, EXIT_INPUT)
            self.assertIn("before the previous", err)


class BadFiles(unittest.TestCase):
    def refused(self, name, data, *expect):
        with workdir() as d:
            f = os.path.join(d, name)
            with open(f, "wb") as fh:
                fh.write(data)
            st, _, err = run("--play-spikes", f, "-o", os.path.join(d, "o.wav"))
            self.assertEqual(st, EXIT_INPUT, err)
            for e in expect:
                self.assertIn(e, err)
            self.assertFalse(os.path.exists(os.path.join(d, "o.wav")))

    def test_missing_column(self):
        self.refused("a.csv", b"time_s,neuron\n0.1,0\n0.2\n", "line 3", "missing column")

    def test_header_without_a_neuron_column(self):
        self.refused("a.csv", b"time_s,channel\n0.1,0\n", "no 'neuron' column")

    def test_times_that_go_back(self):
        self.refused("a.csv", b"0.1,0\n0.3,1\n0.2,0\n", "line 3", "must not decrease")

    def test_nwb_without_units_table(self):
        with workdir() as d:
            f = os.path.join(d, "n.nwb")
            nwbfile.write(f, [], with_units=False)
            with open(f, "rb") as fh:
                data = fh.read()
        self.refused("n.nwb", data, "no units table")

    def test_nwb_unit_whose_times_go_back(self):
        with workdir() as d:
            f = os.path.join(d, "n.nwb")
            nwbfile.write(f, [[0.1, 0.2], [0.3, 0.25]])
            with open(f, "rb") as fh:
                data = fh.read()
        self.refused("n.nwb", data, "unit 1's times go back")

    def test_truncated_hdf5(self):
        with workdir() as d:
            f = os.path.join(d, "n.nwb")
            nwbfile.write(f, Nwb.UNITS)
            with open(f, "rb") as fh:
                data = fh.read()
        self.refused("t.nwb", data[:len(data) // 2], "not a readable HDF5 file")


if __name__ == "__main__":
    unittest.main()
