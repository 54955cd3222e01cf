"""The command's options as a user meets them: a short letter means the same
long option in every subcommand that has it (-r is --rate, never --record),
and the hillock(1) manual page, written from the same tables as --help,
lists every option of every subcommand and is well-formed roff (groff -ww
reports no warning, man(7) macros)."""
import re
import shutil
import subprocess
import unittest

from clitest import run

OPTION = re.compile(r"^  (?:-(\w), )?\s*--([a-z][a-z-]*)", re.M)


def subcommands():
    status, out, _ = run("--help")
    assert status == 0
    block = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines()]


def options_of(cmd):
    """(letter or None, long name) for each option `hillock CMD --help` lists."""
    status, out, err = run(cmd, "--help")
    assert status == 0, err
    return [(m.group(1), m.group(2)) for m in OPTION.finditer(out)]


class OneLetterOneMeaning(unittest.TestCase):
    def test_every_letter_names_one_long_option(self):
        seen = {}
        for cmd in subcommands():
            for letter, name in options_of(cmd):
                if letter:
                    seen.setdefault(letter, set()).add(name)
        clashes = {k: v for k, v in seen.items() if len(v) > 1}
        self.assertEqual(clashes, {})
        self.assertEqual(seen["r"], {"rate"})
        self.assertEqual(seen["o"], {"output"})

    def test_jack_records_with_o_and_refuses_r_with_a_hint(self):
        if "jack" not in subcommands():
            self.skipTest("built without JACK")
        status, _, err = run("jack", "-r", "take.wav")
        self.assertEqual(status, 2)
        self.assertIn("-o/--output", err)


class ManualPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        status, cls.man, err = run("help", "--man")
        assert status == 0, err

    def test_lists_every_option_of_every_subcommand(self):
        for cmd in subcommands():
            self.assertIn(".SS hillock %s\n" % cmd, self.man)
            section = self.man.split(".SS hillock %s\n" % cmd, 1)[1].split(".SS ", 1)[0]
            for letter, name in options_of(cmd):
                self.assertIn("\\fB\\-\\-%s\\fR" % name.replace("-", "\\-"), section,
                              "%s --%s" % (cmd, name))
                if letter:
                    self.assertIn("\\fB\\-%s\\fR, \\fB\\-\\-%s" % (letter, name.replace("-", "\\-")),
                                  section)

    def test_is_clean_roff(self):
        self.assertTrue(self.man.startswith(".\\\""), "a comment first")
        self.assertIn("\n.TH HILLOCK 1 ", self.man)
        for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS"):
            self.assertIn("\n.SH %s\n" % section, self.man)
        groff = shutil.which("groff")
        if not groff:
            self.skipTest("groff not installed")
        p = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z"], input=self.man,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")


if __name__ == "__main__":
    unittest.main()
