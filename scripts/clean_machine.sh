#!/bin/sh
# One of the quick start's two commands on a clean Debian 12, as CI and a
# new user meet it: a `debootstrap --variant=minbase bookworm` chroot with
# only git added, a fresh clone of this repository's HEAD in it, and the
# host's /proc, /sys and /dev (JACK's shared memory, Xvfb's sockets). It
# shows what the setup installs from nothing, how long that takes, and
# which tests skip for want of a package (they print SKIP or "skipped" in
# the chroot's build/meson-logs/testlog.txt).
#
#   sh scripts/clean_machine.sh [test|demo] [DIR]
#
# test: `bash .ci/run` (the README's test command); demo: `sh scripts/demo.sh`.
# DIR: the chroot (default /tmp/hillock-clean), made afresh and removed at
# the end unless KEEP=1. Needs root, debootstrap (apt-get install
# debootstrap) and the network: about a minute for the chroot, then the
# command's own time. The host's own lv2lint and Carla (../shared/tools)
# are not in the chroot, so those two tests skip there.
set -eu
what=${1:-test}
root=${2:-/tmp/hillock-clean}
case "$what" in
  test) command='bash .ci/run' ;;
  demo) command='sh scripts/demo.sh' ;;
  *) echo "usage: sh scripts/clean_machine.sh [test|demo] [DIR]" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "clean_machine: needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
command -v debootstrap >/dev/null ||
  { echo "clean_machine: apt-get install debootstrap first" >&2; exit 1; }
repo=$(cd "$(dirname "$0")/.." && pwd)

mounted() { grep -q " $root/" /proc/mounts; }
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  for m in dev sys proc; do
    umount -R "$root/$m" 2>/dev/null || umount -R -l "$root/$m" 2>/dev/null || true
  done
  # never remove a tree that still reaches the host's /dev or /sys
  if mounted; then
    echo "clean_machine: $root still has mounts; not removed" >&2
  elif [ "${KEEP:-0}" != 1 ]; then
    rm -rf --one-file-system "$root"
  fi
}
if [ -e "$root" ]; then
  mounted && { echo "clean_machine: $root has mounts in it; unmount them first" >&2; exit 1; }
  rm -rf --one-file-system "$root"
fi
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t0=$(date +%s)
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$root.debootstrap.log" 2>&1 ||
  { tail -n 20 "$root.debootstrap.log" >&2; exit 1; }
# the host's sources when it has them (updates and security), else debootstrap's
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
  rm -f "$root/etc/apt/sources.list"
fi
chroot "$root" apt-get update -q >/dev/null
chroot "$root" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends git ca-certificates >/dev/null
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mkdir -p "$root/work"
git clone -q "$repo" "$root/work/hillock"
t1=$(date +%s)
echo "clean_machine: chroot ready in $((t1 - t0)) s; running '$command' at $(git -C "$repo" rev-parse --short HEAD)"
status=0
chroot "$root" sh -c "cd /work/hillock && $command" || status=$?
t2=$(date +%s)
echo "clean_machine: '$command' exited $status after $((t2 - t1)) s"
if [ "$what" = test ] && [ -f "$root/work/hillock/build/meson-logs/testlog.txt" ]; then
  # the tests that skipped, and the unittest cases skipped inside a test
  grep -E '^SKIP|OK \(skipped=' "$root/work/hillock/build/meson-logs/testlog.txt" |
    sed 's/^/clean_machine: /' || true
fi
exit "$status"
