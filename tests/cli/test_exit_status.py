"""Exit statuses as docs/manual.md ("Exit status") documents them, for every
subcommand: each case below names the table row it belongs to by a word of
that row's meaning, so the test reads the documented number from the manual
itself (a row renumbered or reworded there fails here)."""
import os
import re
import unittest

from clitest import SOURCE_ROOT, run, workdir


def documented():
    """{status: meaning} from the manual's table."""
    with open(os.path.join(SOURCE_ROOT, "docs", "manual.md"), encoding="utf-8") as f:
        text = f.read()
    table = text.split("### Exit status", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", table, re.M)
    return {int(code): meaning for code, meaning in rows}


# (arguments, a word of the documented meaning)
CASES = [
    ([], "bad usage"),
    (["no-such-command"], "bad usage"),
    (["help", "no-such-command"], "bad usage"),
    (["render", "-d", "0.01"], "missing `-o`"),
    (["render", "--frobnicate", "-o", "x.wav"], "unknown option"),
    (["render", "-s", "drive=lots", "-o", "x.wav"], "unparsable"),
    (["render", "-s", "drive=1000", "-o", "x.wav"], "out-of-range"),
    (["render", "-s", "no_such=1", "-o", "x.wav"], "parameter symbol"),
    (["render", "-d", "0", "-o", "x.wav"], "out-of-range"),
    (["params", "--frobnicate"], "unknown option"),
    (["params", "extra"], "bad usage"),
    (["presets", "--frobnicate"], "unknown option"),
    (["render", "-d", "0.01", "-i", "missing.wav", "-o", "x.wav"], "`-i` file"),
    (["render", "-d", "0.01", "-p", "no-such-preset", "-o", "x.wav"], "unknown or broken preset"),
    (["render", "-d", "0.01", "-o", ""], "output cannot be written"),
    (["render", "-d", "0.01", "-o", "no-such-folder/x.wav"], "missing folder"),
    (["render", "-d", "0.01", "-o", "."], "a directory"),
    (["render", "-d", "0.01", "-o", "x.wav", "--spikes", ""], "output cannot be written"),
    (["render", "-d", "0.01", "-o", "x.wav"], "success"),
    (["params"], "success"),
]


class ExitStatus(unittest.TestCase):
    def test_every_case_exits_as_documented(self):
        table = documented()
        self.assertEqual(sorted(table), [0, 2, 3, 4, 5, 6, 70])
        wrong = []
        with workdir() as d:
            for args, word in CASES:
                want = [c for c, meaning in table.items() if word in meaning]
                self.assertEqual(len(want), 1, "'%s' names one row" % word)
                status, _, err = run(*args, cwd=d)
                if status != want[0]:
                    wrong.append("hillock %s: %d, documented %d (%s): %s"
                                 % (" ".join(repr(a) for a in args), status, want[0], word,
                                    err.strip()[:100]))
        self.assertEqual(wrong, [])

    def test_jack_cases_when_built(self):
        status, out, _ = run("--help")
        if "  jack " not in out:
            self.skipTest("built without JACK")
        table = documented()
        bad_usage = [c for c, m in table.items() if "bad usage" in m][0]
        preset = [c for c, m in table.items() if "unknown or broken preset" in m][0]
        self.assertEqual(run("jack", "--frobnicate")[0], bad_usage)
        self.assertEqual(run("jack", "-p", "no-such-preset", "--no-stdin")[0], preset)
        # with a server: tests/jack/stdin_values.sh checks `-o ''` exits 4


if __name__ == "__main__":
    unittest.main()
