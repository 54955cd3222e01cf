#!/bin/sh
# jalv_jump_loss.sh [LV2_DIR]: measures what a jump of the host's transport
# costs the plugin's recorded neurons under a real host: urn:hillock:bank
# in jalv (jackd -d dummy, 48 kHz, 256-frame periods) plays a recording
# longer than its head (66000 spikes of unit 1 at 0.5-0.7 s), and
# jack_transport, rolling, locates to twelve places past the head that
# the transport never played, each one twice in a row (the second as a
# loop's jump back). At each place unit 0 fires ten spikes 3 ms apart from
# a third of a frame after the target; each spike is a MIDI note on
# events_out (jack_midi_dump records them), so the notes missing at a
# place are the jump's loss. Prints the loss per jump, in spikes and ms.
# On demand, not a test: the loss depends on when jalv's worker thread
# answers.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # jalv_setup reads it
lv2_dir=${1:-$here/build/lv2}
for p in jack_transport jack_midi_dump jack_connect python3; do
  command -v $p >/dev/null || { echo "$p not installed"; exit 77; }
done
# shellcheck disable=SC2034 # jalv_lib.sh reads it
tests_dir=$here/tests
# shellcheck source=tests/plugin/jalv_lib.sh disable=SC2154 # it sets tmp
. "$here/tests/plugin/jalv_lib.sh"
jalv_setup hillock_jump
start_jackd

python3 - "$tmp" <<'PY' || exit 1
import sys
tmp = sys.argv[1]
spikes = [(0.5 + 0.2 * i / 66000, 1) for i in range(66000)]
for p in range(12):
    spikes += [(10.0 + 2.0 * p + 1 / 3 / 48000 + 0.003 * j, 0) for j in range(10)]
spikes.sort()
with open(tmp + "/rec.csv", "w") as f:
    f.write("time_s,neuron\n")
    for t, u in spikes:
        f.write("%.12f,%d\n" % (t, u))
PY
jalv_state "$tmp/state" "source=1.0 neurons=1.0" \
  "<urn:hillock:ns#spikes> \"$tmp/rec.csv\"^^<http://lv2plug.in/ns/ext/atom#Path>"

start_jalv events_out -l "$tmp/state" urn:hillock:bank
echo stop | jack_transport >/dev/null 2>&1
echo "locate 240000" | jack_transport >/dev/null 2>&1 # 5 s: past unit 1's spikes
jack_midi_dump -a jump_notes >"$tmp/notes.log" 2>&1 &
dump_pid=$!
i=0
until jack_lsp 2>/dev/null | grep -q "^jump_notes:input"; do
  i=$((i + 1)); [ $i -lt 100 ] || { echo "jack_midi_dump did not start"; exit 1; }
  sleep 0.1
done
jack_connect hb:events_out jump_notes:input || { echo "jack_connect failed"; exit 1; }
sleep 2 # the worker opens the file
echo play | jack_transport >/dev/null 2>&1
for p in 0 1 2 3 4 5 6 7 8 9 10 11; do
  frame=$(( (10 + 2 * p) * 48000 ))
  for _pass in 1 2; do
    sleep 1
    echo "locate $frame" | jack_transport >/dev/null 2>&1
  done
done
sleep 1
kill $dump_pid
wait $dump_pid 2>/dev/null

python3 - "$tmp/notes.log" <<'PY'
import sys
# jack_midi_dump -a: "TIME: 90 3c 64" per event, TIME in frames from its start
times = []
for line in open(sys.argv[1]):
    head, _, body = line.partition(":")
    b = body.split()
    if head.strip().isdigit() and len(b) >= 3 and b[0].startswith("9") and b[2] != "00":
        times.append(int(head))
bursts = []  # notes closer than 10 ms belong to one burst
for t in times:
    if bursts and t - bursts[-1][-1] < 480:
        bursts[-1].append(t)
    else:
        bursts.append([t])
print("jumps heard: %d (24 asked), spikes heard of 10 at each: %s"
      % (len(bursts), [len(b) for b in bursts]))
if len(bursts) != 24:
    sys.exit("measurement failed: %d places heard, not 24 (run it again)" % len(bursts))
lost = [10 - len(b) for b in bursts]
for kind, ls in (("first jump to a new place", lost[0::2]), ("jump back to it", lost[1::2])):
    print("%s: lost %s spikes (%s ms)" % (kind, ls, [3 * l for l in ls]))
PY
# a cycle the server missed loses the spikes in it too: run it again then
echo "xruns the JACK server reported during the run: $(server_xruns)"
stop_jalv
