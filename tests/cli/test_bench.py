"""`hillock bench --json FILE` and `--compare FILE` (cli/bench/bench_record.c):
the JSON is valid (RFC 8259, read by Python's json module) with one row per
bank and path measured, and a run compared against itself reads its rows back
(a ratio column, no "(no row)"); an unreadable file is a usage error."""
import json
import os
import re
import unittest

from clitest import EXIT_OK, EXIT_USAGE, run, workdir

QUICK = ("bench", "--seconds", "0.01", "--repeats", "1", "--neurons", "64",
         "--isa", "sse2", "--model", "hh spread 0.5")


class Bench(unittest.TestCase):
    def test_json_rows_and_compare(self):
        with workdir() as d:
            path = os.path.join(d, "run.json")
            code, out, err = run(*QUICK, "--json", path)
            self.assertEqual(code, EXIT_OK, err)
            with open(path) as f:
                doc = json.load(f)
            banks = [r["bank"] for r in doc["rows"]]
            # the three realistic HH rows: alone, with noise, coupled
            self.assertEqual(banks, ["hh spread 0.5", "hh spread 0.5 noise 1",
                                     "hh spread 0.5 10% coupled"])
            for r in doc["rows"]:
                self.assertEqual(r["path"], "sse2")
                self.assertEqual(r["spread"], 0.5)
                self.assertGreater(r["ns_at_max"], 0.0)
                self.assertEqual(len(r["capacity_25"]), 3)
            self.assertGreater(doc["memory"]["bytes_per_neuron"], 0.0)
            # what a host waits for at instantiation: a real-time engine's
            # creation, every page written (the thread's CPU time, page work
            # included; 10-18 ms here since its large blocks take 2 MiB pages)
            create = re.search(r"^create: ([0-9.]+) ms of CPU for a real-time engine", out, re.M)
            self.assertIsNotNone(create, out)
            self.assertGreater(float(create.group(1)), 0.0)
            # synapses are drawn from the seed at each spike, none stored: the
            # coupled bank of 2048 neurons at p = 0.1 (n (n - 1) p synapses)
            # holds no more than a few bytes beyond the uncoupled one
            mem = doc["memory"]
            self.assertEqual(mem["synapse_bank_neurons"], 2048)
            self.assertEqual(mem["synapses_measured"], round(2048 * 2047 * 0.1))
            self.assertLess(mem["bytes_per_synapse"], 0.01)
            # stored (plasticity on): the table draws the same graph, so its
            # count is n (n - 1) p within 1 % (7 standard deviations of the
            # binomial), and each synapse holds at least its six 4-byte
            # arrays (post, w, dist_mm, elig, in_syn, in_pre; dsp/synapses.h)
            self.assertAlmostEqual(mem["stored_synapses"] / (2048 * 2047 * 0.1), 1.0, delta=0.01)
            self.assertGreaterEqual(mem["stored_bytes_per_synapse"], 24.0)
            code, out, err = run(*QUICK, "--compare", path)
            self.assertEqual(code, EXIT_OK, err)
            self.assertNotIn("(no row)", out)
            self.assertEqual(len(re.findall(r"\| +(?:[0-9.]+x|n/a) +[0-9.]+x$", out, re.M)), 3, out)

    def test_learning_row_runs_with_its_stored_synapses(self):
        # the learning network's row (receptors, delays, STDP: the synapse
        # table built as render builds it) is measured and says what it is
        with workdir() as d:
            path = os.path.join(d, "run.json")
            code, out, err = run("bench", "--seconds", "0.01", "--repeats", "1", "--neurons",
                                 "64", "--isa", "sse2", "--model", "hh 10% receptors",
                                 "--json", path)
            self.assertEqual(code, EXIT_OK, err)
            with open(path) as f:
                rows = json.load(f)["rows"]
            self.assertEqual([r["bank"] for r in rows], ["hh 10% receptors delays stdp"])
            self.assertEqual(rows[0]["learning"], 1)
            self.assertEqual(rows[0]["connectivity"], 0.1)
            self.assertGreater(rows[0]["spikes_per_neuron_s"], 0.0)
            self.assertGreater(rows[0]["ns_at_max"], 0.0)

    def test_scale_rows_cover_every_bank_size(self):
        # --scale: every uncoupled Izhikevich bank at 1024 ... 16384 neurons
        # (the engine's limit, ENGINE_MAX_NEURONS), its total cost per
        # neuron-step at each; coupled banks are left out (their synapses
        # grow as neurons squared). Izhikevich: the cheapest model, so the
        # largest bank takes 16384 x 480 steps.
        code, out, err = run("bench", "--scale", "--seconds", "0.01", "--repeats", "1",
                             "--isa", "sse2", "--model", "izhikevich")
        self.assertEqual(code, EXIT_OK, err)
        self.assertRegex(out, r"1024 +2048 +4096 +8192 +16384 \| 16384/4096")
        rows = re.findall(r"^sse2 +(izhikevich[^|]*?)((?: +[0-9.]+){5}) \| +([0-9.]+) +([0-9.]+)$",
                          out, re.M)
        self.assertEqual([r[0].strip() for r in rows],
                         ["izhikevich", "izhikevich spread 0.5", "izhikevich spread 0.5 noise 1"],
                         out)
        for _, costs, ratio, hz in rows:
            costs = [float(x) for x in costs.split()]
            self.assertTrue(all(c > 0.0 for c in costs), out)
            self.assertAlmostEqual(float(ratio), costs[4] / costs[2], delta=0.01 + 0.01 * costs[4] / costs[2])
            self.assertGreater(float(hz), 1.0, out)  # spikes flowing

    def test_threads_report_where_a_step_goes(self):
        # --threads 2: under each row, the CPU time of a parallel job's (a
        # step, or an uncoupled bank's run of steps ahead) serial and
        # parallel parts and of the voices' task beside the serial part
        # (cli/bench/workers.c, dsp/frame_voices.c), the share (p + t) /
        # (s + p + t), and Amdahl's law for two threads with the task on the
        # other thread, (s + p + t) / (max(s, t) + p / 2 + fork_join): never
        # more than the thread count.
        code, out, err = run("bench", "--seconds", "0.02", "--repeats", "1", "--neurons",
                             "2048", "--isa", "sse2", "--model", "hh spread 0.5",
                             "--threads", "2")
        self.assertEqual(code, EXIT_OK, err)
        lines = re.findall(r"2 threads, CPU time a parallel job \(a step, or a run of steps "
                           r"ahead\): serial ([0-9]+) ns, parallel ([0-9]+) ns, "
                           r"beside the serial part ([0-9]+) ns "
                           r"\(([0-9.]+) % of the work\), waiting [0-9]+ ns; fork\+join ([0-9]+) ns; "
                           r"projected on idle cores: ([0-9.]+)x one thread", out)
        self.assertEqual(len(lines), 3, out)
        for row, (s, p, t, share, fj, projected) in enumerate(lines):
            s, p, t, share, fj, projected = (float(x) for x in (s, p, t, share, fj, projected))
            self.assertGreater(p, 0.0, out)
            if row == 2:  # coupled, a job a step: the bank fires, the voices' task runs
                self.assertGreater(t, 0.0, out)
            # uncoupled banks step runs ahead of their frames (dsp/frame_ahead.c),
            # whose sound plays in the job
            self.assertAlmostEqual(share, 100.0 * (p + t) / (s + p + t),
                                   delta=0.06 + 100.0 / (s + p + t))
            self.assertAlmostEqual(projected, (s + p + t) / (max(s, t) + p / 2 + fj),
                                   delta=0.006 + 0.01 * projected)
            self.assertLessEqual(projected, 2.0)

    def test_malformed_numbers_are_usage_errors(self):
        # each value whole and in range, or refused naming the option and the
        # value (atoi read "3x" as 3 and "1e3" as 1 before cli/bench/bench.c
        # parsed them strictly)
        for option, value in (("--repeats", "3x"), ("--repeats", "0"), ("--neurons", "1e3"),
                              ("--neurons", "7"), ("--threads", "65"), ("--seconds", "abc"),
                              ("--seconds", "0"), ("--seconds", "0.5s"), ("--worst", "")):
            code, out, err = run("bench", option, value)
            self.assertEqual(code, EXIT_USAGE, (option, value, err))
            self.assertIn("%s '%s'" % (option, value), err)
            self.assertEqual(out, "")
        code, _, err = run("bench", "--isa", "sse2,mmx")
        self.assertEqual(code, EXIT_USAGE)
        self.assertIn("'mmx'", err)

    def test_unreadable_compare_file_is_a_usage_error(self):
        with workdir() as d:
            code, _, err = run("bench", "--compare", os.path.join(d, "missing.json"))
            self.assertEqual(code, EXIT_USAGE)
            self.assertIn("missing.json", err)


if __name__ == "__main__":
    unittest.main()
