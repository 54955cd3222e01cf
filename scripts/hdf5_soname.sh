#!/bin/sh
# The soname of the libhdf5 a program links against with the given flags
# (spikefile/meson.build: libhdf5 is opened at the first NWB file, by this
# name; no flags: pkg-config's for hdf5). Link a two-line program, read
# which library it needs.
set -eu
cc=${CC:-cc}
[ $# -gt 0 ] || set -- $(pkg-config --libs hdf5)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%s\n' 'int H5open(void);' 'int main(void) { return H5open(); }' >"$dir/t.c"
"$cc" "$dir/t.c" -o "$dir/t" "$@"
objdump -p "$dir/t" | sed -n 's/^ *NEEDED *\(libhdf5[^ ]*\).*/\1/p' | head -n 1
