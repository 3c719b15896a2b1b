#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: exact per-entry costs of building (sg_set_page), mapping
# (dma_map_sg) and unmapping scatterlists, on four kernels:
#   base     the base kernel (7.3) with the series' benchmark patch alone
#            (mainline's own loops, none of the series' fixes)
#   7.3+key  base plus the key submission: is_pci_p2pdma_page() behind a
#            static key that the first provider turns on, the smallest
#            change a maintainer could propose instead of the scatterlist
#            bit, without any of the fixes or of what follows
#   patched  the whole series
#   P2P=n    the whole series with CONFIG_PCI_P2PDMA=n (no check at all)
# each booted on six machines (shapes): dma-direct and intel-iommu
# (dma-iommu), each without a P2PDMA provider (no CMB), with one below the
# same switch as the benchmarked device (bus addresses), and with one
# behind the host bridge (separate root ports and an AMD Zen CPU, which
# 7.3 trusts to route P2P). The benchmarked device, p2p0, has no CMB: its
# P2P memory is always a peer's.
# A QEMU TCG plugin (bench/sgcount.c) counts the instructions executed and
# the loads from the struct page array between the benchmark's marker
# functions: exact and repeatable, unlike TCG wall-clock time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bench-lib.sh"

B=$BUILD/bench
mkdir -p "$B"
"$TOP/scripts/deps.sh" || exit 1
[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh" || exit 1

# The plugin API header comes from Debian's qemu source package.
hdr=$B/qemu-plugin/qemu-plugin.h
if [ ! -f "$hdr" ]; then
	# A private apt configuration (lib.sh): the machine's sources stay as
	# they are, and its indexes are not needed.
	private_apt_init "$B/apt-src" "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main"
	mkdir -p "$B/qemu-src" "$B/qemu-plugin"
	chmod 0777 "$B/qemu-src"
	run_logged "$LOGS/bench-qemu-src.log" "apt-get update (bookworm sources, private lists)" \
		private_apt "$B/apt-src" apt-get update
	(cd "$B/qemu-src" && run_logged "$LOGS/bench-qemu-src.log.download" \
		"download Debian's qemu source (plugin header)" \
		private_apt "$B/apt-src" apt-get source --download-only qemu) || exit 1
	tar -C "$B/qemu-src" -xJf "$B"/qemu-src/qemu_*.orig.tar.xz --wildcards '*/include/qemu/qemu-plugin.h' ||
		die "no qemu-plugin.h in the qemu source"
	cp "$B"/qemu-src/*/include/qemu/qemu-plugin.h "$hdr"
fi
gcc -shared -fPIC -O2 -Wall -I"$B/qemu-plugin" -o "$B/sgcount.so" "$TOP/bench/sgcount.c" ||
	die "building the TCG plugin failed"

# The three kernels. "base" is built in a worktree: the base with the
# benchmark patch alone applied to it.
bm=$(tree_git log --format=%H --fixed-strings \
	--grep='dma-mapping: benchmark: ' base..HEAD | head -n 1)
[ -n "$bm" ] || die "the series has no benchmark patch"
# BENCH_ONLY="test" (for instance) boots only the kernels named and reuses
# the others' last results: for quick iterations on the series.
only=${BENCH_ONLY:-bench-base bench-sk test bench-nop2p}
wants() { case " $only " in *" $1 "*) return 0 ;; esac; return 1; }
# base_tree DIR [COMMIT]: DIR, a worktree of the base with the benchmark
# patch (and COMMIT of the series) applied, not committed
base_tree() {
	[ -d "$1" ] || tree_git worktree add -q --detach "$1" base || die "worktree $1"
	git -C "$1" checkout -q -f --detach base || die "checkout base in $1"
	git -C "$1" clean -q -f -d || die "git clean in $1"
	git -C "$1" cherry-pick -n "$bm" >/dev/null ||
		die "the benchmark patch does not apply to the base alone"
	if [ -n "${2:-}" ]; then
		git -C "$1" cherry-pick -n "$2" >/dev/null ||
			die "$(tree_git log -1 --format=%s "$2") does not apply to the base"
	fi
}
wt=$BUILD/bench-base-tree
if wants bench-base; then
	base_tree "$wt"
	# without the KUnit suites that the series' size kernel (bench-size)
	# leaves out too, so that the text size compares the same code
	KCONFIG_ALLOW_MISSING=1 TREE=$wt "$TOP/scripts/kernel.sh" bench-base \
		no-series-tests.config || exit 1
fi
if wants bench-sk; then
	key=$(tree_git log --format=%H --fixed-strings \
		--grep='mm/memremap: test PCI P2PDMA pages only once a provider exists' \
		base..HEAD | head -n 1)
	[ -n "$key" ] || die "the series has no provider key patch"
	base_tree "$BUILD/bench-sk-tree" "$key"
	KCONFIG_ALLOW_MISSING=1 TREE=$BUILD/bench-sk-tree "$TOP/scripts/kernel.sh" bench-sk || exit 1
fi
if wants test; then
	"$TOP/scripts/kernel.sh" test || exit 1
fi
if wants bench-nop2p; then
	"$TOP/scripts/kernel.sh" bench-nop2p no-p2pdma.config || exit 1
fi

# The benchmark's userspace tool, static, from the patched tree, and its
# options for upstream's scatterlist mode with counting windows of N
# entries (-m 1 -c -g N) and for P2P memory (-p).
make -s -C "$TREE" O="$BUILD/obj-test" headers >/dev/null 2>&1 || die "make headers"
tool=$TREE/tools/dma/dma_map_benchmark.c
sg_args="-m 1 -c -g"
gcc -static -O2 -Wall -I"$BUILD/obj-test/usr/include" -I"$TREE/include" \
	-o "$B/dma_map_benchmark" "$tool" || die "building dma_map_benchmark failed"
[ -f "$BUILD/initramfs.cpio.gz" ] || "$TOP/scripts/initramfs.sh"

# fnranges OBJ FUNCTION...: "START:END" of the text of each function and
# of each of its clones (GCC's .cold, .part.N, .isra.N, .constprop.N), END
# being the next symbol's address
fnranges() {
	obj=$1
	shift
	awk -v names="$*" '
	BEGIN { n = split(names, want, " ") }
	function wanted(s,   i, base) {
		base = s
		sub(/\..*/, "", base)
		for (i = 1; i <= n; i++)
			if (base == want[i] && (s == base || s ~ /^[^.]+(\.(cold|part|isra|constprop|localalias)(\.[0-9]+)?)+$/))
				return 1
		return 0
	}
	f && $1 != a { print "0x" a ":0x" $1; f = 0 }
	!f && wanted($3) { a = $1; f = 1 }' "$obj/System.map"
}
# dma-iommu's own code on the scatterlist paths and iommu_map_sg(), which
# it calls once per list (the series: once per run of MMIO), counted
# apart from what they call: the IOVA allocator and the IOMMU page tables
# cost more and vary by a third between boots of one kernel with the
# state of their caches
IOMMU_OWN="iommu_dma_map_sg __iommu_dma_map_sg __iommu_dma_map_sg_p2pdma iommu_dma_unmap_sg __finalise_sg __invalidate_sg iommu_dma_map_sg_mmio iommu_dma_map_sg_p2pdma iommu_dma_map_sg_p2pdma_run iommu_dma_p2pdma_state_init iommu_map_sg __iommu_map_sg iommu_map_sg_p2pdma iommu_get_dma_domain dma_map_sg_attrs __dma_map_sg_attrs dma_unmap_sg_attrs sg_next"
# and every function of drivers/pci/p2pdma.c, where the per-list P2PDMA
# work of either kernel is (the provider lookup, the map type)
p2pdma_fns() {
	[ -f "$1/drivers/pci/p2pdma.o" ] || return 0
	nm "$1/drivers/pci/p2pdma.o" |
		awk '$2 ~ /^[tT]$/ { n = $3; sub(/\..*/, "", n); print n }' | sort -u
}


