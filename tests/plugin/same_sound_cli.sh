#!/bin/sh
# same_sound_cli.sh LV2_DIR HILLOCK PRESET_DIR
# For every preset: `hillock render` and the plugin run by lv2file (which
# restores the preset through lilv, blocks of its own size, CV left NULL)
# give the same 32-bit float samples, bit for bit, from silence, once the
# plugin's output is moved back by the latency it reports (as a host does):
# the renderer trims exactly that many frames. lv2file offers no worker, so
# a coupled network starts from rest (engine_settle_mode IN_PROCESS): it is
# compared with `render -s start=rest`, and a learning one with
# `render -s plasticity=0`: it plays on the fly, without learning.
set -u
lv2_dir=$1 hillock=$2 presets=$3
command -v lv2file >/dev/null || { echo "SKIP: lv2file not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LV2_PATH=$lv2_dir

# half a second of mono float silence for lv2file's input (the stimulus)
python3 -c '
import struct, sys
n = 24000
data = bytes(4 * n)
fmt = struct.pack("<HHIIHH", 3, 1, 48000, 48000 * 4, 4, 32)
body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(data)) + data
open(sys.argv[1], "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
' "$tmp/silence.wav"

fail=0 n=0
for f in "$presets"/*.ttl; do
  label=$(sed -n 's/.*rdfs:label *"\([^"]*\)".*/\1/p' "$f" | head -n 1)
  start=
  grep -q 'lv2:symbol "connectivity" ; pset:value 0*\.*0*[1-9]' "$f" && start="-s start=rest"
  # nor can it build a stored synapse table (plugin/synapse_jobs.c): a
  # learning preset plays its network on the fly, without learning
  grep -q 'lv2:symbol "plasticity" ; pset:value 0*\.*0*[1-9]' "$f" && start="$start -s plasticity=0"
  "$hillock" render -p "$f" $start -d 0.5 --bits 32 -o "$tmp/render.wav" 2>"$tmp/render.log" ||
    { echo "FAIL: hillock render -p $f"; cat "$tmp/render.log"; fail=1; continue; }
  latency=$(sed -n 's/.*latency \([0-9]*\) frames trimmed.*/\1/p' "$tmp/render.log")
  [ -n "$latency" ] || { echo "FAIL: no latency in: $(cat "$tmp/render.log")"; fail=1; continue; }
  lv2file -i "$tmp/silence.wav" -o "$tmp/plugin.wav" -P "$label" urn:hillock:bank \
    >"$tmp/lv2file.log" 2>&1 ||
    { echo "FAIL: lv2file -P \"$label\""; cat "$tmp/lv2file.log"; fail=1; continue; }
  python3 - "$tmp/render.wav" "$tmp/plugin.wav" "$label" "$latency" <<'PY' || fail=1
import array, struct, sys
def samples(path):
    d = open(path, "rb").read(); i = 12; fmt = data = None
    while i + 8 <= len(d):
        cid, n = d[i:i + 4], struct.unpack("<I", d[i + 4:i + 8])[0]
        if cid == b"fmt ": fmt = struct.unpack("<HHIIHH", d[i + 8:i + 24])
        if cid == b"data": data = d[i + 8:i + 8 + n]
        i += 8 + n + (n & 1)
    assert fmt[0] == 3 and fmt[5] == 32, "%s: not 32-bit float" % path
    a = array.array("f"); a.frombytes(data); return a
r, p = samples(sys.argv[1]), samples(sys.argv[2])
label, lat = sys.argv[3], int(sys.argv[4])
if len(r) != len(p):
    print("FAIL: %s: %d samples rendered, %d from the plugin" % (label, len(r), len(p))); sys.exit(1)
if not 0 < lat < len(r) // 4:
    print("FAIL: %s: latency %d frames" % (label, lat)); sys.exit(1)
# the plugin's first `lat` frames are the latency, the render's last `lat`
# frames are beyond what the plugin played
r, p = r[:len(r) - 2 * lat], p[2 * lat:]
diff = [i for i in range(len(r)) if r[i] != p[i]]
peak = max(abs(x) for x in r)
if diff:
    i = diff[0]
    print("FAIL: %s: %d of %d samples differ, first at frame %d channel %d: render %.9g plugin %.9g"
          % (label, len(diff), len(r), i // 2, i % 2, r[i], p[i])); sys.exit(1)
print("%-28s %d samples identical after %d frames of latency (peak %.4f)" % (label, len(r), lat, peak))
PY
  n=$((n + 1))
done
[ $n -gt 0 ] || { echo "FAIL: no presets in $presets"; fail=1; }
exit $fail
