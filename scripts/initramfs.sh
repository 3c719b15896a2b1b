#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the guest's base initramfs: Debian's busybox-static, guest/init and
# the installed kselftests (build/kselftest). Jobs are appended to it as a
# second cpio archive by scripts/vm.sh.
#
#   scripts/initramfs.sh [KSFT [OUT]]
#
# BUSYBOX: the busybox binary to put in (default the host's /bin/busybox;
# the pseries guest's comes from scripts/busybox-cross.sh). Its applets
# are those of the host's busybox, the same Debian version.
. "$(dirname "$0")/lib.sh"

KSFT=${1:-$BUILD/kselftest}
out=${2:-$BUILD/initramfs.cpio.gz}
root=${out%.cpio.gz}.d
rm -rf "$root"
mkdir -p "$root/bin" "$root/sbin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
	"$root/job" "$root/usr/bin"
cp "${BUSYBOX:-/bin/busybox}" "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	case $a in
	# runner.sh calls /usr/bin/timeout with a GNU option busybox lacks:
	# guest/timeout is that, over busybox's
	busybox|timeout) ;;
	*) ln -s busybox "$root/bin/$a" ;;
	esac
done
cp "$TOP/guest/timeout" "$root/usr/bin/timeout"
chmod +x "$root/usr/bin/timeout"
cp "$TOP/guest/init" "$root/init"
cp "$TOP/guest/lib.sh" "$root/lib.sh"
chmod +x "$root/init"
[ -d "$KSFT" ] && cp -a "$KSFT" "$root/kselftest"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out"
