"""`hillock render --threads N`: the bank stepped on N threads gives the same
samples and spikes as one thread (dsp/bank.h, bank_set_parallel: each neuron's
state and every synaptic delivery are computed in the same order whatever the
split), and N is checked against 1..64 (cli/render_options.c, workers_create)."""
import csv
import filecmp
import os
import re
import subprocess
import unittest

import clitest
from clitest import EXIT_OK, EXIT_USAGE, read_wav, run, workdir


class Threads(unittest.TestCase):
    def render(self, d, name, threads):
        wav = os.path.join(d, name + ".wav")
        sp = os.path.join(d, name + ".csv")
        code, _, err = run("render", "-p", "ei-gamma", "-d", "1", "-q",
                           "--threads", str(threads), "--spikes", sp, "-o", wav)
        self.assertEqual(code, EXIT_OK, err)
        return wav, sp

    def test_two_threads_match_one_exactly_on_a_coupled_preset(self):
        # ei-gamma: 160 coupled HH neurons at 20 % connectivity (presets/ei-gamma.ttl).
        with workdir() as d:
            wav1, sp1 = self.render(d, "one", 1)
            wav2, sp2 = self.render(d, "two", 2)
            with open(sp1) as f:
                spikes = sum(1 for _ in f) - 1  # header line
            self.assertGreater(spikes, 100, "the network must fire for the comparison to mean anything")
            # the samples, not the file: libsndfile's PEAK chunk holds the time of writing
            a, b = read_wav(wav1), read_wav(wav2)
            self.assertEqual(len(a.samples), 2 * 48000)
            self.assertTrue(a.samples == b.samples, "samples differ")
            self.assertTrue(filecmp.cmp(sp1, sp2, shallow=False), "spike CSV differs")

    def test_two_and_three_threads_match_one_on_a_bank_of_several_blocks(self):
        # 2100 HH neurons: five blocks of the per-step mix (dsp/bank_mix.h),
        # the last off the vector grid; the ranges, the mix's block sums and
        # the spike lists must come out the same on any number of threads.
        with workdir() as d:
            outs = []
            for threads in (1, 2, 3):
                wav = os.path.join(d, "t%d.wav" % threads)
                sp = os.path.join(d, "t%d.csv" % threads)
                code, _, err = run("render", "-s", "neurons=2100", "-s", "spread=0.5",
                                   "-s", "noise=1", "-d", "0.2", "-q", "--threads",
                                   str(threads), "--spikes", sp, "-o", wav)
                self.assertEqual(code, EXIT_OK, err)
                outs.append((read_wav(wav).samples, sp))
            with open(outs[0][1]) as f:
                self.assertGreater(sum(1 for _ in f) - 1, 1000, "the bank must fire")
            for threads, (samples, sp) in zip((2, 3), outs[1:]):
                self.assertTrue(samples == outs[0][0], "%d threads: samples differ" % threads)
                self.assertTrue(filecmp.cmp(outs[0][1], sp, shallow=False),
                                "%d threads: spike CSV differs" % threads)

    def test_a_recording_at_an_automated_rate_plays_as_on_one_thread(self):
        # Threaded renders call the engine 1024 frames at a time unless told
        # (cli/render_options.c: the last run of each call plays alone); a recording's
        # playback_rate is read once a block (play_spikes.h), so with
        # --play-spikes the block stays 256 and the spikes land where one
        # thread puts them (with 1024-frame blocks they move: the rate's
        # change at 0.05 s is read at 0.064 s).
        with workdir() as d:
            t, rows = 0.0, ["time_s,neuron"]
            for k in range(400):
                t += 0.0005 + 0.001 * ((k * 7919) % 13) / 13.0
                rows.append("%.6f,%d" % (t, (k * 31) % 20))
            rec, rate = os.path.join(d, "rec.csv"), os.path.join(d, "rate.csv")
            with open(rec, "w") as f:
                f.write("\n".join(rows) + "\n")
            with open(rate, "w") as f:
                f.write("0.05,playback_rate,0.5\n0.2,playback_rate,2\n")
            outs = []
            for threads, block in ((1, None), (2, None), (1, "1024")):
                sp = os.path.join(d, "t%d%s.csv" % (threads, block or ""))
                args = ["render", "-q", "-d", "0.3", "--threads", str(threads),
                        "--play-spikes", rec, "--automate", rate, "--spikes", sp,
                        "-o", os.path.join(d, "x.wav")]
                if block:
                    args += ["--block", block]
                code, _, err = run(*args)
                self.assertEqual(code, EXIT_OK, err)
                with open(sp) as f:
                    outs.append(f.read())
            self.assertGreater(outs[0].count("\n"), 100, "the recording must play")
            self.assertEqual(outs[1], outs[0], "two threads moved the recording's spikes")
            self.assertNotEqual(outs[2], outs[0],
                                "1024-frame blocks must move them, or this test shows nothing")

    def test_a_synchronous_coupled_bank_renders_the_same_whichever_way_is_chosen(self):
        # A coupled bank without spread fires in volleys and its threads meet
        # at every step: on a 2-vCPU machine it rendered 1.9x slower on two
        # threads than on one (docs/performance-log.md, "Two threads: the render
        # chooses"). The render times both ways as it goes and may switch
        # between blocks (cli/thread_choice.h); the output must not depend on
        # it, and the summary says how the frames were stepped.
        with workdir() as d:
            outs = []
            # the default is auto: as many threads as CPUs, said only when asked for
            for threads in ("1", "2", None):
                wav, sp = os.path.join(d, "t%s.wav" % threads), os.path.join(d, "t%s.csv" % threads)
                given = ["--threads", threads] if threads else []
                code, _, err = run("render", "-s", "neurons=1000", "-s", "connectivity=0.1",
                                   "-d", "0.6", "--spikes", sp, "-o", wav, *given)
                self.assertEqual(code, EXIT_OK, err)
                outs.append((read_wav(wav).samples, sp, err))
            with open(outs[0][1]) as f:
                self.assertGreater(sum(1 for _ in f) - 1, 3000, "the bank must fire")
            for name, (samples, sp, _) in zip(("two threads", "the default"), outs[1:]):
                self.assertTrue(samples == outs[0][0], name + ": samples differ")
                self.assertTrue(filecmp.cmp(outs[0][1], sp, shallow=False), name + ": spikes differ")
            m = re.search(r"stepped on 2 threads for (\d+) % of the frames", outs[1][2])
            self.assertIsNotNone(m, outs[1][2])
            print("two threads chosen for %s %% of the frames" % m.group(1))
            self.assertNotIn("threads for", outs[0][2], "one thread has nothing to choose")
            self.assertNotIn("threads for", outs[2][2], "the default says nothing of them")

    def test_a_bank_automated_to_grow_loses_no_spike(self):
        # The per-block spike list was sized for the bank at the start: grown
        # from 300 to 3000 neurons by --automate, a render lost most of the
        # new neurons' spikes ("did not fit the per-block list").
        with workdir() as d:
            aut, sp = os.path.join(d, "grow.csv"), os.path.join(d, "s.csv")
            with open(aut, "w") as f:
                f.write("time_s,symbol,value\n0,neurons,300\n0.2,neurons,3000\n")
            code, _, err = run("render", "-s", "model=hh", "-d", "0.5", "--automate", aut,
                               "--spikes", sp, "-o", os.path.join(d, "x.wav"))
            self.assertEqual(code, EXIT_OK, err)
            self.assertNotIn("did not fit", err)
            with open(sp) as f:
                rows = list(csv.DictReader(f))
            grown = [r for r in rows if int(r["neuron"]) >= 300]
            # HH at its default drive fires at about 70 Hz: 2700 new neurons
            # for up to 0.3 s (a crossfade brings them in)
            self.assertGreater(len(grown), 2700 * 5, "%d spikes of the new neurons" % len(grown))

    def test_auto_takes_the_cpus_the_process_may_run_on(self):
        # --threads auto (the default): the CPUs of the process's affinity
        # (sched_getaffinity), at most 8 (cli/render_options.c, auto_threads)
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            self.skipTest("one CPU: auto is one thread")
        with workdir() as d:
            args = ["render", "-s", "neurons=2048", "-d", "0.2", "--threads", "auto",
                    "-o", os.path.join(d, "x.wav")]
            code, _, err = run(*args)
            self.assertEqual(code, EXIT_OK, err)
            self.assertIn("stepped on %d threads" % min(len(cpus), 8), err)
            # narrowed to one CPU (as taskset or a container would): one thread, no pool
            p = subprocess.run([clitest.HILLOCK, *args], capture_output=True, text=True,
                               timeout=60, preexec_fn=lambda: os.sched_setaffinity(0, cpus[:1]))
            self.assertEqual(p.returncode, EXIT_OK, p.stderr)
            self.assertNotIn("threads for", p.stderr)

    def test_out_of_range_thread_counts_are_refused(self):
        with workdir() as d:
            for bad in ("0", "65", "two"):
                code, _, err = run("render", "-d", "0.1", "--threads", bad,
                                   "-o", os.path.join(d, "x.wav"))
                self.assertEqual(code, EXIT_USAGE, bad)
                self.assertIn("--threads", err)
                self.assertEqual(os.listdir(d), [])


if __name__ == "__main__":
    unittest.main()
