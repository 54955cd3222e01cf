#!/bin/sh
# On a terminal, a status line: DSP load, xruns, spikes per second, the
# real-time guard's load and the recording time, redrawn in place
# (\r ... ESC[K). `script` gives hillock a pseudo-terminal; skipped (77)
# where none can be had.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null 2>&1 || { echo "no script(1): skipped"; exit 77; }
script -qec true /dev/null >/dev/null 2>&1 </dev/null || { echo "no pseudo-terminal: skipped"; exit 77; }
start_jack

script -qec "'$HILLOCK' jack -p tonic-hh -d 1.5 --no-stdin -o '$TMP/st.wav'" "$TMP/tty.txt" \
    </dev/null >/dev/null 2>&1 || fail "hillock jack under script(1) failed: $(cat "$TMP/tty.txt")"
tr '\r' '\n' <"$TMP/tty.txt" >"$TMP/lines.txt"
grep -E '^\[live\] DSP +[0-9.]+%  xruns [0-9]+  spikes/s +[0-9.]+  time 00:0[0-9]\.[0-9]  guard +[0-9]+%  rec 00:0[0-9]\.[0-9]' \
    "$TMP/lines.txt" >"$TMP/status.txt" || fail "no status line: $(cat "$TMP/lines.txt")"
n=$(wc -l <"$TMP/status.txt")
[ "$n" -ge 3 ] || fail "the status line was drawn $n times in 1.5 s (every 0.25 s expected)"
# Once running, tonic-hh's ~580 spikes/s (hillock render's summary) show.
last=$(tail -n 1 "$TMP/status.txt" | sed -n 's/.*spikes\/s *\([0-9.]*\).*/\1/p')
check "$last > 400 && $last < 800" "spikes/s shown as $last, expected ~580"
# tonic-hh (8 neurons) is far inside the guard's budget: it does not thin.
load=$(tail -n 1 "$TMP/status.txt" | sed -n 's/.*guard *\([0-9]*\)%.*/\1/p')
check "$load < 50" "the guard's load shown as $load %, expected a few %"
note "$n status lines; last: $(tail -n 1 "$TMP/status.txt")"
