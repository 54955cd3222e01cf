"""`hillock render --midi-in / --midi-out`: Standard MIDI Files in and out.

References: event times follow from the file's division and Set Tempo
events (MMA "Standard MIDI Files 1.0"), computed here by hand; a spike's
note lies within half a tick of the spike's time in the spike CSV."""
import os
import shutil
import subprocess
import unittest

import smf
from clitest import EXIT_INPUT, EXIT_OK, EXIT_USAGE, listing, read_csv, read_wav, run, workdir

RATE = 44100
# one HH neuron at rest: a note's current shows in the voltage at once
REST = ["-s", "model=hh", "-s", "neurons=1", "-s", "drive_mode=absolute", "-s", "drive=0",
        "-s", "midi_drive=20",
        "-r", str(RATE), "-q"]


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def trace(path):
    return [float(row[1]) for row in read_csv(path)[1]]


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return None


# 480 ticks per quarter; 120 BPM, then 700 000 us per quarter from tick 960 (1.0 s)
PPQ = 480
TEMPO_TRACK = [(0, smf.tempo(500000)), (960, smf.tempo(700000))]
NOTE_ON = (1200, b"\x90\x3c\x64")   # 1.0 + 240/480 * 0.7 = 1.35 s -> frame 59535
NOTE_OFF = (1680, b"\x80\x3c\x40")  # 1.0 + 720/480 * 0.7 = 2.05 s -> frame 90405
ON_FRAME, OFF_FRAME = 59535, 90405


class MidiIn(unittest.TestCase):
    def render_trace(self, d, name, *args):
        out = os.path.join(d, name + ".csv")
        code, _, err = run("render", *REST, "-d", "2.5", *args, "--trace", out,
                           "-o", os.path.join(d, name + ".wav"))
        self.assertEqual(code, EXIT_OK, err)
        return trace(out)

    def test_notes_start_and_end_at_their_sample_through_the_tempo_map(self):
        with workdir() as d:
            type0 = os.path.join(d, "type0.mid")
            type1 = os.path.join(d, "type1.mid")
            on_only = os.path.join(d, "on.mid")
            write(type0, smf.smf(0, PPQ, [smf.track(TEMPO_TRACK[:1] + [(960, TEMPO_TRACK[1][1]),
                                                                      NOTE_ON, NOTE_OFF])]))
            write(type1, smf.smf(1, PPQ, [smf.track(TEMPO_TRACK), smf.track([NOTE_ON, NOTE_OFF])]))
            write(on_only, smf.smf(1, PPQ, [smf.track(TEMPO_TRACK), smf.track([NOTE_ON])]))
            silent = self.render_trace(d, "silent")
            t0 = self.render_trace(d, "t0", "--midi-in", type0)
            t1 = self.render_trace(d, "t1", "--midi-in", type1)
            on = self.render_trace(d, "on", "--midi-in", on_only)
            self.assertEqual(first_difference(silent, t0), ON_FRAME,
                             "the note on reaches the neuron at 1.35 s")
            self.assertEqual(first_difference(on, t1), OFF_FRAME,
                             "the note off releases it at 2.05 s")
            self.assertEqual(t0, t1, "format 0 and format 1 play the same")
            self.assertEqual(read_wav(os.path.join(d, "t0.wav")).samples,
                             read_wav(os.path.join(d, "t1.wav")).samples)

    def test_without_duration_the_render_lasts_the_file_plus_a_second(self):
        with workdir() as d:
            f = os.path.join(d, "in.mid")
            write(f, smf.smf(1, PPQ, [smf.track(TEMPO_TRACK), smf.track([NOTE_ON, NOTE_OFF])]))
            code, _, err = run("render", *REST, "--midi-in", f, "-o", os.path.join(d, "o.wav"))
            self.assertEqual(code, EXIT_OK, err)
            self.assertEqual(read_wav(os.path.join(d, "o.wav")).frames, OFF_FRAME + RATE)


