"""`hillock render` refuses bad input with a one-line message naming the
problem, the exit status documented in cli/exit_codes.h, and no output file:
neither the target nor a temporary file is left, and an existing target is
left untouched."""
import os
import resource
import signal
import subprocess
import unittest

from clitest import (EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE, FIXTURES, HILLOCK, listing, run,
                     workdir)


class RefusedRenders(unittest.TestCase):
    def refuse(self, args, code, *words, files=()):
        """Run render in a fresh folder holding `files`; expect `code`, one
        stderr line containing every word, and the folder unchanged."""
        with workdir() as d:
            for name in files:
                with open(os.path.join(d, name), "w") as f:
                    f.write("old contents\n")
            before = listing(d)
            status, out, err = run("render", *args, cwd=d)
            self.assertEqual(status, code, "%s: %s" % (args, err))
            self.assertEqual(out, "")
            self.assertEqual(len(err.strip().splitlines()), 1, err)
            for w in words:
                self.assertIn(w, err)
            self.assertEqual(listing(d), before, "no output or temporary file left")
            for name in files:
                with open(os.path.join(d, name)) as f:
                    self.assertEqual(f.read(), "old contents\n")

    # usage: options, symbols, values
    def test_unknown_long_option(self):
        self.refuse(["--frobnicate", "-o", "out.wav"], EXIT_USAGE, "--frobnicate")

    def test_unknown_short_option(self):
        self.refuse(["-x", "-o", "out.wav"], EXIT_USAGE, "-x")

    def test_option_without_its_value(self):
        self.refuse(["-o", "out.wav", "--duration"], EXIT_USAGE, "--duration")

    def test_missing_output(self):
        self.refuse(["-d", "1"], EXIT_USAGE, "-o")

    def test_unknown_symbol(self):
        self.refuse(["-s", "no_such_knob=1", "-o", "out.wav"], EXIT_USAGE, "no_such_knob")

    def test_out_of_range_value(self):
        self.refuse(["-s", "drive=1000", "-o", "out.wav"], EXIT_USAGE, "drive", "1000")

    def test_unparsable_value(self):
        self.refuse(["-s", "drive=lots", "-o", "out.wav"], EXIT_USAGE, "drive", "lots")

    def test_unknown_enumeration_name(self):
        self.refuse(["-s", "model=lif", "-o", "out.wav"], EXIT_USAGE, "model", "izhikevich")

    def test_set_without_equals(self):
        self.refuse(["-s", "drive", "-o", "out.wav"], EXIT_USAGE, "SYMBOL=VALUE")

    def test_zero_duration(self):
        self.refuse(["-d", "0", "-o", "out.wav"], EXIT_USAGE, "--duration")

    def test_negative_duration(self):
        self.refuse(["-d", "-3", "-o", "out.wav"], EXIT_USAGE, "--duration")

    def test_absurd_duration_over_24_h(self):
        self.refuse(["-d", "86401", "-o", "out.wav"], EXIT_USAGE, "--duration", "24 h")

    def test_nan_duration(self):
        self.refuse(["-d", "nan", "-o", "out.wav"], EXIT_USAGE, "--duration")

    def test_bad_rate(self):
        self.refuse(["-r", "44.1k", "-o", "out.wav"], EXIT_USAGE, "--rate")

    def test_bad_block(self):
        self.refuse(["-b", "0", "-o", "out.wav"], EXIT_USAGE, "--block")

    def test_bad_bits(self):
        self.refuse(["--bits", "8", "-o", "out.wav"], EXIT_USAGE, "--bits")

    def test_stray_argument(self):
        self.refuse(["out.wav"], EXIT_USAGE, "out.wav")

    def test_same_file_for_two_outputs(self):
        self.refuse(["--trace", "out.wav", "-o", "out.wav"], EXIT_USAGE, "out.wav")

    # input
    def test_missing_input_file(self):
        self.refuse(["-i", "nothing.wav", "-o", "out.wav"], EXIT_INPUT, "nothing.wav",
                    "No such file")

    def test_non_audio_input_file(self):
        self.refuse(["-i", "notes.txt", "-o", "out.wav"], EXIT_INPUT, "notes.txt",
                    files=["notes.txt"])

    def test_unknown_preset(self):
        self.refuse(["-p", "no-such-preset", "-o", "out.wav"], EXIT_INPUT, "no-such-preset")

    def test_preset_with_unknown_symbol_names_file_and_symbol(self):
        self.refuse(["-p", os.path.join(FIXTURES, "unknown-symbol.ttl"), "-o", "out.wav"],
                    EXIT_INPUT, "unknown-symbol.ttl", "no_such_knob")

    def test_preset_with_out_of_range_value_names_file_and_symbol(self):
        self.refuse(["-p", os.path.join(FIXTURES, "out-of-range.ttl"), "-o", "out.wav"],
                    EXIT_INPUT, "out-of-range.ttl", "neurons", "100000")

    # a device or a pipe would never end or block before Ctrl-C could act;
    # refused at once (the run's timeout is the "at once")
    def test_preset_that_is_a_device(self):
        self.refuse(["-p", "/dev/zero", "-o", "out.wav"], EXIT_INPUT, "/dev/zero",
                    "not a regular file")

    def test_input_that_is_a_fifo_without_writer(self):
        with workdir() as d:
            fifo = os.path.join(d, "pipe")
            os.mkfifo(fifo)
            status, out, err = run("render", "-i", fifo, "-o", os.path.join(d, "out.wav"),
                                   timeout=10)
            self.assertEqual(status, EXIT_INPUT, err)
            self.assertIn("not a regular file", err)
            self.assertEqual(sorted(os.listdir(d)), ["pipe"])

    def test_preset_far_larger_than_a_preset(self):
        with workdir() as d:
            with open(os.path.join(d, "huge.ttl"), "wb") as f:
                f.write(b" " * (2 << 20))
            status, out, err = run("render", "-p", os.path.join(d, "huge.ttl"), "-o",
                                   os.path.join(d, "out.wav"), timeout=10)
            self.assertEqual(status, EXIT_INPUT, err)
            self.assertIn("huge.ttl", err)

    def test_preset_that_is_not_turtle(self):
        self.refuse(["-p", os.path.join(FIXTURES, "broken-turtle.ttl"), "-o", "out.wav"],
                    EXIT_INPUT, "broken-turtle.ttl")

    # output (tests run as root on CI, so no permission tricks: missing folders)
    def test_output_in_missing_folder(self):
        self.refuse(["-d", "0.1", "-o", "no/such/folder/out.wav"], EXIT_OUTPUT,
                    "no/such/folder/out.wav")

    def test_output_is_a_folder(self):
        with workdir() as d:
            status, _, err = run("render", "-d", "0.1", "-o", d)
            self.assertEqual(status, EXIT_OUTPUT, err)
            self.assertIn("directory", err)
            self.assertEqual(listing(d), [])

    def test_output_is_a_device(self):
        # never replace /dev/null by a regular file, even as root
        status, _, err = run("render", "-d", "0.1", "-o", "/dev/null")
        self.assertEqual(status, EXIT_OUTPUT, err)
        self.assertIn("not a regular file", err)
        self.assertFalse(os.path.isfile("/dev/null"))

    def test_unwritable_spikes_file_leaves_no_wav(self):
        self.refuse(["-d", "0.1", "--spikes", "no/such/s.csv", "-o", "out.wav"], EXIT_OUTPUT,
                    "no/such/s.csv")

    def test_unwritable_trace_file_leaves_no_wav_or_spikes(self):
        self.refuse(["-d", "0.1", "--spikes", "s.csv", "--trace", "no/t.csv", "-o",
                     "out.wav"], EXIT_OUTPUT, "no/t.csv")

    def full_disk(self, *args):
        """Render with a 200 kB file-size limit (RLIMIT_FSIZE), as a full disk
        would stop it: write() fails with EFBIG once SIGXFSZ is ignored."""
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (200000, 200000))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        with workdir() as d:
            p = subprocess.run([HILLOCK, "render", "-d", "2", *args], cwd=d,
                               preexec_fn=limit, capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, EXIT_OUTPUT, p.stderr)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            self.assertIn("writing", p.stderr)
            self.assertEqual(listing(d), [], "no output or temporary file left")

    def test_full_disk_while_writing_the_wav(self):
        self.full_disk("-o", "out.wav")

    def test_full_disk_while_writing_the_trace(self):
        self.full_disk("--bits", "16", "--trace", "t.csv", "-o", "out.wav")

    def test_failed_render_keeps_the_old_file(self):
        self.refuse(["-s", "drive=1000", "-o", "out.wav"], EXIT_USAGE, "drive",
                    files=["out.wav"])


