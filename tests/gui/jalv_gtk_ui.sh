#!/bin/sh
# jalv_gtk_ui.sh LV2_DIR X11_SNAP OUT.png [JALV_OPTION...] — run under
# xvfb-run -a. Options go to jalv.gtk3 (-c speed=26: the screenshots).
# jackd (dummy backend) + jalv.gtk3 with urn:hillock:bank: jalv must load
# Hillock's X11 UI through suil (the UI's window, "hillock-ui", appears and
# draws), keep running, and stop on our signal rather than a crash.
# Everything started here is stopped here.
set -u
lv2_dir=$1 snap=$2 out=$3
shift 3
for p in jackd jalv.gtk3 jack_wait; do
  command -v $p >/dev/null || { echo "SKIP: $p not installed"; exit 77; }
done
name=hillock_gui_$$
tmp=$(mktemp -d)
export JACK_DEFAULT_SERVER=$name LV2_PATH=$lv2_dir
jackd_pid='' jalv_pid=''
cleanup() {
  [ -n "$jalv_pid" ] && kill "$jalv_pid" 2>/dev/null && wait "$jalv_pid" 2>/dev/null
  [ -n "$jackd_pid" ] && kill "$jackd_pid" 2>/dev/null && wait "$jackd_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

jackd -n "$name" -d dummy -r 48000 -p 256 >"$tmp/jackd.log" 2>&1 &
jackd_pid=$!
if ! jack_wait -w -t 10 >/dev/null; then
  echo "FAIL: jackd did not start:"; cat "$tmp/jackd.log"; exit 1
fi

jalv.gtk3 --jack-name hbui "$@" urn:hillock:bank >"$tmp/jalv.log" 2>&1 </dev/null &
jalv_pid=$!

status=0
"$snap" hillock-ui "$out" 20 || status=1
sleep 1
if ! kill -0 "$jalv_pid" 2>/dev/null; then
  wait "$jalv_pid"; code=$?
  echo "FAIL: jalv.gtk3 exited (status $code) while showing the UI"; status=1
  jalv_pid=''
else
  kill "$jalv_pid"; wait "$jalv_pid"; code=$?
  jalv_pid=''
  # 143 = our SIGTERM; a crash in cleanup would be 134 (abort) or 139 (SEGV)
  if [ $code -ne 143 ] && [ $code -ne 0 ]; then
    echo "FAIL: jalv.gtk3 ended with status $code on SIGTERM"; status=1
  fi
fi
grep -q "urn:hillock:ui" "$tmp/jalv.log" || { echo "FAIL: jalv did not pick urn:hillock:ui"; status=1; }
[ $status -eq 0 ] || { echo "--- jalv log"; tail -n 30 "$tmp/jalv.log"; }
exit $status