class CorruptFiles(unittest.TestCase):
    GOOD = smf.smf(1, PPQ, [smf.track(TEMPO_TRACK), smf.track([NOTE_ON, NOTE_OFF])])
    CASES = {
        "truncated chunk": (GOOD[:-6], "truncated"),
        "bad header": (b"MThx" + GOOD[4:], "not a Standard MIDI File"),
        "running status without status": (
            smf.smf(0, PPQ, [b"MTrk\x00\x00\x00\x07\x00\x3c\x64\x00\xff\x2f\x00"]),
            "running status without a status"),
        "absurd length": (GOOD[:18] + b"\x7f\xff\xff\xff" + GOOD[22:], "truncated file"),
        "empty file": (b"", "not a Standard MIDI File"),
    }

    def test_corrupt_files_are_refused_and_nothing_is_written(self):
        for name, (data, reason) in self.CASES.items():
            with self.subTest(name), workdir() as d:
                f = os.path.join(d, "bad.mid")
                write(f, data)
                code, _, err = run("render", "--midi-in", f, "-d", "0.1", "--midi-out",
                                   os.path.join(d, "o.mid"), "--spikes", os.path.join(d, "s.csv"),
                                   "-o", os.path.join(d, "o.wav"))
                self.assertEqual(code, EXIT_INPUT, err)
                self.assertIn("bad.mid", err)
                self.assertIn(reason, err)
                self.assertEqual(listing(d), ["bad.mid"], "no output, whole or partial")

    def test_missing_file(self):
        with workdir() as d:
            code, _, err = run("render", "--midi-in", os.path.join(d, "none.mid"), "-d", "0.1",
                               "-o", os.path.join(d, "o.wav"))
            self.assertEqual(code, EXIT_INPUT, err)
            self.assertEqual(listing(d), [])


class MidiOut(unittest.TestCase):
    BANK = ["-s", "model=hh", "-s", "neurons=12", "-s", "drive_mode=absolute", "-s", "drive=9",
            "-s", "noise=3",
            "-s", "inhibitory_fraction=0.3", "-s", "scale=chromatic", "-s", "root=36", "-q"]

    def render(self, d, *args):
        code, _, err = run("render", *self.BANK, "-d", "2", "--spikes", os.path.join(d, "s.csv"),
                           "--midi-out", os.path.join(d, "s.mid"), *args,
                           "-o", os.path.join(d, "o.wav"))
        self.assertEqual(code, EXIT_OK, err)
        spikes = [(float(t), int(n)) for t, n in read_csv(os.path.join(d, "s.csv"))[1]]
        with open(os.path.join(d, "s.mid"), "rb") as f:
            fmt, ppq, tracks = smf.read(f.read())
        return spikes, fmt, ppq, tracks

    def check_round_trip(self, spikes, ppq, tracks):
        tmap = smf.tempo_map(tracks)
        notes = {}  # note number -> times of its note ons
        channel_of_note = {}
        offs = {}
        for number, t in enumerate(tracks[1:], start=1):
            for e in t:
                if e[1] == "meta":
                    continue
                kind, channel, key = e[1] & 0xF0, e[1] & 0x0F, e[2][0]
                self.assertEqual(channel, number - 1, "track %d holds channel %d" % (number, number))
                if kind == 0x90 and e[2][1] > 0:
                    notes.setdefault(key, []).append(smf.seconds(e[0], tmap, ppq))
                    self.assertEqual(channel_of_note.setdefault(key, channel), channel,
                                     "a neuron keeps its population")
                elif kind == 0x80:
                    offs[key] = offs.get(key, 0) + 1
        self.assertEqual(sum(len(v) for v in notes.values()), len(spikes), "a note per spike")
        for key, times in notes.items():
            self.assertEqual(offs.get(key, 0), len(times), "every note ends")
        by_key = {}
        for t, n in spikes:
            by_key.setdefault(36 + n, []).append(t)  # chromatic from root 36: note = 36 + neuron
        worst = 0.0
        for key, times in by_key.items():
            got = sorted(notes.get(key, []))
            self.assertEqual(len(got), len(times), "note %d" % key)
            for a, b in zip(sorted(times), got):
                worst = max(worst, abs(a - b))
        self.assertLess(worst, 1e-3, "every spike within 1 ms")
        half_tick = 0.5 * max(us for _, us in tmap) / 1e6 / ppq
        self.assertLessEqual(worst, half_tick + 1e-9, "within half a tick")
        self.assertEqual(set(channel_of_note.values()), {0, 1}, "both populations play")

    def test_every_spike_is_a_note_at_its_time(self):
        with workdir() as d:
            spikes, fmt, ppq, tracks = self.render(d)
            self.assertGreater(len(spikes), 100)
            self.assertEqual(fmt, 1)
            self.assertEqual(len(tracks), 3, "tempo, excitatory, inhibitory")
            self.assertGreaterEqual(ppq, 960)
            self.assertEqual(smf.tempo_map(tracks), [(0, 500000)], "120 BPM by default")
            self.check_round_trip(spikes, ppq, tracks)

    def test_bpm_sets_the_tempo(self):
        with workdir() as d:
            spikes, _, ppq, tracks = self.render(d, "--bpm", "90")
            self.assertEqual(smf.tempo_map(tracks), [(0, 666667)])
            self.check_round_trip(spikes, ppq, tracks)

    def test_the_input_tempo_map_carries_over(self):
        with workdir() as d:
            f = os.path.join(d, "in.mid")
            write(f, smf.smf(1, PPQ, [smf.track(TEMPO_TRACK), smf.track([NOTE_ON, NOTE_OFF])]))
            spikes, _, ppq, tracks = self.render(d, "--midi-in", f)
            tmap = smf.tempo_map(tracks)
            self.assertEqual([us for _, us in tmap], [500000, 700000])
            self.assertAlmostEqual(smf.seconds(tmap[1][0], tmap, ppq), 1.0, places=9)
            self.check_round_trip(spikes, ppq, tracks)

    def test_bad_bpm(self):
        with workdir() as d:
            code, _, err = run("render", "--bpm", "2", "-d", "0.1", "-o", os.path.join(d, "o.wav"))
            self.assertEqual(code, EXIT_USAGE)
            self.assertIn("--bpm", err)


