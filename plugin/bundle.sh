#!/bin/sh
# bundle.sh BUNDLE_DIR STAMP PRESET_DIR FILE...
# Assemble the LV2 bundle in the build tree: the plugin binary, the
# generated TTL and every preset, so hosts load it with LV2_PATH pointed at
# the bundle's parent. Files are replaced by rename, never rewritten in
# place, so a host that has the old binary loaded keeps running.
set -eu
bundle=$1 stamp=$2 presets=$3
shift 3
mkdir -p "$bundle"
rm -f "$bundle"/*.ttl # presets removed from the source leave the bundle too
for f in "$@" "$presets"/*.ttl; do
  [ -e "$f" ] || continue
  cp -f "$f" "$bundle/.tmp.$$"
  mv -f "$bundle/.tmp.$$" "$bundle/$(basename "$f")"
done
touch "$stamp"
