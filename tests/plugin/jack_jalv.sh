#!/bin/sh
# jack_jalv.sh LV2_DIR JACK_RECORD
# jackd with the dummy backend (no sound card), jalv (console) running
# urn:hillock:bank-cv from the build tree, its audio and CV outputs
# recorded for one second by jack_record: finite, and non-silent where a
# firing neuron must move them. Everything started here is stopped here.
set -u
lv2_dir=$1 record=$2
. "$(dirname "$0")/jalv_lib.sh"
jalv_setup hillock_test
start_jackd
start_jalv cv_rate urn:hillock:bank-cv
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
