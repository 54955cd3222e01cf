#!/bin/sh
# The JACK process thread takes no page fault once playing: everything it
# writes (the engine's arrays, the recording ring, the spike players'
# history) is written when the client starts (dsp/zeroed.h). hillock jack
# plays 2048 neurons and records four ports for 7 s; the process thread's
# minor faults (/proc/PID/task/TID/stat, field 10) must not grow from 1.5 s
# after its ports appear to 6 s. Before the rings and arrays were written
# at start, this thread took 411 faults in its first 1.5 s and 380 more
# over the next 5 s (the 4 s recording ring filling, new neurons' first
# strikes; eea0a8b). Skipped (77) where JACK cannot give its process
# thread real-time priority: it is recognised by its SCHED_FIFO policy.
. "$(dirname "$0")/lib.sh"
start_jack

# the SCHED_FIFO or SCHED_RR thread of process $1 (stat field 41: policy)
rt_thread() {
    for stat in /proc/"$1"/task/*/stat; do
        # the name field has no spaces here (comm "hillock")
        awk '$41 == 1 || $41 == 2 {print $1}' "$stat" 2>/dev/null
    done | head -n 1
}

# minor faults of thread $2 of process $1
minor_faults() {
    awk '{print $10}' "/proc/$1/task/$2/stat"
}

"$HILLOCK" jack -q -s neurons=2048 -s spread=0.5 -o "$TMP/rt.wav" --record-ports L,R,gate,rate \
    -d 7 2>"$TMP/err.log" &
pid=$!
BG_PIDS="$pid"
wait_port hillock:out_L "$pid"
sleep 1.5
tid=$(rt_thread "$pid")
if [ -z "$tid" ]; then
    wait "$pid"
    echo "rt_faults: no real-time thread in hillock (no RT permission here): skipped"
    exit 77
fi
early=$(minor_faults "$pid" "$tid")
sleep 4.5
late=$(minor_faults "$pid" "$tid")
wait "$pid" || fail "hillock jack failed: $(cat "$TMP/err.log")"
echo "rt_faults: process thread $tid: $early minor faults 1.5 s after its ports appeared, $late at 6 s"
[ "$late" = "$early" ] ||
    fail "the process thread took $((late - early)) page faults while playing ($early -> $late)"
check_valid_wav "$TMP/rt.wav"
