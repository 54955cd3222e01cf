#!/bin/sh
# validate.sh BUNDLE_DIR PRESET_SRC_DIR
# The generated bundle passes lv2_validate (lv2-dev + sordi), and lv2info
# shows both plugins with every preset of presets/ (their rdfs:label).
set -u
bundle=$1 presets=$2
fail=0

out=$(lv2_validate "$bundle"/*.ttl 2>&1)
status=$?
echo "$out" | tail -n 3
if [ $status -ne 0 ] || echo "$out" | grep -v "Found 0 errors" | grep -qi "error"; then
  echo "FAIL: lv2_validate found errors:"; echo "$out" | grep -i error | head -20
  fail=1
fi
# lv2_validate only reports what its schemas know; it must at least count
# our files, or it validated nothing.
echo "$out" | grep -q "Found 0 errors" || { echo "FAIL: lv2_validate said: $out"; fail=1; }

for uri in urn:hillock:bank urn:hillock:bank-cv; do
  info=$(lv2info "$uri" 2>&1) || { echo "FAIL: lv2info $uri exited $?"; fail=1; continue; }
  for f in "$presets"/*.ttl; do
    label=$(sed -n 's/.*rdfs:label *"\([^"]*\)".*/\1/p' "$f" | head -n 1)
    [ -n "$label" ] || { echo "FAIL: $f has no rdfs:label"; fail=1; continue; }
    # lv2info prints presets as an indented list under "Presets:"
    if ! echo "$info" | sed -n '/Presets:/,/Port 0:/p' | grep -qF "$label"; then
      echo "FAIL: lv2info $uri does not list preset \"$label\" ($f)"
      fail=1
    fi
  done
  n=$(echo "$info" | grep -c "Port [0-9]*:")
  echo "$uri: $n ports, presets listed: $(echo "$info" | sed -n '/Presets:/,/Port 0:/p' | grep -vc -e Presets: -e 'Port 0:' -e '^\s*$')"
done
exit $fail
