#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fetch, once, Debian's busybox-static for ppc64el (the pseries guest's
# userland; it cannot be installed beside the host's amd64 one, so it is
# unpacked into build/busybox-ppc64le) and print the path of the binary.
. "$(dirname "$0")/lib.sh"

dir=$BUILD/busybox-ppc64le
bin=$dir/bin/busybox
if ! [ -x "$bin" ]; then
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	dpkg --print-foreign-architectures | grep -qx ppc64el ||
		$SUDO dpkg --add-architecture ppc64el
	if ! apt-cache show busybox-static:ppc64el >/dev/null 2>&1; then
		# (an index that fails to download, e.g. a mirror in sync, is
		# not fatal as long as the one with busybox-static comes)
		progress "apt-get update (ppc64el) (log: ${LOGS#"$TOP"/}/apt.log.ppc64el)" >&2
		$SUDO apt-get update >"$LOGS/apt.log.ppc64el" 2>&1 || true
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && apt-get download busybox-static:ppc64el) >"$LOGS/busybox-ppc64le.log" 2>&1 ||
		die "apt-get download busybox-static:ppc64el failed, see ${LOGS#"$TOP"/}/busybox-ppc64le.log"
	dpkg-deb -x "$dir"/busybox-static_*_ppc64el.deb "$dir" || die "dpkg-deb -x failed"
	[ -x "$bin" ] || die "no bin/busybox in busybox-static:ppc64el"
fi
echo "$bin"
