# lib.sh — shared by the `hillock jack` test scripts (POSIX sh).
#
# Each test starts its own JACK server (dummy driver, 48 kHz, 256 frames
# a period unless the test sets JACK_PERIOD)
# under a unique name, points every client at it through JACK_DEFAULT_SERVER,
# and kills it (and anything else it started) on exit.
#
# The meson test passes: HILLOCK (the command), WAV_STATS and MIDI_SEND (the
# helpers in this folder).
set -u

: "${HILLOCK:?HILLOCK must name the hillock binary}"
: "${WAV_STATS:?}"
: "${MIDI_SEND:?}"

TEST_NAME=$(basename "$0" .sh)
# measure_without_xruns (a timing measurement repeated over xruns)
. "$(dirname "$0")/../jack/xruns.sh"
SERVER="hillock_jt_${TEST_NAME}_$$"
export JACK_DEFAULT_SERVER="$SERVER"
export JACK_NO_AUDIO_RESERVATION=1 # no D-Bus device reservation for a dummy
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hillock_jt.XXXXXX")
JACKD_LOG="$TMP/jackd.log"
JACKD_PID=""
BG_PIDS=""

fail() {
    echo "FAIL ($TEST_NAME): $*" >&2
    if [ -s "$TMP/jackd.log" ]; then
        echo "--- jackd log (tail):" >&2
        tail -n 15 "$TMP/jackd.log" >&2
    fi
    exit 1
}

note() {
    echo "$TEST_NAME: $*"
}

# Clients go first and are waited for, then the server gets SIGTERM: a jackd
# that dies any harder keeps its slot in JACK's shared server registry (8
# slots, /dev/shm/jack-shm-registry) for good, and enough of those stop every
# JACK server on the machine from starting.
cleanup() {
    for p in $BG_PIDS; do
        kill "$p" 2>/dev/null
    done
    for p in $BG_PIDS; do
        wait "$p" 2>/dev/null
    done
    if [ -n "$JACKD_PID" ]; then
        kill "$JACKD_PID" 2>/dev/null
        wait "$JACKD_PID" 2>/dev/null
    fi
    # Semaphores of clients the server did not outlive cleanly (server_gone).
    rm -f /dev/shm/jack_sem.*_"${SERVER}"_* 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Server names come from a small per-test pool rather than being unique:
# JACK's registry (8 slots for all servers of the machine) frees the slot of
# a server that died without unregistering (SIGKILL, crash) only when a
# server of the same name starts again. A name whose server is alive belongs
# to a concurrent run of the same test, so take the next one.
start_jack() {
    # Real-time scheduling first; where it is refused (a container without
    # the capability), jackd -r (no real-time) on the same name.
    rt_flag=""
    for n in 0 0 1 2 3 4 5; do
        SERVER="hillock_jt_${TEST_NAME}_$n"
        export JACK_DEFAULT_SERVER="$SERVER"
        case "$(jack_wait -c 2>/dev/null)" in
        running) continue ;;
        esac
        # -t: a client is dropped only after 5 s without finishing a cycle
        # (default 0.5 s), so a slow build (the sanitizer run) stays a client
        jackd $rt_flag -t 5000 -n "$SERVER" -d dummy -r 48000 -p "${JACK_PERIOD:-256}" >"$TMP/jackd.log" 2>&1 &
        JACKD_PID=$!
        i=0
        while kill -0 "$JACKD_PID" 2>/dev/null && [ "$i" -lt 100 ]; do
            if [ "$(jack_wait -c 2>/dev/null)" = running ]; then
                kill -0 "$JACKD_PID" 2>/dev/null && return 0
            fi
            sleep 0.1
            i=$((i + 1))
        done
        # Ours did not start (or lost a race for the name): clean up, retry.
        kill "$JACKD_PID" 2>/dev/null
        wait "$JACKD_PID" 2>/dev/null
        JACKD_PID=""
        grep -q "Too many servers" "$TMP/jackd.log" && break
        grep -q -i -E "real-?time|scheduling|permitted" "$TMP/jackd.log" && rt_flag="-r"
    done
    cat "$TMP/jackd.log" >&2
    fail "jackd -d dummy did not start"
}

# Run in the background, remembered for cleanup; sets BG (its pid).
background() {
    "$@" &
    BG=$!
    BG_PIDS="$BG_PIDS $BG"
}

# Wait until port $1 exists (up to 10 s) while process $2 (if given) lives.
wait_port() {
    i=0
    while ! jack_lsp 2>/dev/null | grep -qx "$1"; do
        i=$((i + 1))
        [ "$i" -lt 200 ] || fail "port $1 never appeared"
        if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
            fail "the client that should own $1 exited"
        fi
        sleep 0.05
    done
}

# Wait for client $1, fed control lines through fd 3, to exit; close fd 3.
# Its exit status must be 0 ($2: the file with its messages).
wait_client_ok() {
    wait "$1"
    rc=$?
    exec 3>&-
    [ "$rc" = 0 ] || fail "exit status $rc: $(cat "$2")"
}

# Value of KEY in key=value output ($2 = the text).
get() {
    printf '%s\n' "$2" | sed -n "s/^$1=//p"
}

# Floating-point assertion: awk_true 'EXPR' MESSAGE
check() {
    awk "BEGIN { exit !($1) }" || fail "$2"
}

# A recording is a readable sound file with the expected frames, all finite.
check_valid_wav() {
    stats=$("$WAV_STATS" "$1") || fail "$1 is not a readable sound file"
    [ "$(get finite "$stats")" = 1 ] || fail "$1 has non-finite samples"
    printf '%s\n' "$stats"
}

# Monotonic-enough wall clock in seconds with milliseconds.
now() {
    date +%s.%N | cut -c1-14
}
