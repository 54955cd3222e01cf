#!/bin/sh
# hillock jack --play-spikes FILE --transport: the recording follows JACK's
# transport. Reference: the recording itself and the transport's frames.
# At playback_rate 2, a spike at t s of the file sounds when the transport
# is at frame t / 2 x 48000, plus the engine's latency (what `hillock
# render` reports it trims). jack_transport (no timebase master: frames
# only) keeps the transport stopped for 0.5 s, locates to frame 9600
# (0.4 s of the file), plays, stops, waits; then locates to the frame of a
# spike B near 3.0 s of the file, plays, and while rolling locates to the
# frame of a spike C near 4.2 s (a place never played), then back to C (a
# loop's jump), and stops. 66000 spikes of unit 1 in 2.5-2.7 s push B and C
# past the recording's head (its first 65536 spikes, in memory). The
# recorded cv_gate (unit 0 is neuron 0, the focus) must rise in two runs,
# one per play, nothing between them or before the first (nothing plays
# while stopped, though unit 0 spikes from 0.05 s):
#  - the first on consecutive spikes from the first at or after 0.4 s;
#  - the second in three parts, each on consecutive spikes from exactly the
#    spike it located to (B, C, C): nothing lost at a locate past the head,
#    rolling or not. Each is located to within one frame before its spike,
#    so a lost period would lose it: at C the transport waits for the
#    reader's seek (a slow-sync client); the jump back to C plays from the
#    history of what the transport passed since, without waiting.
# Each part keeps the file's spacing / 2 within one frame (the fraction
# cut), and no spike came too late.
# The output frame where each part began is not known to the test (shell
# sleeps, JACK's transport waiting), so each part's offset is found from
# its first edge; the spacing of the file's spikes is irregular, so that
# match is unique.
. "$(dirname "$0")/lib.sh"
command -v jack_transport >/dev/null || { echo "$TEST_NAME: no jack_transport: skipped"; exit 77; }

python3 - "$TMP/rec.csv" >"$TMP/frames" <<'PY'
import math, sys
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
# B and C: the transport frames (playback_rate 2) of the first unit-0
# spikes at or after 3.0 s and 4.2 s
for want in (3.0, 4.2):
    t = min(t for t, u in spikes if u == 0 and t >= want)
    print(math.floor(t / 2 * 48000))
PY
fb=$(sed -n 1p "$TMP/frames")
fc=$(sed -n 2p "$TMP/frames")

lat=$("$HILLOCK" render -s neurons=1 -d 0.01 -o "$TMP/lat.wav" 2>&1 |
    sed -n 's/.*latency \([0-9]*\) frames trimmed.*/\1/p')
[ -n "$lat" ] || fail "no latency from hillock render"

JACK_PERIOD=64 # 1.3 ms: shorter than the reader's 5 ms nap, so it is the slow-sync
               # wait, not luck, that has the seek there before the transport rolls
