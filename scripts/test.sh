#!/bin/sh
# Quick start 2: set up, build, and run the whole test suite. Tests that need
# a JACK server or an X display start their own (jackd -d dummy, Xvfb).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh test
# A build configured by scripts/demo.sh (build packages only) has not seen
# Criterion, Xvfb or jackd: configure it again so every test is built.
# OSC (liblo) is optional for a build, required here: CI tests it.
if [ -f build/build.ninja ]; then
    meson setup --reconfigure -Dosc=enabled build >/dev/null
else
    meson setup build --buildtype=release -Dosc=enabled >/dev/null
fi
sh scripts/build.sh
meson test -C build --print-errorlogs --num-processes 2 "$@"
# The suite again under ASan + UBSan + LeakSanitizer
# (the longest renders only on demand: HILLOCK_SANITIZE_ALL=1) and at most
# 15 s of fuzzing per harness (about 8 minutes on 2 cores). Only for the
# full run (no arguments); HILLOCK_SKIP_SANITIZERS=1 skips it.
if [ $# -eq 0 ] && [ "${HILLOCK_SKIP_SANITIZERS:-0}" != 1 ]; then
    sh scripts/ci-sanitizers.sh 15
fi
