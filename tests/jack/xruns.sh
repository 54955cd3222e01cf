# xruns.sh — sourced by tests/jack/lib.sh and tests/plugin/jalv_lib.sh
# (POSIX sh): a timing measurement judged only on a run in which the JACK
# server ran every period. The library that sources it sets JACKD_LOG (the
# server's output) and defines fail MESSAGE (exits 1) and note MESSAGE.

# Number of xruns the server has reported so far.
server_xruns() {
    grep -c XRun "$JACKD_LOG" 2>/dev/null || true
}

# A timing measurement needs the server to run every period: one it missed
# (an xrun, the dummy backend on a loaded machine) shifts every client by a
# period. Runs "$@" up to three times: a failure while the server reported
# no xrun fails the test at once; a failure with xruns meanwhile is measured
# again; xruns in all three attempts skip the test, saying so (the timing
# cannot be judged on that machine at that minute). A failure that no xrun
# explains is the measurement's own `fail`, at once.
measure_without_xruns() {
    xruns_attempt=1
    while :; do
        xruns_before=$(server_xruns)
        "$@" && return 0
        xruns_missed=$(( $(server_xruns) - xruns_before ))
        [ "$xruns_missed" -gt 0 ] || fail "off the mark while the server reported no xrun"
        if [ "$xruns_attempt" -ge 3 ]; then
            note "the server reported xruns in all three attempts: not measured"
            exit 77
        fi
        note "the server reported $xruns_missed xruns meanwhile: measured again"
        xruns_attempt=$((xruns_attempt + 1))
    done
}
