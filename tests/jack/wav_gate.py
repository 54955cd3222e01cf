"""The recorded cv_gate of a JACK test: a float WAV's samples and where the
gate rises (a spike of the focus neuron)."""
import struct


def read_wav(path):
    """(sample rate, samples) of a mono 32-bit float WAV."""
    data = open(path, "rb").read()
    pos, sr, samples = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            sr = struct.unpack("<I", body[4:8])[0]
        elif cid == b"data":
            samples = struct.unpack("<%df" % (len(body) // 4), body)
        pos += 8 + size + (size & 1)
    return sr, samples


def rising_edges(samples):
    """The frames where the gate crosses 0.5 upwards."""
    return [f for f in range(1, len(samples)) if samples[f - 1] < 0.5 <= samples[f]]
