#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bisect: every commit of the series (base..HEAD of build/linux) must
# build, with CONFIG_PCI_P2PDMA=y and =n, kernel and p2pdma selftests; and
# each fix submission alone on the base.
# Runs in a separate worktree (build/bench-base-tree) with the object dirs
# of "make bench" (bench-base: P2PDMA=y, bench-nop2p: P2PDMA=n), so that
# build/linux and build/obj-test are untouched and the two share their
# builds. Do not run both at once. Each commit also compiles the objects
# of the dma_map_ops that other configs build: Xen's swiotlb and the AMD
# GART (x86, configs/xen-gart.config) and the powerpc TCE IOMMU (pseries,
# cross-compiled).
#
# BISECT_FROM=COMMIT checks only the commits after COMMIT.
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no build/linux: run make tree"
wt=$BUILD/bench-base-tree
commits=$(tree_git rev-list --reverse "${BISECT_FROM:-base}"..HEAD)
[ -n "$commits" ] || { progress "empty series: nothing to bisect"; exit 0; }
if ! [ -d "$wt" ]; then
	tree_git worktree add -q --detach "$wt" base || die "git worktree add failed"
fi
n=0 total=$(echo "$commits" | wc -l) bad=
for c in $commits; do
	n=$((n + 1))
	# -f: make bench leaves the benchmark patch applied to the base here
	git -C "$wt" checkout -q -f --detach "$c" || die "checkout $c"
	subj=$(git -C "$wt" log -1 --format=%s "$c")
	for v in y n; do
		frag= obj=bench-base
		[ $v = n ] && frag=no-p2pdma.config obj=bench-nop2p
		progress "[$n/$total] P2PDMA=$v: $subj"
		# the p2pdma selftests, once a commit has them, against the
		# commit's UAPI headers (the test client's ioctls are there)
		if ! KCONFIG_ALLOW_MISSING=1 TREE=$wt "$TOP/scripts/kernel.sh" $obj $frag >"$LOGS/bisect-$v.log" 2>&1 ||
			{ [ -d "$wt/tools/testing/selftests/p2pdma" ] &&
			! { make -C "$wt" O="$BUILD/obj-$obj" headers &&
			make -C "$wt/tools/testing/selftests" O="$BUILD/obj-$obj" \
				TARGETS=p2pdma; } >>"$LOGS/bisect-$v.log" 2>&1; }; then
			tail -n 20 "$LOGS/bisect-$v.log"
			bad="$bad
  $(git -C "$wt" log -1 --format='%h %s' "$c") (P2PDMA=$v)"
		fi
	done
	for spec in "x86:xen-gart.config:arch/x86/kernel/amd_gart_64.o drivers/xen/swiotlb-xen.o" \
		"ppc64le::arch/powerpc/kernel/iommu.o arch/powerpc/kernel/dma-iommu.o"; do
		karch=${spec%%:*} rest=${spec#*:}
		frag=${rest%%:*} objs=${rest#*:}
		progress "[$n/$total] $karch dma_map_ops objects: $subj"
		# shellcheck disable=SC2086
		if ! KCONFIG_ALLOW_MISSING=1 KARCH=$karch KTARGET="$objs kernel/dma/mapping.o" \
			TREE=$wt "$TOP/scripts/kernel.sh" "bisect-$karch" $frag \
			>"$LOGS/bisect-$karch.log" 2>&1; then
			tail -n 20 "$LOGS/bisect-$karch.log"
			bad="$bad
  $(git -C "$wt" log -1 --format='%h %s' "$c") ($karch dma_map_ops)"
		fi
	done
done
[ -z "$bad" ] || die "these commits do not build:$bad"
progress "all $total commits build with CONFIG_PCI_P2PDMA=y and =n"

# Each fix submission on its own (submissions/bases.txt: "NAME: base"), as
# a maintainer applies it to pristine 7.3.4: it builds with
# CONFIG_PCI_P2PDMA=y.
for name in $(sed -n 's/^\([a-z0-9-]*\): base$/\1/p' "$TOP/submissions/bases.txt"); do
	d=$(cd "$PATCHES" && ls -d [0-9][0-9]-"$name") || die "no patches/NN-$name"
	git -C "$wt" checkout -q -f --detach base || die "checkout base"
	for p in $(cat "$PATCHES/$d/series"); do
		git -C "$wt" -c user.name="$P2P_NAME" -c user.email="$P2P_EMAIL" \
			am -q --keep-cr "$PATCHES/$d/$p" || die "$d/$p does not apply to the base"
	done
	progress "$d alone on the base: P2PDMA=y"
	KCONFIG_ALLOW_MISSING=1 TREE=$wt "$TOP/scripts/kernel.sh" bench-base \
		>"$LOGS/bisect-$name.log" 2>&1 ||
		{ tail -n 20 "$LOGS/bisect-$name.log"; bad="$bad
  $d alone on the base"; }
done
[ -z "$bad" ] || die "these do not build:$bad"
progress "each fix submission builds alone on the base"

# 32-bit: SG_PCI_P2PDMA is 0 there and all of it must compile away. Build
# the objects of the series' files and the heaviest scatterlist users on
# i386 (allnoconfig + PCI and block), at HEAD.
o32=$BUILD/obj-i386
mkdir -p "$o32"
printf 'CONFIG_PCI=y\nCONFIG_BLOCK=y\nCONFIG_DEBUG_FS=y\nCONFIG_DMA_MAP_BENCHMARK=y\n' >"$o32/want.config"
run_logged "$LOGS/bisect-i386.log" "i386 (32-bit) build of the scatterlist users at HEAD" \
	sh -c 'make -C "$1" O="$2" ARCH=i386 CC="ccache gcc" allnoconfig KCONFIG_ALLCONFIG="$2/want.config" &&
		make -C "$1" O="$2" ARCH=i386 CC="ccache gcc" -j"$3" lib/scatterlist.o \
			kernel/dma/direct.o kernel/dma/mapping.o kernel/dma/map_benchmark.o \
			block/blk-merge.o drivers/pci/' \
	sh "$TREE" "$o32" "$(nproc)"
progress "i386 builds"
