# jalv_lib.sh — sourced by the tests that run the plugin in jalv on a JACK
# server of their own (jackd with the dummy backend: no sound card, 48 kHz,
# periods of $JALV_PERIOD frames, 256 unless the test sets it). Everything
# started here is stopped at exit.
#   jalv_setup NAME             tools present (else SKIP, 77), $tmp, the
#                               server's name, LV2_PATH=$lv2_dir, cleanup
#   start_jackd                 the server, waited for
#   start_jalv PORT ARGS...     jalv ARGS (its stdin a FIFO held open on fd 3)
#                               until its port hb:PORT shows
#   stop_jalv                   jalv stopped (before starting another)
#   jalv_state DIR PORTS PROPS  a state for `jalv -l DIR`: the control ports
#                               PORTS ("symbol=value ..."), the state
#                               properties PROPS (Turtle: "<urn:...> value")
#   measure_without_xruns CMD   a timing measurement, repeated over the
#                               server's xruns (tests/jack/xruns.sh)
#   fail MESSAGE, note MESSAGE  said (FAIL: exit 1)
# Callers set lv2_dir first; $jalv_pid and $jackd_pid are the processes.
# One outside tests/ names the tests folder in tests_dir.

. "${tests_dir:-$(dirname "$0")/..}/jack/xruns.sh"

jalv_setup() {
  for p in jackd jalv jack_wait jack_lsp; do
    command -v $p >/dev/null || { echo "SKIP: $p not installed"; exit 77; }
  done
  tmp=$(mktemp -d)
  JACKD_LOG="$tmp/jackd.log"
  export JACK_DEFAULT_SERVER="$1_$$" LV2_PATH="$lv2_dir"
  jackd_pid='' jalv_pid='' jalv_n=0
  trap jalv_cleanup EXIT
  trap 'exit 1' INT TERM
}

fail() {
  echo "FAIL: $*"
  [ -s "$JACKD_LOG" ] && { echo "--- jackd log (tail):"; tail -n 15 "$JACKD_LOG"; }
  exit 1
}

note() {
  echo "$*"
}

stop_jalv() {
  exec 3>&- 2>/dev/null
  [ -n "$jalv_pid" ] && kill "$jalv_pid" 2>/dev/null
  [ -n "$jalv_pid" ] && wait "$jalv_pid" 2>/dev/null
  jalv_pid=''
}

jalv_cleanup() {
  stop_jalv
  [ -n "$jackd_pid" ] && kill "$jackd_pid" 2>/dev/null
  [ -n "$jackd_pid" ] && wait "$jackd_pid" 2>/dev/null
  rm -rf "$tmp"
}

start_jackd() {
  jackd -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p "${JALV_PERIOD:-256}" >"$JACKD_LOG" 2>&1 &
  jackd_pid=$!
  jack_wait -w -t 10 >/dev/null || { echo "FAIL: jackd did not start:"; cat "$JACKD_LOG"; exit 1; }
}

# jalv's console reads commands from stdin and quits at its end: a FIFO
# held open on fd 3 until stop_jalv.
start_jalv() {
  jalv_port=$1
  shift
  jalv_n=$((jalv_n + 1))
  mkfifo "$tmp/stdin_$jalv_n"
  jalv -n hb "$@" <"$tmp/stdin_$jalv_n" >"$tmp/jalv.log" 2>&1 &
  jalv_pid=$!
  exec 3>"$tmp/stdin_$jalv_n"
  jalv_wait=0
  until jack_lsp 2>/dev/null | grep -q "^hb:$jalv_port\$"; do
    jalv_wait=$((jalv_wait + 1))
    if [ $jalv_wait -gt 100 ] || ! kill -0 "$jalv_pid" 2>/dev/null; then
      echo "FAIL: jalv did not show its ports:"; cat "$tmp/jalv.log"; exit 1
    fi
    sleep 0.1
  done
}

jalv_state() {
  mkdir -p "$1"
  cat >"$1/manifest.ttl" <<TTL
@prefix lv2: <http://lv2plug.in/ns/lv2core#> .
@prefix pset: <http://lv2plug.in/ns/ext/presets#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<state.ttl> a pset:Preset ; lv2:appliesTo <urn:hillock:bank> ; rdfs:seeAlso <state.ttl> .
TTL
  ports='' sep=''
  for kv in $2; do
    ports="$ports$sep[ lv2:symbol \"${kv%%=*}\" ; pset:value ${kv#*=} ]"
    sep=' ,
    '
  done
  cat >"$1/state.ttl" <<TTL
@prefix lv2: <http://lv2plug.in/ns/lv2core#> .
@prefix pset: <http://lv2plug.in/ns/ext/presets#> .
@prefix state: <http://lv2plug.in/ns/ext/state#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<> a pset:Preset ; lv2:appliesTo <urn:hillock:bank> ;
  lv2:port $ports ;
  state:state [ <urn:hillock:ns#stateVersion> "2"^^xsd:int ;
    $3 ] .
TTL
}
