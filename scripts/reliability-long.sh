#!/bin/sh
# The long reliability checks, on demand (CI runs the short versions):
#
#   sh scripts/reliability-long.sh [RENDER_SECONDS] [FUZZ_SECONDS]
#
#   1. one hour (RENDER_SECONDS, default 3600) of the busiest preset rendered
#      offline: no NaN, cost per second and memory not growing
#      (tests/reliability/long_render.c);
#   2. each fuzz harness for FUZZ_SECONDS (default 1800), ASan + UBSan;
#   3. with WAV4G=1: a render past the 4 GiB a WAV can hold (12 min at
#      768 kHz, 32-bit float: 4.4 GB in $TMPDIR) must come out as a complete
#      RF64 file.
set -eu
cd "$(dirname "$0")/.."
render_s=${1:-3600}
fuzz_s=${2:-1800}

sh scripts/build.sh >/dev/null
echo "== long render: $render_s s of audio"
HILLOCK_PRESET_PATH= build/tests/reliability/long_render "$render_s"

echo "== fuzzing: $fuzz_s s per harness"
sh scripts/fuzz.sh "$fuzz_s"

if [ "${WAV4G:-0}" = 1 ]; then
    echo "== a render past 4 GiB"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/hillock-4g.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    build/cli/hillock render -q -s neurons=1 -r 768000 -d 720 -o "$tmp/big.wav"
    python3 - "$tmp/big.wav" <<'PY'
import os, struct, sys
path = sys.argv[1]
with open(path, "rb") as f:
    head = f.read(4096)
assert head[:4] == b"RF64", "not RF64: %r" % head[:4]
pos = 12
data = None
ds64_data = None
while pos + 8 <= len(head):
    cid, size = head[pos:pos + 4], struct.unpack("<I", head[pos + 4:pos + 8])[0]
    if cid == b"ds64":
        ds64_data = struct.unpack("<Q", head[pos + 16:pos + 24])[0]
    if cid == b"data":
        data = pos + 8
        break
    pos += 8 + size + (size & 1)
frames = 720 * 768000
assert ds64_data == frames * 8, "ds64 data size %s, expected %d" % (ds64_data, frames * 8)
assert os.path.getsize(path) >= data + frames * 8, "file shorter than its header says"
print("RF64 of %d frames, %.2f GB: complete" % (frames, os.path.getsize(path) / 1e9))
PY
fi
