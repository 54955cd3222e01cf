#!/bin/sh
# jalv_recording.sh LV2_DIR PYTHON: recordings in CSV and in NWB played by
# urn:hillock:bank under jalv, JACK transport rolling (jackd with the dummy
# backend, 1024-frame periods), its output captured by jack_capture: the
# clicks come every 0.25 s, as the recording's spikes do (unit k at
# 0.5 + 0.25 k s, eight units, every 2 s), within a sample. PYTHON has h5py
# (the NWB file).
# Everything started here is stopped here.
set -u
lv2_dir=$1 python=$2
here=$(cd "$(dirname "$0")" && pwd)
for p in jack_transport jack_capture; do
  command -v $p >/dev/null || { echo "SKIP: $p not installed"; exit 77; }
done
. "$(dirname "$0")/jalv_lib.sh"
jalv_setup hillock_rec
# 1024-frame periods: at 256 the dummy backend lost cycles on the shared
# 2-vCPU host often enough that the test was measured three times or
# skipped (2026-12-05: in runs alternating the two, 256 skipped twice and
# passed once, 1024 passed three times at the first attempt)
JALV_PERIOD=${JALV_PERIOD:-1024}
start_jackd

# the recordings and a state for each (source recorded, one silent neuron,
# clicks, the recording as hillock:spikes)
"$python" - "$tmp" "$here/../cli" <<'PY' || exit 1
import sys
tmp, cli = sys.argv[1], sys.argv[2]
sys.path.insert(0, cli)
import nwbfile
times = [[r * 2.0 + 0.5 + k * 0.25 + 1 / 3 / 48000 for r in range(10)] for k in range(8)]
with open(tmp + "/units.csv", "w") as f:
    f.write("time_s,neuron\n")
    for t, k in sorted((t, k) for k, ts in enumerate(times) for t in ts):
        f.write("%.9f,%d\n" % (t, k))
nwbfile.write(tmp + "/units.nwb", times, locations=["CA1", "CA3"] * 4)
PY
for kind in csv nwb; do
  jalv_state "$tmp/state_$kind" "source=1.0 neurons=1.0 spike_sound=0.0" \
    "<urn:hillock:ns#spikes> \"$tmp/units.$kind\"^^<http://lv2plug.in/ns/ext/atom#Path>"
done

# One capture of the recording in $1 (csv or nwb), judged: 1 when a gap
# is short by whole periods (a cycle the server skipped: the caller weighs
# it against the xruns), FAIL at once when it is wrong otherwise.
measure() {
  kind=$1
  start_jalv out_left -l "$tmp/state_$kind" urn:hillock:bank
  echo stop | jack_transport >/dev/null 2>&1
  echo "locate 0" | jack_transport >/dev/null 2>&1
  jack_capture -dc -d 4 -f wav -b 16 -p hb:out_left "$tmp/$kind.wav" >"$tmp/capture.log" 2>&1 &
  capture_pid=$!
  sleep 0.3
  echo play | jack_transport >/dev/null 2>&1
  wait $capture_pid
  stop_jalv
  "$python" - "$tmp/$kind.wav" "$kind" "$here/../cli" "$JALV_PERIOD" <<'PY'
import sys
path, kind, cli, period = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path.insert(0, cli)
from clitest import read_wav
w = read_wav(path)
x = [abs(v) for v in w.samples[0::w.channels]]
peak = max(x)
onsets, i = [], 0
while i < len(x):
    if peak > 0 and x[i] > 0.2 * peak:
        onsets.append(i)
        i += int(0.05 * w.rate)
    else:
        i += 1
# from the second click: JACK's transport may report its first rolling
# frame twice as it starts, which the plugin follows as a locate
gaps = [b - a for a, b in zip(onsets[1:], onsets[2:])]
print("%s: %d clicks, gaps %s frames" % (kind, len(onsets), sorted(set(gaps))))
if len(onsets) < 9:
    print("FAIL: %s: %d clicks, expected one every 0.25 s" % (kind, len(onsets)))
    sys.exit(1)
bad = [g for g in gaps if abs(g - 0.25 * w.rate) > 1]
# a JACK cycle (a period) the server skipped shortens one gap by exactly
# a period, and takes the click with it when it held one (two gaps in one,
# short by a period): exit 2, for the caller to weigh against the xruns
def short_by_periods(g):
    for clicks in (1, 2):
        d = clicks * 0.25 * w.rate - g
        if d > 0 and (d % period <= 1 or d % period >= period - 1):
            return True
    return False
# ... and a period skipped while a click was rising moves that click's
# onset: the gaps on either side of it come out short by parts of a
# period that add up to whole periods (at 256 frames, 11778 and 11966:
# 222 + 34 = 256)
lost_at = {k for k, g in enumerate(gaps) if g in bad and short_by_periods(g)}
for k in range(len(gaps) - 1):
    a, b = 0.25 * w.rate - gaps[k], 0.25 * w.rate - gaps[k + 1]
    if gaps[k] in bad and gaps[k + 1] in bad and a > 0 and b > 0 and \
            ((a + b) % period <= 1 or (a + b) % period >= period - 1):
        lost_at |= {k, k + 1}
lost = [gaps[k] for k in sorted(lost_at)]
if bad:
    print("FAIL: %s: gaps %s frames, expected %d within one" % (kind, bad, 0.25 * w.rate))
    sys.exit(2 if len(lost) == len(bad) else 1)
PY
  case $? in
    0) return 0 ;;
    2) return 1 ;;
    *) fail "$kind: the clicks are not where the recording puts them" ;;
  esac
}

# A JACK server that misses cycles (an xrun: the dummy backend on a
# loaded machine) skips a whole period of the transport that no client
# processes, the capture included, so a gap comes out short by exactly a
# period: measured again while the server reports xruns.
for kind in csv nwb; do
  measure_without_xruns measure $kind
done
