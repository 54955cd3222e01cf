"""Shared helpers for the `hillock` command tests: run it, read WAV files
(PCM and IEEE float, which Python's own `wave` module does not read), list a
folder including hidden temporary files."""
import array
import os
import struct
import subprocess
import sys
import tempfile

HILLOCK = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "hillock"
del sys.argv[1:]  # leave unittest its own command line

# cli/exit_codes.h
EXIT_OK, EXIT_USAGE, EXIT_INPUT, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 2, 3, 4, 5

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def run(*args, cwd=None, env=None, timeout=60):
    """Run hillock; returns (exit status, stdout, stderr)."""
    p = subprocess.run([HILLOCK, *args], cwd=cwd, env=env, timeout=timeout,
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def workdir():
    return tempfile.TemporaryDirectory(prefix="hillock-cli-test-")


def listing(folder):
    """Every entry, hidden temporary files included."""
    return sorted(os.listdir(folder))


class Wav:
    def __init__(self, fmt, channels, rate, bits, samples, container):
        self.format = fmt          # 1 = PCM, 3 = IEEE float
        self.channels = channels
        self.rate = rate
        self.bits = bits
        self.samples = samples     # interleaved, as floats in [-1, 1]
        self.container = container  # b"RIFF" or b"RF64"

    @property
    def frames(self):
        return len(self.samples) // self.channels


def read_wav(path):
    """Parse a RIFF/RF64 WAVE file: fmt and data chunks, samples as floats."""
    with open(path, "rb") as f:
        data = f.read()
    container, _, wave = struct.unpack("<4sI4s", data[:12])
    assert container in (b"RIFF", b"RF64") and wave == b"WAVE", "not a WAVE file"
    pos, fmt, payload, ds64_size = 12, None, None, None
    while pos + 8 <= len(data):
        cid, size = struct.unpack("<4sI", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        if cid == b"ds64":
            ds64_size = struct.unpack("<Q", body[8:16])[0]
        elif cid == b"fmt ":
            tag, ch, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == 0xFFFE:  # WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the tag
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, ch, rate, bits)
        elif cid == b"data":
            if size == 0xFFFFFFFF and ds64_size is not None:
                size = ds64_size
            payload = data[pos + 8:pos + 8 + size]
            assert len(payload) == size, "data chunk truncated"
        pos += 8 + size + (size & 1)
    assert fmt and payload is not None, "fmt or data chunk missing"
    tag, ch, rate, bits = fmt
    if tag == 3 and bits == 32:
        samples = array.array("f", payload).tolist()
    elif tag == 1 and bits == 16:
        samples = [v / 32768.0 for v in array.array("h", payload)]
    elif tag == 1 and bits == 24:
        samples = [int.from_bytes(payload[i:i + 3], "little", signed=True) / 8388608.0
                   for i in range(0, len(payload), 3)]
    else:
        raise AssertionError("unexpected WAV format %d/%d bits" % (tag, bits))
    return Wav(tag, ch, rate, bits, samples, container)


def write_wav16(path, rate, channels, frames):
    """A 16-bit PCM WAV; frames is a list of tuples of floats."""
    import wave
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(
            struct.pack("<%dh" % channels, *(int(round(v * 32768)) for v in fr))
            for fr in frames))


def read_csv(path):
    with open(path) as f:
        lines = f.read().splitlines()
    return lines[0], [l.split(",") for l in lines[1:]]
