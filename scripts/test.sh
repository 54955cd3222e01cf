#!/bin/sh
# Quick start 2: set up, build, and run the whole test suite. Tests that need
# a JACK server or an X display start their own (jackd -d dummy, Xvfb).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh test
# A build configured by scripts/demo.sh (build packages only) has not seen
# Criterion, Xvfb or jackd: configure it again so every test is built.
# OSC (liblo) is optional for a build, required here: CI tests it.
# -Dwerror=true: every tree builds without a warning under -Wall -Wextra
# (GCC 12 and, for fuzzing, clang 14 on Debian 12), and a new warning fails
# the test command here (scripts/demo.sh builds without it).
if [ -f build/build.ninja ]; then
    meson setup --reconfigure -Dosc=enabled -Dwerror=true build >/dev/null
else
    meson setup build --buildtype=release -Dosc=enabled -Dwerror=true >/dev/null
fi
sh scripts/build.sh
sanitizers=0
if [ $# -eq 0 ] && [ "${HILLOCK_SKIP_SANITIZERS:-0}" != 1 ]; then
    sanitizers=1
fi
# The sanitizer and fuzzing builds (about 5 minutes of CPU) compile while
# the release suite runs, in the idle scheduling class: they get only the
# CPU no test wants (one core waits while a JACK test runs alone), so the
# tests run as they would without them. When the suite is done they are
# stopped and scripts/ci-sanitizers.sh builds the rest at normal priority.
prebuild=
stop_prebuild() {
    [ -z "$prebuild" ] || { kill -TERM "$prebuild" 2>/dev/null || true; wait "$prebuild" || true; }
    prebuild=
}
if [ "$sanitizers" = 1 ]; then
    sh scripts/ci-sanitizers.sh --configure
    idle="nice -n 19"
    command -v chrt >/dev/null 2>&1 && idle="chrt --idle 0"
    $idle sh scripts/ci-sanitizers.sh --build >build/sanitizer-builds.log 2>&1 &
    prebuild=$!
    trap stop_prebuild EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
fi
t0=$(date +%s)
meson test -C build --print-errorlogs --num-processes 2 "$@"
echo "test: release suite $(($(date +%s) - t0)) s"
# The suite again under ASan + UBSan + LeakSanitizer
# (the longest renders only on demand: HILLOCK_SANITIZE_ALL=1) and at most
# 15 s of fuzzing per harness. Only for the full run (no arguments);
# HILLOCK_SKIP_SANITIZERS=1 skips it.
if [ "$sanitizers" = 1 ]; then
    stop_prebuild
    sh scripts/ci-sanitizers.sh 15
fi
