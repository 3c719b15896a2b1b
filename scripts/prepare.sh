#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bring everything a guest run needs up to date, building only what is
# missing or stale: packages, build/linux, the kernel VARIANT (default
# "test"), the kselftests and the initramfs.
. "$(dirname "$0")/lib.sh"

variant=${1:-test}
shift 2>/dev/null
"$TOP/scripts/deps.sh" || exit 1
if ! [ -d "$TREE/.git" ]; then
	"$TOP/scripts/tree.sh" || exit 1
elif [ "$(tree_git rev-list --count base..HEAD)" = 0 ] && [ -s "$TOP/patches/series" ]; then
	die "build/linux has none of patches/ applied: run make tree"
fi
"$TOP/scripts/kernel.sh" "$variant" "$@" || exit 1

# Selftests: static binaries, so that the guest needs no libraries.
ksft=$BUILD/kselftest
run_logged "$LOGS/kselftest-build.log" "build and install the p2pdma kselftests" \
	make -C "$TREE/tools/testing/selftests" O="$BUILD/obj-$variant" TARGETS=p2pdma \
	LDFLAGS=-static install INSTALL_PATH="$ksft"
"$TOP/scripts/initramfs.sh" "$ksft" "$BUILD/initramfs.cpio.gz"
