"""The command's failure paths not covered by tests/cli (docs/reliability.md,
"The `hillock` command"): a real full disk (a 1 MiB tmpfs, when root), inputs that are not
audio in every shape, requests of zero or almost zero length, SIGKILL in the
middle of a render, and the exit statuses: every one in cli/exit_codes.h is
documented in docs/manual.md's exit-status table, and no other.

    python3 test_cli_failures.py path/to/hillock
"""
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest

HILLOCK = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "hillock"
SRC = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def exit_codes():
    """name -> value from cli/exit_codes.h"""
    text = read(os.path.join(SRC, "cli", "exit_codes.h"))
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"(EXIT_[A-Z]+) = (\d+)", text)}


CODES = exit_codes()


def run(args, cwd, timeout=120):
    p = subprocess.run([HILLOCK, *args], cwd=cwd, capture_output=True, text=True,
                       timeout=timeout, env=dict(os.environ, HILLOCK_PRESET_PATH=""))
    return p.returncode, p.stdout, p.stderr


def wav_frames(path):
    """Frames of a float/PCM WAV or RF64 written by libsndfile (its data chunk)."""
    data = read(path, "rb")
    if data[:4] not in (b"RIFF", b"RF64"):
        raise AssertionError("%s is not a WAV (%r)" % (path, data[:4]))
    pos, channels, bits, ds64 = 12, 0, 0, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if cid == b"ds64":
            ds64 = struct.unpack("<Q", data[pos + 16:pos + 24])[0]
        if cid == b"fmt ":
            channels, bits = struct.unpack("<H", data[pos + 10:pos + 12])[0], \
                struct.unpack("<H", data[pos + 22:pos + 24])[0]
        if cid == b"data":
            size = ds64 if size == 0xFFFFFFFF and ds64 is not None else size
            if pos + 8 + size > len(data):
                raise AssertionError("%s: data chunk runs past the file" % path)
            return size // (channels * bits // 8)
        pos += 8 + size + (size & 1)
    raise AssertionError("%s has no data chunk" % path)


class Workdir:
    def __enter__(self):
        self.d = tempfile.mkdtemp(prefix="hillock-rel-")
        return self.d

    def __exit__(self, *exc):
        shutil.rmtree(self.d, ignore_errors=True)


class ExitStatuses(unittest.TestCase):
    def test_every_exit_status_is_documented_and_only_those(self):
        manual = read(os.path.join(SRC, "docs", "manual.md"))
        table = manual[manual.index("### Exit status"):]
        table = table[:table.index("\n#", 1)]
        documented = {int(m.group(1)) for m in re.finditer(r"^\| (\d+) \|", table, re.M)}
        self.assertEqual(documented, set(CODES.values()),
                         "cli/exit_codes.h %s vs docs/manual.md %s" % (CODES, documented))


