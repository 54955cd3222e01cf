#!/bin/sh
# jalv_osc_in.sh LV2_DIR OSC_PROBE — the plugin's OSC input live: jackd
# (dummy backend, 48 kHz, 256-frame periods) and jalv running
# urn:hillock:bank with a state that sets hillock:oscInPort (source
# recorded, one neuron, clicks), and osc_probe sending /hillock/spike
# messages and timing each click at the plugin's output on the server's
# frame clock. Reference: the plugin's rule (docs/manual.md, OSC): a
# message is played at the first frame of the next cycle, so every message
# makes a click, within two periods plus the plugin's latency of its
# arrival when the host keeps time; the figures are printed (measured, not
# bounded here: a loaded machine may delay the cycles themselves).
set -u
lv2_dir=$1 probe=$2
. "$(dirname "$0")/jalv_lib.sh"
jalv_setup hillock_oscin
start_jackd

port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
jalv_state "$tmp/state" "source=1.0 neurons=1.0 spike_sound=0.0" \
  "<urn:hillock:ns#oscInPort> \"$port\"^^xsd:int"

start_jalv out_left -l "$tmp/state" urn:hillock:bank
i=0
until grep -q "port $port" "$tmp/jalv.log"; do
  i=$((i + 1))
  [ $i -lt 100 ] || { echo "FAIL: the plugin did not open port $port:"; cat "$tmp/jalv.log"; exit 1; }
  sleep 0.1
done
# One round of messages: 1 when a message made no click
measure() {
  "$probe" hb:out_left "$port" 12 >"$tmp/probe.log" 2>&1
  probe_status=$?
  cat "$tmp/probe.log"
  [ $probe_status -eq 0 ] || { note "a message made no click"; tail -n 20 "$tmp/jalv.log"; }
  return $probe_status
}

# a server that misses its cycles (an xrun on a loaded machine: the
# latencies climb past 100 ms) is measured again while it reports xruns
measure_without_xruns measure