class OtherCommands(unittest.TestCase):
    def test_unknown_command(self):
        status, _, err = run("frobnicate")
        self.assertEqual(status, EXIT_USAGE)
        self.assertIn("frobnicate", err)

    def test_no_command_prints_usage(self):
        status, _, err = run()
        self.assertEqual(status, EXIT_USAGE)
        self.assertIn("Usage", err)

    def test_params_unknown_option(self):
        self.assertEqual(run("params", "--yaml")[0], EXIT_USAGE)

    def test_presets_unknown_option(self):
        self.assertEqual(run("presets", "--yaml")[0], EXIT_USAGE)


class Help(unittest.TestCase):
    def test_top_level_help_names_every_command(self):
        status, out, _ = run("--help")
        self.assertEqual(status, 0)
        for cmd in ("render", "params", "presets"):
            self.assertIn(cmd, out)

    def test_version(self):
        status, out, _ = run("--version")
        self.assertEqual(status, 0)
        self.assertRegex(out, r"^hillock \d+\.\d+")

    def test_render_help_explains_every_option(self):
        status, out, _ = run("render", "--help")
        self.assertEqual(status, 0)
        for opt in ("--preset", "--set", "--duration", "--rate", "--block", "--input",
                    "--output", "--bits", "--spikes", "--trace", "--quiet", "--help",
                    "-p,", "-s,", "-d,", "-r,", "-b,", "-i,", "-o,", "-q,", "linear"):
            self.assertIn(opt, out)

    def test_help_subcommand(self):
        self.assertEqual(run("help", "render")[1], run("render", "--help")[1])

    def test_params_and_presets_help(self):
        for cmd in ("params", "presets"):
            status, out, _ = run(cmd, "--help")
            self.assertEqual(status, 0)
            self.assertIn("--json", out)


if __name__ == "__main__":
    unittest.main()
