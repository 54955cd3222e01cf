#!/bin/sh
# carla.sh PROGRAM|none LV2_DIR — runs carla_host.c against Carla's library
# from the shared tools (tools.sh); PROGRAM is "none" when Carla's headers
# were missing at configure time.
set -u
program=$1 lv2=$2
. "$(dirname "$0")/tools.sh"
need_tool carla/bin/libcarla_standalone2.so
if [ "$program" = none ]; then
    echo "FAIL: carla_host was not built (Carla's headers were missing when meson configured;"
    echo "      reconfigure with -Dtools=FOLDER)"
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Carla's engine needs no display and no sound card with the Dummy driver
exec "$program" "$HILLOCK_TOOLS/carla/bin" "$lv2" "$work"
