#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install, once, the Debian packages the harness needs.
. "$(dirname "$0")/lib.sh"

# The base's source package is not installed but fetched (fetch-base.sh,
# which needs apt, dpkg-deb and Debian's archive keyring). Debian's
# coccinelle lacks two things spatch needs for script rules: ocaml-nox, as
# it compiles the OCaml rules of some of the kernel's scripts (lint runs
# them) with ocamlfind/ocamlopt, and libpython3-dev, as it opens
# libpython3.X.so, a name only the -dev package provides, for the Python
# rules of the series' own script. b4 (make lint): each submission's mbox
# must give back, through "b4 am", patches that apply to its base. make
# fresh checks this list on a new Debian root.
PKGS="debian-archive-keyring build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod
dwarves ccache coccinelle ocaml-nox libpython3-dev rsync python3 python3-ply python3-git qemu-system-x86 qemu-utils busybox-static git b4
gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross qemu-system-ppc"
# The arm64 guest of make check-long: its cross compiler and C library (the
# kselftests are static), QEMU's virt machine, dtc for its device tree
if [ "${KARCH:-}" = arm64 ] || [ "${CHECK_LONG:-0}" = 1 ]; then
	PKGS="$PKGS gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm device-tree-compiler"
fi

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
run_logged "$LOGS/apt.log" "apt-get update" $SUDO apt-get update
run_logged "$LOGS/apt.log.install" "apt-get install$missing" \
	$SUDO apt-get install -y --no-install-recommends $missing