class FullDisk(unittest.TestCase):
    """A real full disk: a 1 MiB tmpfs mounted for the test (root only)."""

    def setUp(self):
        if os.geteuid() != 0:
            self.skipTest("not root: cannot mount a 1 MiB tmpfs (tests/cli covers a full "
                          "disk through RLIMIT_FSIZE)")
        self.dir = tempfile.mkdtemp(prefix="hillock-full-")
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", self.dir],
                           capture_output=True, text=True)
        if r.returncode != 0:
            os.rmdir(self.dir)
            self.skipTest("mount -t tmpfs refused (%s): no privileges for mounts here"
                          % r.stderr.strip())

    def tearDown(self):
        subprocess.run(["umount", self.dir])
        os.rmdir(self.dir)

    def test_a_full_disk_fails_with_status_4_and_leaves_nothing(self):
        # 10 s of 32-bit stereo at 48 kHz is 3.8 MB: it cannot fit in 1 MiB
        status, out, err = run(["render", "-q", "-d", "10", "-o", "out.wav"], cwd=self.dir)
        self.assertEqual(status, CODES["EXIT_OUTPUT"], err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertRegex(err, r"space|full|writ", "the message says what went wrong")
        self.assertEqual(os.listdir(self.dir), [], "no output or temporary file left")

    def test_a_full_disk_keeps_the_previous_file(self):
        old = os.path.join(self.dir, "out.wav")
        status, _, err = run(["render", "-q", "-d", "0.5", "-o", "out.wav"], cwd=self.dir)
        self.assertEqual(status, 0, err)
        before = read(old, "rb")
        status, _, err = run(["render", "-q", "-d", "10", "-o", "out.wav"], cwd=self.dir)
        self.assertEqual(status, CODES["EXIT_OUTPUT"], err)
        self.assertEqual(read(old, "rb"), before, "the old file is untouched")
        self.assertEqual(os.listdir(self.dir), ["out.wav"])


class NotAudio(unittest.TestCase):
    """-i given something that is not audio: status 3, one line naming the
    file, no output file."""

    def refuse(self, name, content=None, is_dir=False):
        with Workdir() as d:
            path = os.path.join(d, name)
            if is_dir:
                os.mkdir(path)
            elif content is not None:
                with open(path, "wb") as f:
                    f.write(content)
            status, out, err = run(["render", "-q", "-d", "0.1", "-i", path, "-o", "out.wav"],
                                   cwd=d)
            self.assertEqual(status, CODES["EXIT_INPUT"], "%s: %s" % (name, err))
            self.assertEqual(len(err.strip().splitlines()), 1, err)
            self.assertIn(name, err)
            self.assertFalse(os.path.exists(os.path.join(d, "out.wav")))
            self.assertEqual([n for n in os.listdir(d) if n.startswith(".")], [],
                             "no temporary file left")

    def test_an_empty_file(self):
        self.refuse("empty.wav", b"")

    def test_a_png(self):
        self.refuse("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)

    def test_random_bytes_named_wav(self):
        self.refuse("noise.wav", os.urandom(4096))

    def test_a_truncated_wav_header(self):
        self.refuse("cut.wav", b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00")

    def test_a_folder(self):
        self.refuse("folder.wav", is_dir=True)

    def test_a_wav_claiming_more_data_than_it_has_is_read_as_far_as_it_goes(self):
        # a RIFF that promises 1 s but holds 10 frames: libsndfile reads what
        # is there; the render must succeed (silence after) or refuse cleanly
        with Workdir() as d:
            fmt = struct.pack("<HHIIHH", 1, 1, 48000, 96000, 2, 16)
            body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + \
                struct.pack("<I", 96000) + b"\x00\x10" * 10
            with open(os.path.join(d, "short.wav"), "wb") as f:
                f.write(b"RIFF" + struct.pack("<I", 4 + len(body) + 96000) + body)
            status, _, err = run(["render", "-q", "-d", "0.1", "-i", "short.wav", "-o",
                                  "out.wav"], cwd=d)
            self.assertIn(status, (0, CODES["EXIT_INPUT"]), err)
            if status == 0:
                self.assertEqual(wav_frames(os.path.join(d, "out.wav")), 4800)


class ZeroLength(unittest.TestCase):
    def test_a_zero_length_input_file_is_silence(self):
        # a valid WAV with no frames is audio: the stimulus is silence
        with Workdir() as d:
            fmt = struct.pack("<HHIIHH", 1, 1, 48000, 96000, 2, 16)
            body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 0)
            with open(os.path.join(d, "none.wav"), "wb") as f:
                f.write(b"RIFF" + struct.pack("<I", 4 + len(body)) + body)
            status, _, err = run(["render", "-q", "-d", "0.1", "-i", "none.wav", "-o",
                                  "out.wav"], cwd=d)
            self.assertIn(status, (0, CODES["EXIT_INPUT"]), err)
            if status == 0:
                self.assertEqual(wav_frames(os.path.join(d, "out.wav")), 4800)
            else:
                self.assertIn("none.wav", err)

    def test_less_than_one_frame_is_refused_or_one_valid_frame(self):
        for duration in ("1e-9", "0.00001"):
            with Workdir() as d:
                status, _, err = run(["render", "-q", "-d", duration, "-o", "out.wav"], cwd=d)
                out = os.path.join(d, "out.wav")
                if status == 0:
                    self.assertLessEqual(wav_frames(out), 1, duration)
                else:
                    self.assertEqual(status, CODES["EXIT_USAGE"], err)
                    self.assertIn("duration", err)
                    self.assertFalse(os.path.exists(out))

    def test_zero_and_negative_durations_are_refused(self):
        for duration in ("0", "-0", "-1", "nan", "inf", "1e400"):
            with Workdir() as d:
                status, _, err = run(["render", "-q", "-d", duration, "-o", "out.wav"], cwd=d)
                self.assertEqual(status, CODES["EXIT_USAGE"], "%s: %s" % (duration, err))
                self.assertEqual(os.listdir(d), [])


class Killed(unittest.TestCase):
    def test_sigkill_mid_render_never_leaves_a_broken_target(self):
        """SIGKILL cannot be caught: the target must not exist at all (the
        render writes under a temporary name and renames at the end)."""
        with Workdir() as d:
            old = os.path.join(d, "out.wav")
            p = subprocess.Popen([HILLOCK, "render", "-q", "-d", "600", "-s", "neurons=256",
                                  "-o", "out.wav"], cwd=d, stderr=subprocess.DEVNULL,
                                 env=dict(os.environ, HILLOCK_PRESET_PATH=""))
            deadline = time.time() + 20
            while time.time() < deadline:
                tmp = [n for n in os.listdir(d) if n != "out.wav"]
                if tmp and os.path.getsize(os.path.join(d, tmp[0])) > 100000:
                    break
                time.sleep(0.05)
            self.assertIsNone(p.poll(), "the render was still running when killed")
            p.send_signal(signal.SIGKILL)
            p.wait()
            self.assertFalse(os.path.exists(old), "no target appears from a killed render")
            leftovers = os.listdir(d)
            self.assertTrue(all(n.startswith(".") for n in leftovers),
                            "only a hidden temporary may remain: %s" % leftovers)


if __name__ == "__main__":
    unittest.main(verbosity=2)
