"""`hillock render --automate`: the table format, where a breakpoint lands,
and the errors for bad rows (docs/manual.md, "Automation").

References: a breakpoint at t seconds takes effect at frame round(t * rate)
(dsp/automation.h); a step at 0 s is the same as --set, since both reach
the engine before its first sample."""
import os
import unittest

from clitest import EXIT_INPUT, EXIT_OK, listing, read_csv, read_wav, run, workdir

RATE = 48000
REST = ["-s", "model=hh", "-s", "neurons=1", "-s", "drive_mode=absolute", "-s", "drive=0",
        "-q", "-d", "0.5"]


def write(path, text):
    with open(path, "w", newline="") as f:
        f.write(text)


class Table(unittest.TestCase):
    def render(self, d, name, *args):
        out = os.path.join(d, name + ".wav")
        tr = os.path.join(d, name + ".csv")
        code, _, err = run("render", *REST, *args, "--trace", tr, "-o", out)
        self.assertEqual(code, EXIT_OK, err)
        return read_wav(out).samples, [row[1] for row in read_csv(tr)[1]]

    def test_a_step_at_zero_is_the_same_as_set(self):
        with workdir() as d:
            t = os.path.join(d, "a.csv")
            write(t, "time_s,symbol,value,curve\n0,drive,12\n")
            automated = self.render(d, "a", "--automate", t)
            self.assertEqual(automated, self.render(d, "s", "-s", "drive=12"))

    def test_a_step_lands_on_its_sample(self):
        with workdir() as d:
            t = os.path.join(d, "a.csv")
            # 0.123456 s * 48000 = 5925.888 -> frame 5926
            write(t, "# a comment, then a blank line\n\n0.123456 , drive , 15\n")
            _, silent = self.render(d, "silent")
            _, stepped = self.render(d, "a", "--automate", t)
            first = next(i for i, (a, b) in enumerate(zip(silent, stepped)) if a != b)
            self.assertEqual(first, 5926)

    def test_names_crlf_and_every_curve_are_accepted(self):
        with workdir() as d:
            t = os.path.join(d, "a.csv")
            write(t, "0,model,izhikevich\r\n0,drive,5\r\n0.2,drive,20,linear\r\n"
                     "0.4,drive,8,exp\r\n0.3,speed,2,step\r\n")
            samples, _ = self.render(d, "a", "--automate", t)
            self.assertGreater(max(abs(v) for v in samples), 0.0)


class BadRows(unittest.TestCase):
    CASES = {
        "unknown symbol": ("0,drive,5\n1,dirve,6\n", "line 2", "unknown parameter 'dirve'"),
        "out of range": ("0,speed,1\n0.5,speed,500\n", "line 2", "outside"),
        "time goes back": ("0,drive,1\n1,drive,2\n0.5,drive,3\n", "line 3", "must not go back"),
        "bad curve": ("0,drive,1\n1,drive,2,cubic\n", "line 2", "unknown curve 'cubic'"),
        "not a number": ("zero,drive,1\n", "line 1", "not a number"),
        "too few fields": ("0,drive\n", "line 1", "expected time_s,symbol,value"),
        "exp through zero": ("0,drive,-5\n1,drive,5,exp\n", "line 2", "exp"),
        "exp from a zero start": ("1,drive,5,exp\n", "line 1", "start value 0"),
        "ramp of an enumeration": ("1,model,izhikevich,linear\n", "line 1", "only a step"),
        "no rows": ("# nothing\n", "no rows", "no rows"),
    }

    def test_bad_rows_name_their_line_and_nothing_is_written(self):
        for name, (text, where, reason) in self.CASES.items():
            with self.subTest(name), workdir() as d:
                t = os.path.join(d, "bad.csv")
                write(t, text)
                code, _, err = run("render", "-s", "drive=0", "--automate", t, "-d", "0.1",
                                   "--spikes", os.path.join(d, "s.csv"),
                                   "-o", os.path.join(d, "o.wav"))
                self.assertEqual(code, EXIT_INPUT, err)
                self.assertIn("bad.csv", err)
                self.assertIn(where, err)
                self.assertIn(reason, err)
                self.assertEqual(listing(d), ["bad.csv"], "no output, whole or partial")

    def test_missing_table(self):
        with workdir() as d:
            code, _, err = run("render", "--automate", os.path.join(d, "none.csv"), "-d", "0.1",
                               "-o", os.path.join(d, "o.wav"))
            self.assertEqual(code, EXIT_INPUT, err)
            self.assertIn("none.csv", err)


if __name__ == "__main__":
    unittest.main()
