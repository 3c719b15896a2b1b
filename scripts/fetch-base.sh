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
mkdir -p "$APT/deb" "$LOGS"

run_logged "$LOGS/apt-base.log" "apt-get update ($BASE_SUITE, private lists under ${APT#"$TOP"/})" \
	private_apt "$APT" apt-get update
versions=$(private_apt "$APT" apt-cache madison "$BASE_PKG" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
[ -n "$versions" ] || die "$BASE_PKG is not in $BASE_SUITE (see ${LOGS#"$TOP"/}/apt-base.log)"
if printf '%s\n' "$versions" | grep -qxF "$BASE_TESTED"; then
	ver=$BASE_TESTED
else
	ver=$(printf '%s\n' "$versions" | sort -V | tail -n 1)
	echo "note: $BASE_PKG $BASE_TESTED is gone from $BASE_SUITE; using $ver (the series was last tested on $BASE_TESTED)"
fi
# apt-get download writes to the current directory; as root it warns that
# the _apt user cannot write there, so let it.
chmod 0777 "$APT/deb"
(cd "$APT/deb" && run_logged "$LOGS/apt-base.log.download" "apt-get download $BASE_PKG=$ver" \
	private_apt "$APT" apt-get download "$BASE_PKG=$ver") || exit 1
deb=$(ls "$APT"/deb/"${BASE_PKG}"_*.deb)
if [ "$ver" = "$BASE_TESTED" ]; then
	echo "$BASE_SHA256  $deb" | sha256sum -c --quiet - ||
		die "$deb does not have the SHA256 recorded in scripts/lib.sh"
fi
run_logged "$LOGS/unpack-deb.log" "unpack $(basename "$deb")" dpkg-deb -x "$deb" "$BUILD/base"
[ -f "$BASE_TARBALL" ] || die "$deb has no $(basename "$BASE_TARBALL")"
echo "$ver" >"$BUILD/base/version"
rm -f "$deb"
[ "$(apt_state | sha256sum)" = "$before" ] ||
	die "the machine's apt or dpkg state changed while $BASE_PKG was fetched"
progress "$BASE_PKG $ver: SHA256 checked, unpacked; the machine's apt state is unchanged"
