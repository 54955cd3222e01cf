#!/bin/sh
# Install everything Hillock needs to build, run and test on Debian 12.
# Safe to run again: apt-get skips what is already there.
set -eu
PACKAGES="build-essential meson ninja-build pkg-config
  libsndfile1-dev liblilv-dev lv2-dev libserd-dev libsord-dev libjack-jackd2-dev
  libcairo2-dev libx11-dev libcriterion-dev
  lilv-utils sordi lv2file jalv jackd2 jack-capture xvfb xauth
  ardour python3 sox
  fonts-dejavu-core
  clang libclang-rt-14-dev valgrind"
missing=""
for p in $PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
