#!/bin/sh
# hillock jack --play-spikes: a recording plays live through the JACK
# client. Reference: the recording itself. A spike at t s of the file,
# the file's time starting with the client's first frame, sounds at output
# frame t x rate + the engine's latency (what `hillock render` reports it
# trims); the recorded cv_gate (unit 0 is neuron 0, the focus) rises in
# that frame, the fraction cut: within one frame, so well within a period
# (256 frames here). The same at playback_rate 2 (a spike at t s at t / 2).
# A bad file is refused before the client connects: exit status 3, the file
# and the place named.
. "$(dirname "$0")/lib.sh"

# unit 0 every 150 ms from 0.1 s, unit 1 75 ms after each; a third of a
# frame past the sample, so the cut is tested
python3 - "$TMP/rec.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time_s,neuron\n")
    for k in range(10):
        t = 0.1 + 0.15 * k + 1 / (3 * 48000)
        f.write("%.12f,0\n%.12f,1\n" % (t, t + 0.075))
PY
printf 'time_s,neuron\n0.5,0\n0.25,1\n' >"$TMP/bad.csv"
"$HILLOCK" jack --play-spikes "$TMP/bad.csv" -d 1 --no-stdin </dev/null 2>"$TMP/bad.err"
rc=$?
[ "$rc" = 3 ] || fail "a bad file: exit status $rc, want 3: $(cat "$TMP/bad.err")"
grep -q "bad.csv" "$TMP/bad.err" && grep -q "line 3" "$TMP/bad.err" ||
    fail "a bad file: the message names neither the file nor the line: $(cat "$TMP/bad.err")"

lat=$("$HILLOCK" render -s neurons=1 -d 0.01 -o "$TMP/lat.wav" 2>&1 |
    sed -n 's/.*latency \([0-9]*\) frames trimmed.*/\1/p')
[ -n "$lat" ] || fail "no latency from hillock render"

start_jack
for rate in 1 2; do
    # the last spike of unit 0 at 1.45 s of the file, plus the latency
    dur=$(python3 -c "print(1.45 / $rate + 0.1)")
    "$HILLOCK" jack -s model=hh -s neurons=1 -s drive=0 -s playback_rate=$rate \
        --play-spikes "$TMP/rec.csv" -d "$dur" -o "$TMP/play$rate.wav" --record-ports gate \
        --no-stdin </dev/null 2>"$TMP/play$rate.err" ||
        fail "rate $rate: exit status $?: $(cat "$TMP/play$rate.err")"
    grep "recording:" "$TMP/play$rate.err" | sed "s/^/$TEST_NAME: rate $rate: /"
    python3 - "$TMP/play$rate.wav" "$TMP/rec.csv" "$rate" "$lat" "$(dirname "$0")" <<'PY' || fail "rate $rate: the spikes are not where the file puts them"
import math, sys
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, sys.argv[-1])
from wav_gate import read_wav, rising_edges
sr, samples = read_wav(sys.argv[1])
rate, lat = float(sys.argv[3]), int(sys.argv[4])
edges = rising_edges(samples)
times = [float(l.split(",")[0]) for l in open(sys.argv[2]).read().split("\n")[1:]
         if l.endswith(",0")]
want = [math.floor(t / rate * sr) + lat for t in times]
want = [w for w in want if w < len(samples) - 1]
err = [e - w for e, w in zip(edges, want)]
print("%d spikes of unit 0, %d gate edges, error %s frames" % (len(want), len(edges), sorted(set(err))))
if len(edges) != len(want) or any(abs(e) > 1 for e in err):
    print("want frames %s\ngot %s" % (want, edges))
    sys.exit(1)
PY
done

# Live: `spikes FILE` on stdin. A bad file is refused with its reason and
# the recording playing goes on (its gate edges stay on its times); a good
# one replaces it from the next period: its edges keep its own spacing,
# its time 0 on a period's first frame.
python3 - "$TMP/long.csv" "$TMP/next.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time_s,neuron\n")
    for k in range(40):
        f.write("%.12f,0\n" % (0.05 + 0.1 * k + 1 / (3 * 48000)))
with open(sys.argv[2], "w") as f:
    f.write("time_s,neuron\n")
    for k in range(20):
        f.write("%.12f,0\n" % (0.01 + 0.037 * k))
PY
mkfifo "$TMP/ctl"
"$HILLOCK" jack -s model=hh -s neurons=1 -s drive=0 --play-spikes "$TMP/long.csv" -d 2.4 \
    -o "$TMP/live.wav" --record-ports gate <"$TMP/ctl" 2>"$TMP/live.err" &
pid=$!
BG_PIDS="$pid"
exec 3>"$TMP/ctl"
wait_port hillock:out_L "$pid"
sleep 0.4
echo "spikes $TMP/bad.csv" >&3
sleep 0.6
echo "spikes $TMP/next.csv" >&3
wait "$pid" || fail "live: exit status $?: $(cat "$TMP/live.err")"
exec 3>&-
grep "spikes:" "$TMP/live.err" | sed "s/^/$TEST_NAME: live: /"
grep -q "bad.csv.*line 3.*the current recording plays on" "$TMP/live.err" ||
    fail "live: a bad file was not refused with its reason: $(cat "$TMP/live.err")"
python3 - "$TMP/live.wav" "$TMP/long.csv" "$TMP/next.csv" "$lat" "$(dirname "$0")" <<'PY' || fail "live: the recordings are not where their files put them"
import math, sys
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, sys.argv[-1])
from wav_gate import read_wav, rising_edges
sr, samples = read_wav(sys.argv[1])
lat = int(sys.argv[4])
times = lambda p: [float(l.split(",")[0]) for l in open(p).read().split("\n")[1:] if l]
edges = rising_edges(samples)
first = [math.floor(t * sr) + lat for t in times(sys.argv[2])]
second = times(sys.argv[3])

def split_at(k):
    """The second recording's start and errors if the first k edges are
    the first recording's and the rest the second's, else None."""
    if any(abs(edges[i] - first[i]) > 1 for i in range(k)) or k >= len(edges):
        return None
    start = edges[k] - lat - math.floor(second[0] * sr)
    want = [start + math.floor(t * sr) + lat for t in second]
    want = [w for w in want if w < len(samples) - 1]
    err = [e - w for e, w in zip(edges[k:], want)]
    if len(edges) - k != len(want) or any(abs(e) > 1 for e in err):
        return None
    return start, err

# Every edge before the swap is the first recording's, the refused file's
# moment (0.6 s before the swap, which follows it on stdin) included: at
# least 5. Which edge is the second recording's first is not read off the
# first mismatch: the swap can put the second file's first spike on the
# very frame the first file's next one would have had (each is a multiple
# of 32 frames from the other's), and the edge then fits both.
found = [(k, split_at(k)) for k in range(len(edges), 4, -1)]
found = [(k, r) for k, r in found if r and min(r[0] % 256, 256 - r[0] % 256) <= 1]
if not found:
    k = 0
    while k < len(edges) and k < len(first) and abs(edges[k] - first[k]) <= 1:
        k += 1
    print("first recording: %d edges on its times; no split of the %d edges puts the "
          "second recording on a period's first frame: %s" % (k, len(edges), edges))
    sys.exit(1)
k, (start, err) = found[0]
print("first recording: %d edges on its times (to %.2f s)" % (k, edges[k - 1] / sr))
print("second recording: %d edges, from frame %d (period %d + %d), error %s frames"
      % (len(edges) - k, start, start // 256, start % 256, sorted(set(err))))
PY
