#!/bin/sh
# tempo_sync follows JACK's transport: jack_transport becomes timebase
# master at 120 BPM and rolls; a Pinsky-Rinzel neuron with tempo_sync on
# (free-running doublets every 0.494 s = 23734 frames) bursts once per beat
# of the BBT JACK reports. Reference: jack_transport advances its tick by a
# whole number per period, 256 x 1920 x 120 / (48000 x 60) = 20.48 -> 20
# ticks of 1920, so its beat lasts 96 periods = 24576 frames (2.4 % longer
# than 120 BPM's 24000: the BBT is what the grid follows). The bursts are
# the focus neuron's rising cv_gate edges after a gap.
. "$(dirname "$0")/lib.sh"
command -v jack_transport >/dev/null || { echo "transport: no jack_transport: skipped"; exit 77; }
start_jack

# One measurement; returns python's status.
measure() {
  rm -f "$TMP/done"
  # the master lives until hillock is done (then the feeder says quit)
  ( printf 'master\ntempo 120\nplay\n'
    while [ -d "$TMP" ] && [ ! -e "$TMP/done" ]; do sleep 0.1; done
    printf 'stop\nquit\n' ) 2>/dev/null | jack_transport >"$TMP/jt.log" 2>&1 &
  feeder=$!
  BG_PIDS="$BG_PIDS $feeder"
  sleep 0.5
  "$HILLOCK" jack -q --no-stdin -d 6 -s model=pinsky_rinzel -s neurons=1 -s tempo_sync=on \
      -o "$TMP/tr.wav" --record-ports gate || fail "hillock jack failed"
  touch "$TMP/done"
  wait "$feeder"
  python3 - "$TMP/tr.wav" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
pos, samples = 12, None
while pos + 8 <= len(data):
    cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
    if cid == b"data":
        body = data[pos + 8:pos + 8 + size]
        samples = struct.unpack("<%df" % (len(body) // 4), body)
    pos += 8 + size + (size & 1)
edges = [f for f in range(1, len(samples)) if samples[f - 1] < 0.5 <= samples[f]]
bursts = [b for a, b in zip([-10**9] + edges, edges) if b - a > 6000]
gaps = [b - a for a, b in zip(bursts, bursts[1:])]
print("transport: burst intervals", gaps)
late = gaps[-3:]
assert len(gaps) >= 8, gaps
for g in late:
    assert abs(g - 24576) <= 0.005 * 24576, "interval %d frames, the BBT beat is 24576" % g
PY
}

# A period hillock missed (an xrun on a loaded machine) moves the transport
# on without it: an interval comes out short by the periods missed.
measure_without_xruns measure