def midicsv_rows(path):
    """The file as midicsv (Debian's midicsv, John Walker's converter) reads
    it: rows of stripped fields."""
    out = subprocess.run(["midicsv", path], check=True, capture_output=True, text=True).stdout
    return [[f.strip() for f in line.split(",")] for line in out.splitlines()]


@unittest.skipUnless(shutil.which("midicsv") and shutil.which("csvmidi"),
                     "midicsv not installed (sh scripts/setup.sh installs it)")
class ThirdParty(unittest.TestCase):
    """Files as another program reads and writes them: midicsv and csvmidi."""

    def test_midicsv_finds_every_spike_at_its_time(self):
        with workdir() as d:
            code, _, err = run("render", *MidiOut.BANK, "-d", "2", "--bpm", "75",
                               "--spikes", os.path.join(d, "s.csv"),
                               "--midi-out", os.path.join(d, "s.mid"),
                               "-o", os.path.join(d, "o.wav"))
            self.assertEqual(code, EXIT_OK, err)
            rows = midicsv_rows(os.path.join(d, "s.mid"))
            header = next(r for r in rows if r[2] == "Header")
            ppq = int(header[5])
            self.assertEqual(header[3:5], ["1", "3"], "format 1, three tracks")
            tempos = [(int(r[1]), int(r[3])) for r in rows if r[2] == "Tempo"]
            self.assertEqual(tempos, [(0, 800000)], "75 BPM")
            ons = sorted((int(r[1]) * 0.8 / ppq, int(r[4]))
                         for r in rows if r[2] == "Note_on_c" and int(r[5]) > 0)
            spikes = sorted((float(t), 36 + int(n))
                            for t, n in read_csv(os.path.join(d, "s.csv"))[1])
            self.assertEqual(len(ons), len(spikes))
            by_note = {}
            for t, key in ons:
                by_note.setdefault(key, []).append(t)
            for t, key in spikes:
                times = by_note[key]
                self.assertLess(min(abs(t - x) for x in times), 1e-3, "spike at %.6f s" % t)

    def test_a_file_csvmidi_wrote_plays_at_its_sample(self):
        with workdir() as d:
            csv = os.path.join(d, "in.csv")
            with open(csv, "w") as f:
                f.write("0, 0, Header, 1, 2, %d\n"
                        "1, 0, Start_track\n1, 0, Tempo, 500000\n1, 960, Tempo, 700000\n"
                        "1, 960, End_track\n"
                        "2, 0, Start_track\n2, 1200, Note_on_c, 0, 60, 100\n"
                        "2, 1680, Note_off_c, 0, 60, 64\n2, 1680, End_track\n"
                        "0, 0, End_of_file\n" % PPQ)
            mid = os.path.join(d, "in.mid")
            subprocess.run(["csvmidi", csv, mid], check=True)
            out = {}
            for name, extra in (("silent", []), ("played", ["--midi-in", mid])):
                tr = os.path.join(d, name + ".csv")
                code, _, err = run("render", *REST, "-d", "2.5", *extra, "--trace", tr,
                                   "-o", os.path.join(d, name + ".wav"))
                self.assertEqual(code, EXIT_OK, err)
                out[name] = trace(tr)
            self.assertEqual(first_difference(out["silent"], out["played"]), ON_FRAME)


if __name__ == "__main__":
    unittest.main()
