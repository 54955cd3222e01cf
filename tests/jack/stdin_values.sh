#!/bin/sh
# `set` lines on stdin accept every value `hillock params --json` advertises
# (each minimum, maximum, default and enumeration name, as the JSON prints
# them), echo enumerations by name, and refuse an overlong line whole: its
# cut-off head or tail never runs as a command of its own. Also: an
# unwritable recording exits 4.
. "$(dirname "$0")/lib.sh"
start_jack

# One `set SYMBOL VALUE` per advertised value: names first, then min, max
# and default, so every parameter ends at its default.
"$HILLOCK" params --json >"$TMP/params.json" || fail "hillock params --json failed"
python3 - "$TMP/params.json" >"$TMP/lines" <<'PY' || fail "cannot read params --json"
import json, sys
for p in json.load(open(sys.argv[1])):
    for v in p.get("values", []):
        print("set %s %s" % (p["symbol"], v))
    for k in ("min", "max", "default"):
        print("set %s %s" % (p["symbol"], json.dumps(p[k])))
PY
n_values=$(wc -l <"$TMP/lines")

# An output that cannot be written exits 4 (docs/manual.md, "Exit status"),
# with the server running so the recording is what fails.
"$HILLOCK" jack -n hillock_noout -o '' -d 0.5 --no-stdin -q 2>"$TMP/noout.err"
rc=$?
[ "$rc" = 4 ] || fail "jack -o '' should exit 4, got $rc: $(cat "$TMP/noout.err")"

mkfifo "$TMP/ctl"
"$HILLOCK" jack -n hillock_values <"$TMP/ctl" 2>"$TMP/err" &
HILLOCK_PID=$!
BG_PIDS="$HILLOCK_PID"
exec 3>"$TMP/ctl"
wait_port hillock_values:midi_in "$HILLOCK_PID"
cat "$TMP/lines" >&3
# 1023 bytes fill the reader's buffer exactly; the tail after them is a
# valid command that must not run. Then a line of 600 bytes whose first 511
# (what a cut would keep) read as `set seed 777`.
pad=$(printf '%01023d' 0 | tr 0 x)
printf '%sset seed 4242\n' "$pad" >&3
printf 'set seed 777%600s1\n' "" >&3
echo "set model pinsky_rinzel" >&3
echo "quit" >&3
wait "$HILLOCK_PID"
rc=$?
exec 3>&-
[ "$rc" = 0 ] || fail "quit should exit 0, got $rc: $(cat "$TMP/err")"

if grep -q "set:" "$TMP/err"; then
    grep "set:" "$TMP/err" >&2
    fail "advertised values were refused"
fi
n_echo=$(grep -c "^hillock jack: [a-z_0-9]* = " "$TMP/err")
[ "$n_echo" = $((n_values + 1)) ] ||
    fail "expected $((n_values + 1)) echoed settings, found $n_echo"
grep -qx "hillock jack: model = pinsky_rinzel" "$TMP/err" ||
    fail "the model should be echoed by name: $(grep 'model =' "$TMP/err" | tail -n 1)"
grep -q "model = [0-9]" "$TMP/err" && fail "an enumeration was echoed as a number"
[ "$(grep -c "too long" "$TMP/err")" = 2 ] || fail "expected two overlong lines reported"
grep -q "seed = 4242\|seed = 777" "$TMP/err" && fail "part of an overlong line ran as a command"
note "$n_values advertised values accepted; overlong lines refused whole"
