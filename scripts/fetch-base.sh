#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Download Debian's linux-source-7.3 from trixie-backports and
# unpack it under build/base, without touching the machine's apt state.
#
# apt-get runs with a private configuration: its own sources list (amd64
# only, signed by Debian's archive keyring), lists, cache and an empty
# preferences directory, all under build/apt. Nothing is installed: the
# .deb is downloaded and unpacked with dpkg-deb. The version recorded in
# lib.sh (BASE_TESTED) is checked against its SHA256 (BASE_SHA256); if the
# pool no longer has it, the newest 7.3.y is taken (apt has verified it
# against Debian's signed index) with a note.
. "$(dirname "$0")/lib.sh"

[ -f "$BASE_TARBALL" ] && [ -f "$BUILD/base/version" ] && exit 0

# What the machine's apt and dpkg know: must be the same afterwards.
apt_state() {
	ls -l --time-style=+%s /etc/apt /etc/apt/sources.list.d /etc/apt/preferences.d \
		/var/lib/apt/lists /var/cache/apt/archives 2>/dev/null
	cat /etc/apt/sources.list /etc/apt/sources.list.d/* /var/lib/dpkg/status 2>/dev/null
}
before=$(apt_state | sha256sum)

APT=$BUILD/apt
rm -rf "$BUILD/base"
# linux-source is "Architecture: all", in the amd64 index.
private_apt_init "$APT" "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $BASE_SUITE main"
private_apt_fetch "$APT" "$LOGS/apt-base.log" "$BASE_SUITE" "$BASE_PKG" "$BASE_TESTED" \
	"$BASE_SHA256" scripts/lib.sh
ver=$FETCHED_VER deb=$FETCHED_DEB
run_logged "$LOGS/unpack-deb.log" "unpack $(basename "$deb")" dpkg-deb -x "$deb" "$BUILD/base"
[ -f "$BASE_TARBALL" ] || die "$deb has no $(basename "$BASE_TARBALL")"
echo "$ver" >"$BUILD/base/version"
rm -f "$deb"
[ "$(apt_state | sha256sum)" = "$before" ] ||
	die "the machine's apt or dpkg state changed while $BASE_PKG was fetched"
progress "$BASE_PKG $ver: SHA256 checked, unpacked; the machine's apt state is unchanged"
