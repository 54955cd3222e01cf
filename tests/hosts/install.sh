#!/bin/sh
# install.sh BUILD_DIR SOURCE_DIR — `meson install` as a packager runs it:
# into a DESTDIR, under the configured prefix, the command in bin/, its
# manual page in share/man/man1/, the bundle (plugin, UI, TTL, presets) in
# the one LV2 folder meson.build computes; lilv then finds and runs the
# plugin from there (lv2info, lv2bench, both lilv-utils). A user install
# (--prefix=$HOME) puts the bundle in ~/.lv2, where LV2 hosts look
# (LV2 specification, "Filesystem Hierarchy").
set -u
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

DESTDIR="$tmp/dest" meson install -C "$build" --no-rebuild --quiet >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; fail "meson install"; }
option() {
    meson introspect "$build" --buildoptions |
        python3 -c "import json,sys; print([o['value'] for o in json.load(sys.stdin) if o['name']=='$1'][0])"
}
prefix=$(option prefix)
mandir=$(option mandir)
lv2dir=$(option lv2dir)
case "$lv2dir" in
'') lv2dir=$prefix/lib/lv2 ;;
/*) ;;
*) lv2dir=$prefix/$lv2dir ;;
esac
root=$tmp/dest
[ -x "$root$prefix/bin/hillock" ] || fail "no $prefix/bin/hillock"
"$root$prefix/bin/hillock" --version | grep -q "^hillock " || fail "the installed hillock does not run"
man=$root$prefix/$mandir/man1/hillock.1
case "$mandir" in /*) man=$root$mandir/man1/hillock.1 ;; esac
[ -f "$man" ] || fail "no hillock.1 in $mandir/man1"
grep -q '^\.TH HILLOCK 1' "$man" || fail "hillock.1 is not a manual page"
bundle=$root$lv2dir/hillock.lv2
for f in manifest.ttl hillock.ttl hillock.so; do
    [ -f "$bundle/$f" ] || fail "no $f in $lv2dir/hillock.lv2"
done
n_presets=$(ls "$src"/presets/*.ttl | wc -l)
n_installed=$(ls "$bundle"/*.ttl | grep -v -e /manifest.ttl -e /hillock.ttl | wc -l)
[ "$n_installed" = "$n_presets" ] || fail "$n_installed presets installed, $n_presets in presets/"
# nothing outside the prefix (and the LV2 folder, which -Dlv2dir may put elsewhere)
find "$root" -type f | while read -r f; do
    case "${f#"$root"}" in "$prefix"/* | "$lv2dir"/*) ;; *) fail "${f#"$root"} is outside $prefix" ;; esac
done || exit 1

# lilv, looking only there, finds both plugins in the installed bundle and runs them
export LV2_PATH="$root$lv2dir"
for uri in urn:hillock:bank urn:hillock:bank-cv; do
    lv2info "$uri" >"$tmp/info" 2>&1 || { cat "$tmp/info"; fail "lv2info $uri"; }
    grep -q "Bundle: *file://$bundle/" "$tmp/info" || fail "lv2info $uri: not from $bundle"
    grep -q "Presets:" "$tmp/info" || fail "lv2info $uri: no presets"
    lv2bench -n 4800 "$uri" >"$tmp/bench" 2>&1 || { cat "$tmp/bench"; fail "lv2bench $uri"; }
    grep -q "$uri" "$tmp/bench" || { cat "$tmp/bench"; fail "lv2bench did not run $uri"; }
done
echo "installed under $prefix: bin/hillock, $mandir/man1/hillock.1, $lv2dir/hillock.lv2 ($n_installed presets); lilv runs both plugins from there"

# a user install: the prefix is the home folder, so the bundle goes to ~/.lv2
home=$tmp/home
mkdir -p "$home"
HOME=$home meson setup "$tmp/user" "$src" --prefix="$home" >"$tmp/setup.log" 2>&1 ||
    { tail -n 20 "$tmp/setup.log"; fail "meson setup --prefix=\$HOME"; }
meson introspect "$tmp/user" --installed >"$tmp/installed.json"
python3 - "$tmp/installed.json" "$home" <<'PY' || fail "user install: the bundle is not in ~/.lv2"
import json, sys
dest = json.load(open(sys.argv[1])).values()
home = sys.argv[2]
assert home + "/.lv2/hillock.lv2/hillock.so" in dest, sorted(dest)
assert home + "/bin/hillock" in dest, sorted(dest)
PY
echo "--prefix=\$HOME: the bundle goes to \$HOME/.lv2/hillock.lv2"
