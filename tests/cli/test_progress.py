"""The progress bar of `hillock render` appears on stderr only when stderr is
a terminal and the render takes longer than a second (cli/progress.c); the
summary line then starts on a clean line."""
import os
import pty
import subprocess
import time
import unittest

from clitest import HILLOCK, workdir


def render_on_a_terminal(args):
    """Run render with stderr on a pseudo-terminal; returns (wall seconds,
    everything written to the terminal, exit status)."""
    try:
        master, slave = pty.openpty()
    except OSError as e:  # a container without /dev/pts
        raise unittest.SkipTest("no pseudo-terminal: %s" % e)
    with workdir() as d:
        start = time.monotonic()
        p = subprocess.Popen([HILLOCK, "render", *args, "-o", os.path.join(d, "o.wav")],
                             stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        text = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO once the child has closed the terminal
                break
            if not chunk:
                break
            text += chunk
        status = p.wait(timeout=60)
        os.close(master)
        # the terminal turns "\n" into "\r\n"; undo that so a lone "\r" is the bar's
        return time.monotonic() - start, text.decode().replace("\r\n", "\n"), status


class ProgressBar(unittest.TestCase):
    def test_short_render_shows_no_bar(self):
        wall, text, status = render_on_a_terminal(["-d", "0.2"])
        self.assertEqual(status, 0)
        self.assertLess(wall, 0.9, "the render must be short for this test")
        self.assertNotIn("\r[", text)
        self.assertIn("0.200 s", text)

    def test_long_render_shows_a_bar_then_the_summary(self):
        # 4096 HH neurons for 6 s take well over a second even on the fastest
        # path (about 2.5 s with AVX-512, 6 s with SSE2 only; docs/measurements.md)
        wall, text, status = render_on_a_terminal(["-s", "neurons=4096", "-d", "6"])
        self.assertEqual(status, 0)
        self.assertGreater(wall, 1.3, "the render must be long for this test")
        self.assertIn("\r[", text)
        self.assertRegex(text, r"\d+%")
        self.assertIn("ETA", text)
        summary = text.split("\r")[-1]  # the bar's line is cleared before it
        self.assertIn("6.000 s", summary)
        self.assertNotIn("%", summary.replace("%)", ""))

    def test_quiet_shows_nothing(self):
        wall, text, status = render_on_a_terminal(["-s", "neurons=512", "-d", "1", "-q"])
        self.assertEqual(status, 0)
        self.assertEqual(text, "")


if __name__ == "__main__":
    unittest.main()
