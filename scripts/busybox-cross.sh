#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fetch, once, Debian's busybox-static for a foreign architecture (the
# userland of the pseries and arm64 guests; it cannot be installed beside
# the host's amd64 one, so it is unpacked into build/busybox-DEBARCH) and
# print the path of the binary.
#
#   scripts/busybox-cross.sh DEBARCH    (ppc64el, arm64)
. "$(dirname "$0")/lib.sh"

a=${1:?Debian architecture}
dir=$BUILD/busybox-$a
bin=$dir/bin/busybox
if ! [ -x "$bin" ]; then
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	dpkg --print-foreign-architectures | grep -qx "$a" ||
		$SUDO dpkg --add-architecture "$a"
	if ! apt-cache show "busybox-static:$a" >/dev/null 2>&1; then
		# (an index that fails to download, e.g. a mirror in sync, is
		# not fatal as long as the one with busybox-static comes)
		progress "apt-get update ($a) (log: ${LOGS#"$TOP"/}/apt.log.$a)" >&2
		$SUDO apt-get update >"$LOGS/apt.log.$a" 2>&1 || true
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && apt-get download "busybox-static:$a") >"$LOGS/busybox-$a.log" 2>&1 ||
		die "apt-get download busybox-static:$a failed, see ${LOGS#"$TOP"/}/busybox-$a.log"
	dpkg-deb -x "$dir"/busybox-static_*_"$a".deb "$dir" || die "dpkg-deb -x failed"
	[ -x "$bin" ] || die "no bin/busybox in busybox-static:$a"
fi
echo "$bin"
