#!/bin/sh
# lv2lint.sh BUNDLE_DIR — lv2lint 0.17.71 (the strict LV2 checker; it also
# traps malloc, locks and syscalls around run()) on both plugins of the
# bundle: no FAIL and no WARN (-E warn makes a WARN fail), and none of the
# notes the description answers (integers written as integers, a pg:group
# on every port, doap:shortdesc) coming back. The notes left are listed by
# name below with the reason they stay.
set -uf  # -f: the library patterns below are lv2lint's, not the shell's
bundle=$1
. "$(dirname "$0")/tools.sh"
need_tool lv2lint.sh
lint=$TOOL
# its build is cached (LV2LINT_BUILD, default ~/.cache/lv2lint-0.17.71)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
# Libraries the plugin links besides lv2lint's list, each for a feature:
# libhdf5 reads NWB recordings (the hillock:spikes property; opened at the
# first NWB file, not linked, hence listed for lv2lint only), liblo sends
# spikes as OSC (hillock:oscUrl). Both are Debian's packages for their field.
libs="-l libhdf5_serial.so.* -l liblo.so.*"
for uri in urn:hillock:bank urn:hillock:bank-cv; do
    if ! "$lint" $libs -M pack -q -E warn -I "$bundle/" "$uri" >"$tmp/out" 2>&1; then
        echo "FAIL: lv2lint -E warn on $uri:"; cat "$tmp/out"; status=1
        continue
    fi
    if ! "$lint" $libs -M nopack -S all -E warn -I "$bundle/" "$uri" >"$tmp/all" 2>&1; then
        echo "FAIL: lv2lint -S all -E warn on $uri:"; cat "$tmp/all"; status=1
        continue
    fi
    grep -q "PASS" "$tmp/all" || { echo "FAIL: lv2lint printed no checks"; cat "$tmp/all"; status=1; }
    for answered in "number not an integer" "pg:group not found" "doap:shortdesc not found" \
        "foaf:mbox not found" "foaf:homepage not found" "ui:resize is deprecated"; do
        if grep -q "$answered" "$tmp/all"; then
            echo "FAIL: $uri: lv2lint: $answered"; status=1
        fi
    done
    # Notes that stay: no units:unit on the file parameters (tuning,
    # keymap, file status: paths and text have none); not lv2:isLive (the plugin renders offline as well); no
    # units:unit on enumerations, toggles, counts, seeds, velocities and
    # izh_d (in the model's own units of u); "number not a bool" on the
    # freewheel port's lv2:default 0 (lv2lint wants xsd:boolean there, but
    # hosts read defaults with lilv_node_as_float, which gives NaN for one).
    echo "$uri: $(grep -c PASS "$tmp/all") checks pass; notes: $(grep -c NOTE "$tmp/all")"
done
exit $status
