#!/bin/sh
# jack_jalv.sh LV2_DIR JACK_RECORD
# jackd with the dummy backend (no sound card), jalv (console) running
# urn:hillock:bank-cv from the build tree, its audio and CV outputs
# recorded for one second by jack_record: finite, and non-silent where a
# firing neuron must move them. Everything started here is stopped here.
set -u
lv2_dir=$1 record=$2
for p in jackd jalv jack_wait jack_lsp; do
  command -v $p >/dev/null || { echo "SKIP: $p not installed"; exit 77; }
done
name=hillock_test_$$
tmp=$(mktemp -d)
export JACK_DEFAULT_SERVER=$name LV2_PATH=$lv2_dir
jackd_pid='' jalv_pid=''
cleanup() {
  exec 3>&- 2>/dev/null
  [ -n "$jalv_pid" ] && kill "$jalv_pid" 2>/dev/null
  [ -n "$jalv_pid" ] && wait "$jalv_pid" 2>/dev/null
  [ -n "$jackd_pid" ] && kill "$jackd_pid" 2>/dev/null
  [ -n "$jackd_pid" ] && wait "$jackd_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

jackd -n "$name" -d dummy -r 48000 -p 256 >"$tmp/jackd.log" 2>&1 &
jackd_pid=$!
if ! jack_wait -w -t 10 >/dev/null; then
  echo "FAIL: jackd did not start:"; cat "$tmp/jackd.log"; exit 1
fi

# jalv's console reads commands from stdin and quits at its end: hold a
# FIFO open for it until cleanup.
mkfifo "$tmp/stdin"
jalv -n hb urn:hillock:bank-cv <"$tmp/stdin" >"$tmp/jalv.log" 2>&1 &
jalv_pid=$!
exec 3>"$tmp/stdin"

i=0
until jack_lsp 2>/dev/null | grep -q '^hb:cv_rate$'; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$jalv_pid" 2>/dev/null; then
    echo "FAIL: jalv did not show its ports:"; cat "$tmp/jalv.log"; exit 1
  fi
  sleep 0.1
done
echo "jalv ports:"; jack_lsp | grep '^hb:'
# CV ports must carry JACK's CV signal-type metadata (jalv sets it)
jack_lsp -t hb:cv_focus_v 2>/dev/null | head -n 2

# The default bank fires tonically: audio, voltages and rate all move; the
# gate may miss a 1 ms pulse only if the focus neuron never fired.
"$record" 1.0 hb:out_left hb:out_right hb:cv_focus_v hb:cv_dend_v hb:cv_gate hb:cv_rate
status=$?
kill -0 "$jalv_pid" 2>/dev/null || { echo "FAIL: jalv died:"; cat "$tmp/jalv.log"; status=1; }
[ $status -eq 0 ] || { echo "--- jalv log"; tail -n 20 "$tmp/jalv.log"; }
exit $status
