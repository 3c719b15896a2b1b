#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bring everything a guest run needs up to date, building only what is
# missing or stale: packages, build/linux, the kernel VARIANT (default
# "test"), the kselftests and the initramfs. With KARCH=ppc64le (or
# arm64), those of the pseries (or arm64 virt) guest: cross-built, into
# build/kselftest-KARCH and build/initramfs-KARCH.cpio.gz, with Debian's
# busybox of that architecture.
. "$(dirname "$0")/lib.sh"

variant=${1:-test}
shift 2>/dev/null
"$TOP/scripts/deps.sh" || exit 1
if ! [ -e "$TREE/.git" ]; then
	"$TOP/scripts/tree.sh" || exit 1
elif [ "$(tree_git rev-list --count base..HEAD)" = 0 ] && [ -s "$PATCHES/series" ]; then
	die "${TREE#"$TOP"/} has none of ${PATCHES#"$TOP"/}/ applied: run make tree"
fi
"$TOP/scripts/kernel.sh" "$variant" "$@" || exit 1

# Selftests: static binaries, so that the guest needs no libraries.
sfx=
cross_env
if [ -n "$DEBARCH" ]; then
	sfx=-$KARCH
	BUSYBOX=$("$TOP/scripts/busybox-cross.sh" "$DEBARCH") || exit 1
	export BUSYBOX
fi
ksft=$BUILD/kselftest$sfx
# The selftests build against the kernel's UAPI headers (the test client's
# ioctls are in linux/p2pdma_test.h): install them into the object tree.
run_logged "$LOGS/headers$sfx.log" "install the kernel's UAPI headers" \
	make -C "$TREE" O="$BUILD/obj-$variant" headers
run_logged "$LOGS/kselftest-build$sfx.log" "build and install the p2pdma kselftests" \
	make -C "$TREE/tools/testing/selftests" O="$BUILD/obj-$variant" TARGETS=p2pdma \
	LDFLAGS=-static install INSTALL_PATH="$ksft"
"$TOP/scripts/initramfs.sh" "$ksft" "$BUILD/initramfs$sfx.cpio.gz"
