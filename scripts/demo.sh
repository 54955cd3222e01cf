#!/bin/sh
# Quick start 1: install what building and rendering need, build, and
# render a demo WAV from a preset.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh build
sh scripts/build.sh
./build/cli/hillock render -p "${1:-tonic-hh}" -d "${2:-10}" -o demo.wav
echo "wrote $(pwd)/demo.wav"
