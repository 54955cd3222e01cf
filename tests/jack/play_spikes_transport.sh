#!/bin/sh
# hillock jack --play-spikes FILE --transport: the recording follows JACK's
# transport. Reference: the recording itself and the transport's frames.
# At playback_rate 2, a spike at t s of the file sounds when the transport
# is at frame t / 2 x 48000, plus the engine's latency (what `hillock
# render` reports it trims). jack_transport (no timebase master: frames
# only) keeps the transport stopped for 0.5 s, locates to frame 9600
# (0.4 s of the file), plays, stops, waits, locates to frame 72000 (3.0 s),
# plays and stops again. The recorded cv_gate (unit 0 is neuron 0, the
# focus) must then rise in two runs, one per play, nothing between them or
# before the first (nothing plays while stopped, though unit 0 spikes from
# 0.05 s), each run on consecutive spikes of the file with their spacing /
# 2 within one frame (the fraction cut) from the first spike at or after
# its locate:
#  - the first locate falls inside the recording's head (its first 65536
#    spikes, in memory), so its first spike is exactly the first at or
#    after 0.4 s;
#  - the second falls past the head (66000 spikes of unit 1 in 2.5-2.7 s
#    push it there): the reader seeks while it plays, so its first few
#    spikes may be lost (counted late); its run starts within 0.25 s of
#    the file after 3.0 s.
# The output frame where each play began is not known to the test (shell
# sleeps), so each run's offset is found from its first edge; the spacing
# of the file's spikes is irregular, so that match is unique.
. "$(dirname "$0")/lib.sh"
command -v jack_transport >/dev/null || { echo "$TEST_NAME: no jack_transport: skipped"; exit 77; }

python3 - "$TMP/rec.csv" <<'PY'
import sys
spikes, t, k = [], 0.05, 0
while t < 6.0:
    spikes.append((t + 1 / (3 * 48000), 0))
    t += 0.030 + 0.001 * ((k * k) % 17)  # 30-46 ms, irregular
    k += 1
spikes += [(2.5 + 0.2 * i / 66000, 1) for i in range(66000)]
spikes.sort()
with open(sys.argv[1], "w") as f:
    f.write("time_s,neuron\n")
    for t, u in spikes:
        f.write("%.12f,%d\n" % (t, u))
PY

lat=$("$HILLOCK" render -s neurons=1 -d 0.01 -o "$TMP/lat.wav" 2>&1 |
    sed -n 's/.*latency \([0-9]*\) frames trimmed.*/\1/p')
[ -n "$lat" ] || fail "no latency from hillock render"

start_jack
# hillock runs until the transport's script is done (a `quit` line), so a
# loaded machine cannot end it early
mkfifo "$TMP/ctl"
"$HILLOCK" jack -s model=hh -s neurons=1 -s drive=0 -s playback_rate=2 --transport \
    --play-spikes "$TMP/rec.csv" -o "$TMP/tr.wav" --record-ports gate \
    <"$TMP/ctl" 2>"$TMP/tr.err" &
pid=$!
BG_PIDS="$pid"
exec 3>"$TMP/ctl"
wait_port hillock:out_L "$pid"
( sleep 0.5; echo "locate 9600"; sleep 0.1; echo play; sleep 0.5; echo stop; sleep 0.5
  echo "locate 72000"; sleep 0.1; echo play; sleep 0.5; echo stop; sleep 0.2; echo quit ) |
    jack_transport >"$TMP/jt.log" 2>&1
echo quit >&3
exec 3>&-
wait_client_ok "$pid" "$TMP/tr.err"
grep "recording:" "$TMP/tr.err" | sed "s/^/$TEST_NAME: /"

# a period JACK ran without this client (an xrun, under a loaded machine)
# moves the transport on without output: the edges after it keep the
# file's spacing from a later spike (allowed once per xrun reported)
xruns=$(sed -n 's/.* \([0-9]*\) xruns,.*/\1/p' "$TMP/tr.err")
python3 - "$TMP/tr.wav" "$TMP/rec.csv" "$lat" "$(dirname "$0")" "${xruns:-0}" <<'PY' || fail "the spikes do not follow the transport"
import math, sys
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, sys.argv[4])
from wav_gate import read_wav, rising_edges
sr, samples = read_wav(sys.argv[1])
lat, rate, xruns = int(sys.argv[3]), 2.0, int(sys.argv[5])
times = [float(l.split(",")[0]) for l in open(sys.argv[2]).read().split("\n")[1:]
         if l.endswith(",0")]
frames = [math.floor(t / rate * sr) for t in times]  # the transport's frame of each
edges = rising_edges(samples)
# runs: split where the gate stays down longer than the file's widest
# spacing at this rate (23 ms) by far (a stop lasts 0.5 s)
runs, gap = [], 0.1 * sr
for e in edges:
    if runs and e - runs[-1][-1] < gap:
        runs[-1].append(e)
    else:
        runs.append([e])
print("%d gate edges in %d runs of %s" % (len(edges), len(runs), [len(r) for r in runs]))
if len(runs) != 2 or min(len(r) for r in runs) < 10:
    sys.exit("want two runs (one per play) of at least 10 edges")

def follow(run, k, offset):
    """The run's edges on consecutive spikes from k, each at its transport
    frame + offset within one frame; after an xrun, from a later spike with
    a smaller offset. Its errors, or None."""
    err, skips = [], 0
    for e in run:
        x = e - frames[k] - offset if k < len(frames) else 2
        if abs(x) > 1:
            if skips == xruns:
                return None
            skips += 1  # the transport went on without output
            while k < len(frames) and frames[k] + offset <= e + 1:
                k += 1
            if k == len(frames):
                return None
            offset = e - frames[k]
            x = 0
        err.append(x)
        k += 1
    return err

def fit(run, locate_s, window_s):
    """The first spike index k in [locate, locate + window) whose spacing
    matches the run's edges within one frame from k on; its error list."""
    for k, t in enumerate(times):
        if t < locate_s or t >= locate_s + window_s:
            continue
        offset = run[0] - frames[k]  # output frame - transport frame
        err = follow(run, k, offset)
        if err is not None:
            return k, offset, err
    return None

first_in = min(k for k, t in enumerate(times) if t >= 0.4)
a = fit(runs[0], 0.4, 1e-9 + times[first_in] - 0.4)
b = fit(runs[1], 3.0, 0.25)
for name, got, start in (("locate 0.4 s (head)", a, 0.4), ("locate 3.0 s (seek)", b, 3.0)):
    if not got:
        sys.exit("%s: no spike of the file matches the run's spacing within 1 frame" % name)
    k, offset, err = got
    print("%s: first spike %.4f s of the file (%+.4f s), output = transport frame %+d "
          "(latency %d), error %s frames, %d xruns" % (name, times[k], times[k] - start, offset,
                                                        lat, sorted(set(err)), xruns))
    if offset < lat:
        sys.exit("%s: played before the transport reached it" % name)
PY
