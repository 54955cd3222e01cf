#!/bin/sh
# The JACK process callback never allocates, frees or locks and never
# touches files (the audio path's rule: docs/manual.md, "Recording"). An LD_PRELOAD
# shim (rt_trap.c) counts malloc/calloc/realloc/free/pthread_mutex_lock on
# real-time threads while hillock plays, records, plays a spike file, takes
# MIDI notes and CCs, `set`/`preset`/`spikes` lines, and model switches of a
# coupled network (whose pre-roll the callback hands to another thread); the
# count must be 0. Skipped (77) where JACK
# cannot give its process thread real-time priority, since the shim
# recognises that thread by its SCHED_FIFO policy.
. "$(dirname "$0")/lib.sh"
: "${RT_TRAP:?}"
start_jack

# with OSC built: spikes out to the discard port, and OSC in listening
OSC=""
[ -n "${OSC_LISTEN:-}" ] && OSC="--osc osc.udp://127.0.0.1:9/ --osc-in 0"
# and a recording played beside the bank (source both), 60000 spikes of
# 300 units in its first 1.5 s: more than the reader's queue holds, so it
# streams while the callback plays
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    for k in range(60000):
        f.write("%.9f,%d\n" % (k * 2.5e-5, k % 300))
' "$TMP/rec.csv"
mkfifo "$TMP/ctl"
# shellcheck disable=SC2086 # OSC is several words
LD_PRELOAD="$RT_TRAP" "$HILLOCK" jack -p tonic-hh -s source=both -o "$TMP/rt.wav" \
    --record-ports L,R,gate,rate $OSC --play-spikes "$TMP/rec.csv" <"$TMP/ctl" \
    2>"$TMP/err.log" &
pid=$!
BG_PIDS="$pid"
exec 3>"$TMP/ctl"
wait_port hillock:midi_in "$pid"
sleep 0.3
if ! ps -L -o cls= -p "$pid" | grep -q -E 'FF|RR'; then
    exec 3>&-
    echo "rt_safety: no real-time thread in hillock (no RT permission here): skipped"
    exit 77
fi
"$MIDI_SEND" hillock:midi_in 90,30,7F +0.2 B0,4A,40 +0.2 80,30,00 +0.1 B0,07,60 ||
    fail "midi_send failed"
echo "set drive 20" >&3
sleep 0.3
echo "preset tonic-hh" >&3
sleep 0.3
# a coupled network (ei-gamma) switching model, and reset: the process
# callback hands each settled start's pre-roll to the settle thread (a
# semaphore post)
echo "preset ei-gamma" >&3
echo "set model izhikevich" >&3
sleep 0.4
echo "set model hh" >&3
sleep 0.4
echo "reset" >&3
sleep 0.4
echo "spikes $TMP/rec.csv" >&3 # a recording in place of the one playing
sleep 0.3
echo "quit" >&3
wait_client_ok "$pid" "$TMP/err.log"
count=$(sed -n 's/^rt_trap: //p' "$TMP/err.log")
[ -n "$count" ] || fail "the trap did not report: $(cat "$TMP/err.log")"
[ "$count" = 0 ] || fail "$count malloc/free/lock calls on the real-time thread"
grep -q "settled starts of a coupled network pre-rolled" "$TMP/err.log" ||
    fail "no coupled pre-roll ran on the settle thread: $(cat "$TMP/err.log")"

# a recording following JACK's transport: 70000 spikes, so a locate past
# its head (the first 65536, in memory) has the reader seek; a locate
# while rolling, one while stopped
if command -v jack_transport >/dev/null; then
    python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    for k in range(70000):
        f.write("%.9f,%d\n" % (k * 2.5e-5, k % 300))
' "$TMP/rec2.csv"
    LD_PRELOAD="$RT_TRAP" "$HILLOCK" jack -q -s source=recorded --transport \
        --play-spikes "$TMP/rec2.csv" <"$TMP/ctl" 2>"$TMP/err2.log" &
    pid=$!
    BG_PIDS="$pid"
    exec 3>"$TMP/ctl"
    wait_port hillock:midi_in "$pid"
    ( echo "locate 84000"; echo play; sleep 0.3; echo "locate 24000"; sleep 0.3; echo stop
      echo "locate 80000"; sleep 0.2; echo quit ) | jack_transport >"$TMP/jt.log" 2>&1
    echo "quit" >&3
    wait_client_ok "$pid" "$TMP/err2.log"
    count=$(sed -n 's/^rt_trap: //p' "$TMP/err2.log")
    [ "$count" = 0 ] ||
        fail "following the transport: ${count:-no report of} malloc/free/lock calls: $(cat "$TMP/err2.log")"
fi
note "0 malloc/free/lock calls on the process thread (notes, CCs, set, preset, coupled model switches, reset, recording, a spike file and its replacement, a recording following the transport's locates)"
