#!/bin/sh
# `hillock jack -d` shorter than one sample is refused with the usage status
# (2) and a message, as `hillock render` refuses it: rounded to 0 frames it
# would otherwise mean "no limit" and never stop.
. "$(dirname "$0")/lib.sh"
start_jack

status=0
timeout 10 "$HILLOCK" jack -d 0.000001 --no-stdin </dev/null >"$TMP/out.log" 2>"$TMP/err.log" ||
    status=$?
[ "$status" = 2 ] || fail "exit status $status, want 2 (usage); stderr: $(cat "$TMP/err.log")"
grep -q "shorter than one sample" "$TMP/err.log" || fail "no message: $(cat "$TMP/err.log")"
note "refused: $(cat "$TMP/err.log")"
