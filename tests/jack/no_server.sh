#!/bin/sh
# No JACK server: a clear error and exit status 6 (EXIT_JACK in
# cli/exit_codes.h) within 2 s, and no server started behind our
# back (JackNoStartServer unless --start-server).
. "$(dirname "$0")/lib.sh"
# No start_jack: the server named by JACK_DEFAULT_SERVER does not exist.
t0=$(now)
"$HILLOCK" jack -p tonic-hh -d 1 --no-stdin </dev/null 2>"$TMP/err.log"
rc=$?
t1=$(now)
[ "$rc" = 6 ] || fail "exit status $rc, expected 6"
check "$t1 - $t0 < 2" "took $(awk "BEGIN{print $t1-$t0}") s"
grep -q "no JACK server '$SERVER' is running" "$TMP/err.log" || fail "unclear message: $(cat "$TMP/err.log")"
[ "$(wc -l <"$TMP/err.log")" -le 2 ] || fail "noisy: $(cat "$TMP/err.log")"
jack_lsp >/dev/null 2>&1 && fail "a server is running: hillock started one without --start-server"
note "exit 6 after $(awk "BEGIN{print $t1-$t0}") s: $(cat "$TMP/err.log")"
