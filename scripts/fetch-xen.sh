#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Download Debian 12's Xen 4.17 hypervisor and leave it, gunzipped, as
# build/xen/xen-4.17 (QEMU's multiboot loader takes an ELF, not the
# gzipped image Debian installs), without touching the machine's apt or
# dpkg state: a private apt configuration under build/xen/apt (bookworm
# and bookworm-security, amd64), apt-get download and dpkg-deb -x, not
# apt-get install, whose hooks would change the machine's GRUB. The
# version recorded here is checked against its SHA256; if the archive no
# longer has it, the newest 4.17 is taken (apt has verified it against
# Debian's signed index) with a note.
. "$(dirname "$0")/lib.sh"

XEN_PKG=xen-hypervisor-4.17-amd64
XEN_TESTED=4.17.7+13-g2445b30a44-0+deb12u1
XEN_SHA256=fc074298a677325306662eea382cc4503339b8e1f4db54b24702b0b07cf6741d
X=$BUILD/xen

[ -f "$X/xen-4.17" ] && [ -f "$X/version" ] && exit 0

rm -rf "$X"
k=/usr/share/keyrings/debian-archive-keyring.gpg
private_apt_init "$X/apt" "deb [arch=amd64 signed-by=$k] http://deb.debian.org/debian bookworm main
deb [arch=amd64 signed-by=$k] http://deb.debian.org/debian-security bookworm-security main"
private_apt_fetch "$X/apt" "$LOGS/xen-apt.log" bookworm "$XEN_PKG" "$XEN_TESTED" \
	"$XEN_SHA256" scripts/fetch-xen.sh
ver=$FETCHED_VER deb=$FETCHED_DEB
dpkg-deb -x "$deb" "$X/pkg" || die "cannot unpack $deb"
gzip -dc "$X/pkg/boot/xen-4.17-amd64.gz" >"$X/xen-4.17" ||
	die "$deb has no boot/xen-4.17-amd64.gz"
echo "$ver" >"$X/version"
rm -rf "$X/deb" "$X/pkg"
progress "$XEN_PKG $ver: unpacked, build/xen/xen-4.17 (ELF) ready"
