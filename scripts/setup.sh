#!/bin/sh
# Install what Hillock needs on Debian 12. Safe to run again: apt-get skips
# what is already there.
#
#   sh scripts/setup.sh build   what building and rendering need (scripts/demo.sh)
#   sh scripts/setup.sh         that plus everything the test suite runs
#                               (hosts, JACK, Xvfb, sox, clang for fuzzing, valgrind,
#                               groff to check the manual page)
#   sh scripts/setup.sh reference   the build packages plus what the on-demand
#                               scripts measure against or draw with: NEURON and Brian2
#                               (scripts/compare_simulators.py,
#                               tests/reference/make_references.py), matplotlib
#                               (scripts/bench_plot.py). No test needs them, and
#                               Brian2 brings SciPy, SymPy and Cython with it,
#                               so the test suite's setup leaves them out.
set -eu
# meson configures tests/ too, so its required programs (python3, lilv) are
# build packages.
BUILD_PACKAGES="build-essential meson ninja-build pkg-config
  libsndfile1-dev libhdf5-dev liblilv-dev lv2-dev libserd-dev libsord-dev libjack-jackd2-dev
  libcairo2-dev libx11-dev python3 liblo-dev"
TEST_PACKAGES="libcriterion-dev
  lilv-utils sordi lv2file jalv jackd2 jack-capture xvfb xauth
  ardour sox midicsv groff-base
  fonts-dejavu-core python3-h5py python3-numpy
  clang libclang-rt-14-dev valgrind
  libelf-dev"
REFERENCE_PACKAGES="neuron python3-brian python3-matplotlib"
case "${1:-test}" in
  build) PACKAGES="$BUILD_PACKAGES" ;;
  test) PACKAGES="$BUILD_PACKAGES $TEST_PACKAGES" ;;
  reference) PACKAGES="$BUILD_PACKAGES $REFERENCE_PACKAGES" ;;
  *) echo "usage: sh scripts/setup.sh [build|test|reference]" >&2; exit 2 ;;
esac
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
