#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build a sparse that Linux 7.3 accepts into build/sparse/sparse, and print
# its path.
#
# Linux 7.3 checks that its checker knows __typeof_unqual__
# (scripts/checker-valid.sh) and otherwise turns C=2 off with only a make
# warning: Debian 12's sparse 0.6.4 (and Debian 13's) do not, so "make C=2"
# with them checks nothing. 0.6.5-rc1 does. Its source comes from Debian
# unstable, through a private apt configuration (deb-src only; apt checks
# the files against the signed index), and is built without installing
# anything: sparse needs nothing but a C compiler and make.
. "$(dirname "$0")/lib.sh"

SPARSE_TESTED=0.6.5~rc1-2
SPARSE_ORIG_SHA256=3ac8855ec7f3ab92f325be0f64347ccc2b10f8b4d7c2906783ee8e2bdab3f0de
S=$BUILD/sparse

if [ -x "$S/sparse" ] && "$TREE/scripts/checker-valid.sh" "$S/sparse" -m64 >"$S/valid" 2>/dev/null &&
	[ "$(cat "$S/valid")" = 1 ]; then
	echo "$S/sparse"
	exit 0
fi

rm -rf "$S"
mkdir -p "$S/src" "$LOGS"
private_apt_init "$S/apt" "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main"
run_logged "$LOGS/sparse-apt.log" "apt-get update (sid sources, private lists under ${S#"$TOP"/}/apt)" \
	private_apt "$S/apt" apt-get update >&2 || exit 1
versions=$(private_apt "$S/apt" apt-cache showsrc sparse 2>/dev/null | sed -n 's/^Version: //p')
[ -n "$versions" ] || die "no sparse source in Debian unstable (see ${LOGS#"$TOP"/}/sparse-apt.log)"
if printf '%s\n' "$versions" | grep -qxF "$SPARSE_TESTED"; then
	ver=$SPARSE_TESTED
else
	ver=$(printf '%s\n' "$versions" | sort -V | tail -n 1)
	echo "note: sparse $SPARSE_TESTED is gone from Debian unstable; using $ver" >&2
fi
chmod 0777 "$S/src"
(cd "$S/src" && run_logged "$LOGS/sparse-apt.log.source" "apt-get source --download-only sparse=$ver" \
	private_apt "$S/apt" apt-get source --download-only "sparse=$ver") >&2 || exit 1
orig=$(ls "$S"/src/sparse_*.orig.tar.*)
if [ "$ver" = "$SPARSE_TESTED" ]; then
	echo "$SPARSE_ORIG_SHA256  $orig" | sha256sum -c --quiet - >&2 ||
		die "$orig does not have the SHA256 recorded in scripts/sparse.sh"
fi
tar -xf "$orig" -C "$S/src" || die "cannot unpack $orig"
dir=$(ls -d "$S"/src/sparse-*/ | head -n 1)
run_logged "$LOGS/sparse-build.log" "build sparse $ver" make -C "$dir" -j2 sparse >&2 || exit 1
cp "$dir/sparse" "$S/sparse"
[ "$("$TREE/scripts/checker-valid.sh" "$S/sparse" -m64)" = 1 ] ||
	die "sparse $ver does not pass ${TREE#"$TOP"/}/scripts/checker-valid.sh"
echo "$S/sparse"
