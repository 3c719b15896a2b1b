#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: exact per-entry costs of building (sg_set_page), mapping
# (dma_map_sg) and unmapping scatterlists, on three kernels:
#   base     the base kernel + the series up to its benchmark patch (no
#            optimisation: mainline's own loops)
#   patched  the whole series
#   P2P=n    the whole series with CONFIG_PCI_P2PDMA=n (no check at all)
# each booted with a P2PDMA provider (NVMe CMB) and without one (no CMB).
# A QEMU TCG plugin (bench/sgcount.c) counts the instructions executed and
# the loads from the struct page array between the benchmark's marker
# functions: exact and repeatable, unlike TCG wall-clock time.
. "$(dirname "$0")/lib.sh"

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

# The three kernels. "base" is built in a worktree at the benchmark patch.
bm=$(tree_git log --format=%H --fixed-strings \
	--grep='dma-mapping: benchmark: ' base..HEAD | head -n 1)
[ -n "$bm" ] || die "the series has no benchmark patch"
# BENCH_ONLY="test" (for instance) boots only the kernels named and reuses
# the others' last results: for quick iterations on the series.
only=${BENCH_ONLY:-bench-base test bench-nop2p}
wants() { case " $only " in *" $1 "*) return 0 ;; esac; return 1; }
wt=$BUILD/bench-base-tree
if wants bench-base; then
	[ -d "$wt" ] || tree_git worktree add -q --detach "$wt" "$bm" || die "worktree"
	git -C "$wt" checkout -q --detach "$bm" || die "checkout $bm"
	KCONFIG_ALLOW_MISSING=1 TREE=$wt "$TOP/scripts/kernel.sh" bench-base || exit 1
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
sg_args="-m 1 -c -g" p2p_arg=-p
gcc -static -O2 -Wall -I"$BUILD/obj-test/usr/include" -I"$TREE/include" \
	-o "$B/dma_map_benchmark" "$tool" || die "building dma_map_benchmark failed"
[ -f "$BUILD/initramfs.cpio.gz" ] || "$TOP/scripts/initramfs.sh"

sym() {
	awk -v s="$2" '$3 == s { print "0x" $1; f = 1 } END { exit !f }' "$1/System.map" ||
		die "$2 not in $1/System.map"
}
# fnrange OBJ FUNCTION: "START:END" of its text (END: the next symbol's address)
fnrange() {
	awk -v s="$2" 'f && $1 != a { print "0x" a ":0x" $1; exit } $3 == s { a = $1; f = 1 }' \
		"$1/System.map"
}
# x86_64, 4-level paging, no KASLR: the struct page array and its size
VMEMMAP=0xffffea0000000000 VMEMMAP_END=0xffffeb0000000000

for k in $only; do
	obj=$BUILD/obj-$k
	# prov: a CMB (P2PDMA pages exist), dma-direct; noprov: no CMB;
	# iommu: a CMB and intel-iommu (dma-iommu maps the lists)
	for p in prov noprov iommu; do
		cmb=64 topo=switch
		[ $p = noprov ] && cmb=0
		[ $p = iommu ] && topo=iommu
		plug="file=$B/sgcount.so,start=$(sym "$obj" dma_map_benchmark_sg_start)"
		plug="$plug,build=$(sym "$obj" dma_map_benchmark_sg_build_begin)"
		plug="$plug,map=$(sym "$obj" dma_map_benchmark_sg_map_begin)"
		plug="$plug,unmap=$(sym "$obj" dma_map_benchmark_sg_unmap_begin)"
		plug="$plug,end=$(sym "$obj" dma_map_benchmark_sg_end)"
		plug="$plug,vmemmap=$VMEMMAP,vmemmap_end=$VMEMMAP_END,out=$B/$k-$p.windows"
		# dma-iommu's own loops, counted apart from what they call
		for f in iommu_dma_map_sg iommu_dma_unmap_sg; do
			r=$(fnrange "$obj" $f)
			[ -n "$r" ] && plug="$plug,self=$r"
		done
		VM_CMB_MB=$cmb VM_APPEND=nokaslr VM_QEMU_ARGS="-plugin $plug" \
			VM_JOB_FILES="$B/dma_map_benchmark" VM_TIMEOUT=600 \
			"$TOP/scripts/vm.sh" "$topo" "$k" bench "bench-$k-$p" \
			BENCH_SG="$sg_args" BENCH_P2P="$p2p_arg" ||
			die "benchmark boot $k/$p failed"
		tr -d '\r' <"$LOGS/bench-$k-$p.out" | grep '^RUN ' >"$B/$k-$p.runs"
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
