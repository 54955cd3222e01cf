#!/bin/sh
# Quick start 2: set up, build, and run the whole test suite. Tests that need
# a JACK server or an X display start their own (jackd -d dummy, Xvfb).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
sh scripts/build.sh
meson test -C build --print-errorlogs --num-processes 2 "$@"
