"""Where `hillock render` writes: two outputs that are one file are refused
whatever their spelling (compared by device and inode, or by folder and
name before they exist: POSIX stat), an output that is a symbolic link is
written through (the link stays, the file it names gets the render, as
editors do), and each file's data is flushed to disk (fsync) before it is
renamed into place, so a crash leaves the old file or the new one."""
import os
import subprocess
import sys
import unittest

from clitest import EXIT_USAGE, HILLOCK, listing, read_wav, run, workdir

FSYNC_TRACE = os.environ.get("FSYNC_TRACE")


class SameFile(unittest.TestCase):
    def refused(self, d, *args):
        before = listing(d)
        status, _, err = run("render", "-q", "-d", "0.01", *args, cwd=d)
        self.assertEqual(status, EXIT_USAGE, err)
        self.assertIn("named for two outputs", err)
        self.assertEqual(listing(d), before)

    def test_dot_slash_is_the_same_name(self):
        with workdir() as d:
            self.refused(d, "-o", "o.wav", "--spikes", "./o.wav")

    def test_folder_round_trip_is_the_same_name(self):
        with workdir() as d:
            os.mkdir(os.path.join(d, "sub"))
            self.refused(d, "-o", "sub/../o.csv", "--trace", "o.csv")

    def test_hard_link_is_the_same_file(self):
        with workdir() as d:
            with open(os.path.join(d, "a.csv"), "w") as f:
                f.write("old\n")
            os.link(os.path.join(d, "a.csv"), os.path.join(d, "b.csv"))
            self.refused(d, "-o", "out.wav", "--spikes", "a.csv", "--trace", "b.csv")

    def test_symbolic_link_is_the_same_file(self):
        with workdir() as d:
            os.symlink("o.wav", os.path.join(d, "link.wav"))
            self.refused(d, "-o", "link.wav", "--trace", "o.wav")

    def test_different_files_are_accepted(self):
        with workdir() as d:
            status, _, err = run("render", "-q", "-d", "0.01", "-o", "o.wav", "--spikes",
                                 "o.csv", cwd=d)
            self.assertEqual(status, 0, err)


class SymbolicLinks(unittest.TestCase):
    def test_output_is_written_through_the_link(self):
        with workdir() as d:
            os.mkdir(os.path.join(d, "takes"))
            with open(os.path.join(d, "takes", "take.wav"), "w") as f:
                f.write("old take\n")
            os.symlink("takes/take.wav", os.path.join(d, "latest.wav"))
            status, _, err = run("render", "-q", "-d", "0.01", "-o", "latest.wav", cwd=d)
            self.assertEqual(status, 0, err)
            self.assertTrue(os.path.islink(os.path.join(d, "latest.wav")), "the link stays")
            self.assertEqual(os.readlink(os.path.join(d, "latest.wav")), "takes/take.wav")
            self.assertEqual(read_wav(os.path.join(d, "takes", "take.wav")).frames, 480)
            self.assertEqual(listing(os.path.join(d, "takes")), ["take.wav"])

    def test_a_dangling_link_creates_the_file_it_names(self):
        with workdir() as d:
            os.symlink(os.path.join(d, "new.csv"), os.path.join(d, "spikes.csv"))
            status, _, err = run("render", "-q", "-d", "0.01", "-o", "o.wav", "--spikes",
                                 "spikes.csv", cwd=d)
            self.assertEqual(status, 0, err)
            self.assertTrue(os.path.islink(os.path.join(d, "spikes.csv")))
            with open(os.path.join(d, "new.csv")) as f:
                self.assertEqual(f.readline(), "time_s,neuron\n")


@unittest.skipUnless(FSYNC_TRACE, "FSYNC_TRACE names the fsync/rename shim")
class Fsync(unittest.TestCase):
    def test_every_output_is_flushed_before_its_rename(self):
        with workdir() as d:
            log = os.path.join(d, "calls.log")
            env = dict(os.environ, LD_PRELOAD=FSYNC_TRACE, HILLOCK_FSYNC_LOG=log,
                       ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") +
                       ":verify_asan_link_order=0")
            status, _, err = run("render", "-q", "-d", "0.01", "-o", "o.wav", "--spikes",
                                 "s.csv", "--trace", "t.csv", cwd=d, env=env)
            self.assertEqual(status, 0, err)
            with open(log) as f:
                calls = [line.split() for line in f.read().splitlines()]
            renames = [(i, c) for i, c in enumerate(calls) if c[0] == "rename"]
            self.assertEqual(sorted(os.path.basename(c[2]) for _, c in renames),
                             ["o.wav", "s.csv", "t.csv"])
            for i, (_, temp, target) in renames:
                synced = [c[1] for c in calls[:i] if c[0] == "fsync"]
                self.assertIn(os.path.realpath(os.path.join(d, temp)), synced,
                              "%s flushed before it becomes %s" % (temp, target))

    def test_a_failed_flush_replaces_no_file(self):
        # the WAV's data cannot reach the disk: the render fails (exit 4,
        # docs/manual.md) and every output keeps its old contents, the
        # spikes' too, although their own flush succeeded
        with workdir() as d:
            for name in ("o.wav", "s.csv"):
                with open(os.path.join(d, name), "w") as f:
                    f.write("old " + name)
            env = dict(os.environ, LD_PRELOAD=FSYNC_TRACE, HILLOCK_FSYNC_FAIL=".o.wav.",
                       ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") +
                       ":verify_asan_link_order=0")
            status, _, err = run("render", "-q", "-d", "0.01", "-o", "o.wav", "--spikes",
                                 "s.csv", cwd=d, env=env)
            self.assertEqual(status, 4, err)
            self.assertIn("o.wav", err)
            for name in ("o.wav", "s.csv"):
                with open(os.path.join(d, name)) as f:
                    self.assertEqual(f.read(), "old " + name)
            self.assertEqual(sorted(os.listdir(d)), ["o.wav", "s.csv"])


if __name__ == "__main__":
    unittest.main()