start_jack
# One measurement: hillock follows the transport's script; returns
# python's status.
measure() {
    # hillock runs until the transport's script is done (a `quit` line), so
    # a loaded machine cannot end it early
    rm -f "$TMP/ctl"
    mkfifo "$TMP/ctl"
    "$HILLOCK" jack -s model=hh -s neurons=1 -s drive=0 -s playback_rate=2 --transport \
        --play-spikes "$TMP/rec.csv" -o "$TMP/tr.wav" --record-ports gate \
        <"$TMP/ctl" 2>"$TMP/tr.err" &
    pid=$!
    BG_PIDS="$pid"
    exec 3>"$TMP/ctl"
    wait_port hillock:out_L "$pid"
    ( sleep 0.5; echo "locate 9600"; sleep 0.1; echo play; sleep 0.5; echo stop; sleep 0.5
      echo "locate $fb"; sleep 0.1; echo play; sleep 0.3; echo "locate $fc"; sleep 0.3
      echo "locate $fc"; sleep 0.3; echo stop; sleep 0.2; echo quit ) |
        jack_transport >"$TMP/jt.log" 2>&1
    echo quit >&3
    exec 3>&-
    wait_client_ok "$pid" "$TMP/tr.err"
    grep "recording:" "$TMP/tr.err" | sed "s/^/$TEST_NAME: /"

    # a period JACK ran without this client (an xrun, under a loaded
    # machine) moves the transport on without output: the edges after it
    # keep the file's spacing from a later spike (allowed once per xrun
    # reported), and the client, finding the transport elsewhere, seeks
    # without JACK waiting: at a locate past the head, that loses its first
    # spikes (late; allowed once per xrun too, from a later spike)
    xruns=$(sed -n 's/.* \([0-9]*\) xruns,.*/\1/p' "$TMP/tr.err")
    if [ "${xruns:-0}" = 0 ] && grep -q "too late" "$TMP/tr.err"; then
        fail "spikes came too late: $(grep "too late" "$TMP/tr.err")"
    fi
    python3 - "$TMP/tr.wav" "$TMP/rec.csv" "$lat" "$(dirname "$0")" "${xruns:-0}" "$fb" "$fc" <<'PY'
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

def follow(run, i, k, offset, stop_at=None):
    """The run's edges from i on consecutive spikes from k, each at its
    transport frame + offset within one frame; after an xrun, from a later
    spike with a smaller offset. Stops (before the edge) where the next
    part starts: the edge on spike stop_at with the next two edges on its
    followers. Returns (the edge it stopped at, errors)."""
    global xruns
    err = []
    while i < len(run):
        e = run[i]
        x = e - frames[k] - offset if k < len(frames) else 2
        if abs(x) > 1:
            if stop_at is not None and starts(run, i, stop_at):
                break
            if xruns == 0:
                break
            xruns -= 1  # the transport went on without output
            while k < len(frames) and frames[k] + offset <= e + 1:
                k += 1
            if k == len(frames):
                break
            offset = e - frames[k]
            x = 0
        err.append(x)
        i += 1
        k += 1
    return i, err

def starts(run, i, k):
    """Edges i, i+1, i+2 on spikes k, k+1, k+2 (one offset, within a frame)."""
    if i + 2 >= len(run) or k + 2 >= len(frames):
        return False
    off = run[i] - frames[k]
    return all(abs(run[i + d] - frames[k + d] - off) <= 1 for d in (1, 2))

first_in = min(k for k, t in enumerate(times) if t >= 0.4)
kb = min(k for k, f in enumerate(frames) if f >= int(sys.argv[6]))
kc = min(k for k, f in enumerate(frames) if f >= int(sys.argv[7]))
parts = [("locate 0.4 s (head)", runs[0], 0, first_in, None),
         ("locate B (%.4f s, stopped, past the head)" % times[kb], runs[1], 0, kb, kc),
         ("locate C (%.4f s, rolling, never played)" % times[kc], runs[1], None, kc, kc),
         ("locate C again (rolling, a loop's jump)", runs[1], None, kc, None)]
i = 0
for name, run, start, k, next_k in parts:
    if start is not None:
        i = start
    if i >= len(run):
        sys.exit("%s: no edge" % name)
    if not starts(run, i, k):
        later = [k2 for k2 in range(k + 1, k + 20) if starts(run, i, k2)]
        if xruns == 0 or not later:
            sys.exit("%s: the part does not start on the spike it located to (%.4f s): "
                     "a spike lost at the locate" % (name, times[k]))
        # an xrun there: the client found the transport moved and sought
        # without JACK waiting (counted late); from a later spike
        print("%s: an xrun at the locate: from spike %.4f s" % (name, times[later[0]]))
        xruns -= 1
        k = later[0]
    offset = run[i] - frames[k]  # output frame - transport frame
    end, err = follow(run, i, k, offset, next_k)
    print("%s: %d edges from spike %.4f s of the file, output = transport frame %+d "
          "(latency %d), error %s frames" % (name, end - i, times[k], offset, lat,
                                             sorted(set(err))))
    if end - i < 5:
        sys.exit("%s: want at least 5 edges" % name)
    if start is not None and offset < lat:  # a play from the client's first frames on
        sys.exit("%s: played before the transport reached it" % name)
    i = end
    if next_k is None and i != len(run):
        sys.exit("%s: %d edges on no spike of the part" % (name, len(run) - i))
PY
}

# More xruns than the analysis allows for, or one where it cannot tell (a
# part's first edges): measured again while the server reports xruns.
measure_without_xruns measure