for k in $only; do
	obj=$BUILD/obj-$k
	for p in $SHAPES; do
		# shellcheck disable=SC2046
		set -- $(shape $p)
		topo=$1 cmb=$2 cpu=$3 alt=$4
		plug="file=$B/sgcount.so,$(plugin_markers "$obj"),out=$B/$k-$p.windows"
		# the first 1000 loops of each run: enough for a median
		plug="$plug,max=1000"
		# shellcheck disable=SC2086
		for r in $(fnranges "$obj" $IOMMU_OWN $(p2pdma_fns "$obj")); do
			plug="$plug,self=$r"
		done
		# the IOMMU page table calls of dma-iommu per list: iommu_map_nosync()
		# and the IOTLB sync after them (iommu_sync_map(), inlined into
		# iommu_map_sg(), calls intel-iommu's)
		plug="$plug,calls=$(sym "$obj" iommu_map_nosync),calls=$(sym "$obj" intel_iommu_iotlb_sync_map)"
		VM_CMB_MB=$cmb VM_CMB0_MB=0 VM_CPU=$cpu VM_APPEND=nokaslr \
			VM_QEMU_ARGS="-plugin $plug" VM_JOB_FILES="$B/dma_map_benchmark" \
			VM_TIMEOUT=900 "$TOP/scripts/vm.sh" "$topo" "$k" bench "bench-$k-$p" \
			BENCH_SG="$sg_args" BENCH_ALT="$alt" ||
			die "benchmark boot $k/$p failed: see build/logs/bench-$k-$p.out"
		tr -d '\r' <"$LOGS/bench-$k-$p.out" | grep '^RUN ' >"$B/$k-$p.runs"
		progress "benchmark $k/$p: $(grep -c ' ok$' "$B/$k-$p.runs") runs"
	done
done

# Text size: vmlinux of the base kernel against the series built with the
# same options (its test client and KUnit tests off), with the kernel's
# own scripts/bloat-o-meter. In $B/bloat.txt; the total is printed.
if wants bench-base; then
	"$TOP/scripts/kernel.sh" bench-size no-series-tests.config || exit 1
	"$TREE/scripts/bloat-o-meter" "$BUILD/obj-bench-base/vmlinux" \
		"$BUILD/obj-bench-size/vmlinux" >"$B/bloat.txt" ||
		die "bloat-o-meter failed"
	progress "text size, base -> series (P2PDMA=y, same options): $(grep '^Total:' "$B/bloat.txt")"
fi

"$TOP/scripts/bench-table.sh" "$B"
