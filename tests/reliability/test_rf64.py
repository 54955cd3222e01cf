"""A render longer than a WAV file can hold (docs/reliability.md,
"The `hillock` command").

A RIFF/WAVE file counts its bytes in 32-bit fields, so its audio data must
stay under 4 GiB; past that, `hillock render` writes RF64 (EBU Tech 3306)
through libsndfile. It decides before the first sample (cli/render_outputs.c
open_wav): data bytes = frames x 2 channels x bytes per sample, and more
than 0xFFFFFFFF - 1024 (1 KiB left for the header chunks) means RF64. It
opens such a file with libsndfile's RF64 writer in auto-downgrade mode: a
RIFF header whose first chunk is a JUNK chunk reserving the room of the
ds64 chunk (as EBU Tech 3306 recommends), which becomes ds64 and "RF64" when
the data passes 4 GiB, or stays a plain WAV when less was written (Ctrl-C).
A plain WAV writer puts "fmt " first.

Checked here without writing 4 GiB:
  - at the boundary, for 16-, 24- and 32-bit output, the last frame count
    that fits gets the WAV writer and one frame more the RF64 writer (the
    temporary file's header while the render runs), and either, stopped
    with SIGINT, leaves a WAV that libsndfile reads;
  - an RF64 with more than 4 GiB of data, written by libsndfile with the
    command's settings (sparse: a few KiB of disk), reads back with every
    frame counted (tests/reliability/rf64_check.c).
The real thing, a 4.4 GB render read back in full, runs on demand:
WAV4G=1 sh scripts/reliability-long.sh.

    python3 test_rf64.py path/to/hillock path/to/rf64_check
"""
import glob
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
RF64_CHECK = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "rf64_check"
SRC = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

WAV_MAX_DATA_BYTES = 0xFFFFFFFF - 1024
RATE = 48000


def exit_code(name):
    with open(os.path.join(SRC, "cli", "exit_codes.h")) as f:
        return int(re.search(name + r" = (\d+)", f.read()).group(1))


def first_chunk(header):
    """(container, id of the first chunk after WAVE) of a RIFF/RF64 header."""
    if len(header) < 16 or header[8:12] != b"WAVE":
        raise AssertionError("not a WAVE header: %r" % header[:16])
    return header[:4], header[12:16]


def header_while_rendering(d, frames, bits):
    """Starts a render of `frames` frames, reads its temporary file's first
    bytes once the header is there, stops it with SIGINT. Returns (header,
    exit status, output path)."""
    out = os.path.join(d, "out-%d-%d.wav" % (bits, frames))
    # %.9f: duration x rate rounds (llround) back to exactly `frames`
    p = subprocess.Popen([HILLOCK, "render", "-q", "--bits", str(bits), "-r", str(RATE),
                          "-d", "%.9f" % (frames / RATE), "-o", out],
                         stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, HILLOCK_PRESET_PATH=""))
    header = b""
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline and p.poll() is None:
            temps = glob.glob(os.path.join(d, ".%s.*" % os.path.basename(out)))
            if temps and os.path.getsize(temps[0]) >= 4096:
                with open(temps[0], "rb") as f:
                    header = f.read(64)
                break
            time.sleep(0.02)
    finally:
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
    return header, p.returncode, out, err


class RenderPast4GiB(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp(prefix="hillock-rf64-")

    def tearDown(self):
        shutil.rmtree(self.d, ignore_errors=True)

    def check_boundary(self, bits):
        bytes_per_frame = 2 * bits // 8
        last_wav = WAV_MAX_DATA_BYTES // bytes_per_frame  # still fits
        for frames, want in ((last_wav, b"fmt "), (last_wav + 1, b"JUNK")):
            with self.subTest(bits=bits, frames=frames):
                header, status, out, err = header_while_rendering(self.d, frames, bits)
                self.assertTrue(header, "no temporary file with a header: %s" % err)
                self.assertEqual(first_chunk(header), (b"RIFF", want),
                                 "%d frames of %d-bit stereo = %d data bytes" %
                                 (frames, bits, frames * bytes_per_frame))
                self.assertEqual(status, exit_code("EXIT_INTERRUPTED"), err)
                # what was rendered is a WAV that libsndfile reads
                r = subprocess.run([RF64_CHECK, "info", out], capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, r.stderr)
                m = re.search(r": (\w+), (\d+) frames, 2 channels, 48000 Hz", r.stdout)
                self.assertIsNotNone(m, r.stdout)
                # RIFF/WAVE either way; the downgraded RF64 keeps the
                # writer's WAVE_FORMAT_EXTENSIBLE fmt chunk (libsndfile: WAVEX)
                self.assertIn(m.group(1), ("WAV", "WAVEX"))
                with open(out, "rb") as f:
                    self.assertEqual(f.read(4), b"RIFF")
                self.assertGreater(int(m.group(2)), 0)

    def test_16_bit_switches_to_rf64_one_frame_past_the_limit(self):
        self.check_boundary(16)

    def test_24_bit_switches_to_rf64_one_frame_past_the_limit(self):
        self.check_boundary(24)

    def test_32_bit_float_switches_to_rf64_one_frame_past_the_limit(self):
        self.check_boundary(32)

    def test_rf64_past_4_gib_reads_back_through_libsndfile(self):
        path = os.path.join(self.d, "sparse.wav")
        r = subprocess.run([RF64_CHECK, "sparse", path], capture_output=True, text=True,
                           timeout=60)
        sys.stderr.write(r.stdout)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(path, "rb") as f:
            head = f.read(64)
        self.assertEqual(first_chunk(head), (b"RF64", b"ds64"))
        ds64_data = struct.unpack("<Q", head[28:36])[0]
        self.assertGreater(ds64_data, 0xFFFFFFFF, "ds64 data size past 32 bits")


if __name__ == "__main__":
    unittest.main()
