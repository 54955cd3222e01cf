#!/bin/sh
# OSC in and out together: a silent bank (HH below its rheobase) plays the
# /hillock/spike messages a sender gives --osc-in as spikes of neuron 0,
# and --osc sends every spike it plays to a liblo receiver (osc_listen).
# Each played spike shows as a rising edge of the recorded cv_gate (neuron
# 0 is the focus), and the OSC out message of that spike carries the time
# of that edge: the same frame, within one (the gate, like the audio, is
# aligned by the engine's latency; the message's time has the sub-sample
# part). The sender is this script, building OSC 1.0 packets by hand
# (independent of liblo): five ,i messages and one ,id in a bundle. Each
# bundle out holds the spikes of one period (one engine block per period
# here: no MIDI in cuts it).
. "$(dirname "$0")/lib.sh"
: "${OSC_LISTEN:?}"
start_jack

"$OSC_LISTEN" 600 >"$TMP/osc.txt" & # until killed below
LISTEN_PID=$!
BG_PIDS="$BG_PIDS $LISTEN_PID"
i=0
while [ ! -s "$TMP/osc.txt" ]; do
    i=$((i + 1)); [ "$i" -lt 100 ] || fail "osc_listen did not start"; sleep 0.05
done
OUT_PORT=$(head -n 1 "$TMP/osc.txt")

background "$HILLOCK" jack -s model=hh -s neurons=1 -s drive=0 --no-stdin -d 3 \
    -o "$TMP/osc.wav" --record-ports gate --osc "osc.udp://127.0.0.1:$OUT_PORT/" \
    --osc-in 0 2>"$TMP/hillock.err"
HILLOCK_PID=$BG
i=0
while ! grep -q "playing OSC spikes received on 127.0.0.1 port" "$TMP/hillock.err"; do
    i=$((i + 1)); [ "$i" -lt 200 ] || fail "hillock jack did not start listening"
    kill -0 "$HILLOCK_PID" 2>/dev/null || { cat "$TMP/hillock.err" >&2; fail "hillock jack exited"; }
    sleep 0.05
done
IN_PORT=$(sed -n 's/.*received on 127.0.0.1 port \([0-9]*\).*/\1/p' "$TMP/hillock.err")
sleep 0.3
python3 - "$IN_PORT" <<'PY' || fail "sending OSC failed"
import socket, struct, sys, time
def s(x):
    b = x.encode() + b"\0"
    return b + b"\0" * (-len(b) % 4)
def msg(unit, t=None):
    if t is None:
        return s("/hillock/spike") + s(",i") + struct.pack(">i", unit)
    return s("/hillock/spike") + s(",id") + struct.pack(">id", unit, t)
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
to = ("127.0.0.1", int(sys.argv[1]))
for k in range(5):
    sock.sendto(msg(0), to)
    time.sleep(0.2)
m = msg(0, 12.5)
sock.sendto(b"#bundle\0" + struct.pack(">Q", 1) + struct.pack(">i", len(m)) + m, to)
PY
wait "$HILLOCK_PID"
[ $? = 0 ] || { cat "$TMP/hillock.err" >&2; fail "hillock jack failed"; }
sleep 0.5 # the last datagrams on the loopback
kill "$LISTEN_PID"
wait "$LISTEN_PID"
cat "$TMP/hillock.err" | grep "OSC" | sed "s/^/$TEST_NAME: /"

python3 - "$TMP/osc.wav" "$TMP/osc.txt" "$(dirname "$0")" <<'PY' || fail "OSC out does not match the recording"
import sys
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, sys.argv[3])
from wav_gate import read_wav, rising_edges
rate, samples = read_wav(sys.argv[1])
edges = rising_edges(samples)
lines = open(sys.argv[2]).read().split("\n")[1:]
bundles = []
for l in lines:
    if l == "bundle":
        bundles.append([])
    elif l.startswith("spike"):
        bundles[-1].append(float(l.split()[2]))
times = [t for b in bundles for t in b]
period = 256  # lib.sh: jackd -p 256
print("osc: gate edges at", edges, "; OSC out times x rate", [round(t * rate, 2) for t in times])
assert len(edges) == 6, "6 spikes played, %d gate edges" % len(edges)
assert len(times) == 6, "6 spikes played, %d sent" % len(times)
# a bundle per block: each bundle's spikes in one period, no period in two
blocks = [{int(t * rate) // period for t in b} for b in bundles]
assert all(len(b) == 1 for b in blocks), "a bundle spans periods: %s" % bundles
assert len({p for b in blocks for p in b}) == len(bundles), "a period in two bundles"
for e, t in zip(edges, times):
    assert abs(t * rate - e) <= 1.0, "OSC time %.3f s (frame %.2f), gate edge at frame %d" % (t, t * rate, e)
PY
grep -q "OSC in: 6 spikes played, latency from message to the output port" "$TMP/hillock.err" \
    || fail "no latency summary: $(cat "$TMP/hillock.err")"
