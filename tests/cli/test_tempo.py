"""`tempo_sync`: bursts locked to the beat grid, measured from the spike times
of `hillock render --bpm` (and of a --midi-in tempo map).

Reference: the grid itself. At B beats per minute a note value of d quarter
notes lasts 60 / B * d seconds, and grid line k falls at k times that from
the render's start (a tempo map's lines through its Set Tempo events, MMA
"Standard MIDI Files 1.0"). The requirement is that Pinsky-Rinzel bursts land
on the quarter notes within 5 ms after two bars (8 quarters) at 60-180 BPM.
A burst's onset is its first spike: a spike after a silence of more than a
quarter of the division (Pinsky-Rinzel's doublets at the default drive are a
few ms apart, its bursts about 0.5 s)."""
import os
import unittest

import smf
from clitest import EXIT_OK, read_csv, run, workdir

PR = ["-s", "model=pinsky_rinzel", "-s", "neurons=1", "-s", "tempo_sync=on", "-q"]
TOLERANCE_S = 0.005


def spike_times(path):
    return [float(row[0]) for row in read_csv(path)[1]]


def onsets(times, division_s):
    return [b for a, b in zip([-1.0] + times, times) if b - a > 0.25 * division_s]


def grid_error(t, division_s, origin=0.0):
    k = round((t - origin) / division_s)
    return t - origin - k * division_s


class TempoLock(unittest.TestCase):
    def render_spikes(self, d, name, *args):
        out = os.path.join(d, name + ".csv")
        code, _, err = run("render", *PR, *args, "--spikes", out,
                           "-o", os.path.join(d, name + ".wav"))
        self.assertEqual(code, EXIT_OK, err)
        return spike_times(out)

    def test_pinsky_rinzel_bursts_land_on_quarter_notes_after_two_bars(self):
        with workdir() as d:
            for bpm in (60, 120, 180):
                quarter = 60.0 / bpm
                times = self.render_spikes(d, str(bpm), "--bpm", str(bpm),
                                           "-d", str(12 * quarter))
                late = [t for t in onsets(times, quarter) if t > 8 * quarter - TOLERANCE_S]
                self.assertGreaterEqual(len(late), 3, f"{bpm} BPM: bursts after two bars")
                for t in late:
                    self.assertLess(abs(grid_error(t, quarter)), TOLERANCE_S,
                                    f"{bpm} BPM: burst at {t:.4f} s")
                # one burst per quarter: the period locked, not only the phase
                self.assertEqual(len(late), round((times[-1] - late[0]) / quarter) + 1,
                                 f"{bpm} BPM: {late}")

    def test_dotted_and_triplet_divisions(self):
        with workdir() as d:
            for division, quarters in (("1/4d", 1.5), ("1/8t", 1.0 / 3.0)):
                div_s = 0.5 * quarters  # at 120 BPM
                times = self.render_spikes(d, division.replace("/", "_"), "--bpm", "120",
                                           "-s", "sync_division=" + division,
                                           "-d", str(max(16 * div_s, 3.0)))
                late = [t for t in onsets(times, div_s) if t > times[-1] - 4 * div_s]
                self.assertGreaterEqual(len(late), 3, division)
                for t in late:
                    self.assertLess(abs(grid_error(t, div_s)), TOLERANCE_S,
                                    f"{division}: burst at {t:.4f} s")

    def test_a_tempo_change_in_the_midi_file_is_followed(self):
        # 120 BPM for two bars (8 quarters, 4 s), then 90 BPM
        ppq = 480
        tempo_map = smf.smf(1, ppq, [smf.track([(0, smf.tempo(500000)),
                                                (8 * ppq, smf.tempo(666667))])])
        change_s, quarter_after = 4.0, 0.666667
        with workdir() as d:
            path = os.path.join(d, "map.mid")
            with open(path, "wb") as f:
                f.write(tempo_map)
            times = self.render_spikes(d, "map", "--midi-in", path, "-d", "11.5")
            bursts = onsets(times, 0.5)
            before = [t for t in bursts if 2.0 < t < change_s - 0.1]
            after = [t for t in bursts if t > change_s + 8 * quarter_after - TOLERANCE_S]
            self.assertGreaterEqual(len(before), 3)
            self.assertGreaterEqual(len(after), 2)
            for t in before:
                self.assertLess(abs(grid_error(t, 0.5)), TOLERANCE_S, f"120 BPM: {t:.4f} s")
            for t in after:
                self.assertLess(abs(grid_error(t, quarter_after, change_s)), TOLERANCE_S,
                                f"90 BPM: {t:.4f} s")
            # smoothly: no burst interval across the change shorter than the
            # quicker tempo's quarter less 20 % (no skipped or doubled beat)
            gaps = [b - a for a, b in zip(bursts, bursts[1:]) if a > 2.0]
            self.assertGreater(min(gaps), 0.8 * 0.5, gaps)

    def test_the_lock_does_not_depend_on_the_block_size(self):
        with workdir() as d:
            a = self.render_spikes(d, "b256", "--bpm", "150", "-d", "3")
            b = self.render_spikes(d, "b37", "--bpm", "150", "-d", "3", "-b", "37")
            self.assertEqual(a, b)

    def test_off_keeps_the_model_at_its_speed(self):
        # tempo_sync off (the default): the division and the tempo change nothing
        with workdir() as d:
            out = os.path.join(d, "x.csv")
            results = []
            for extra in ([], ["-s", "tempo_sync=off", "-s", "sync_division=1/32t",
                               "--bpm", "77"]):
                code, _, err = run("render", "-s", "model=pinsky_rinzel", "-s", "neurons=1",
                                   "-q", "-d", "2", *extra, "--spikes", out,
                                   "-o", os.path.join(d, "x.wav"))
                self.assertEqual(code, EXIT_OK, err)
                results.append(spike_times(out))
            self.assertEqual(results[0], results[1])


if __name__ == "__main__":
    unittest.main()
