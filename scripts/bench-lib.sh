# SPDX-License-Identifier: GPL-2.0
# Sourced by scripts/bench.sh and scripts/bench-prof.sh (after lib.sh):
# the machines of the benchmark and the TCG plugin's markers.

# shape SHAPE: topology, CMB of the provider (p2p1), CPU, and whether the
# P2P lists are also mapped for two clients in turn: the provider itself
# maps its own memory at bus addresses, while p2p0 maps it at bus
# addresses too (below a switch) or through the host bridge
shape() {
	case $1 in
	noprov) echo "switch 0 qemu64 0" ;;
	prov) echo "switch 64 qemu64 1" ;;
	hb) echo "rootports 64 EPYC 1" ;;
	iommu-noprov) echo "iommu 0 qemu64 0" ;;
	iommu) echo "iommu 64 qemu64 1" ;;
	hb-iommu) echo "rootports-iommu 64 EPYC 1" ;;
	*) return 1 ;;
	esac
}
SHAPES="noprov prov hb iommu-noprov iommu hb-iommu"

# sym OBJ SYMBOL: its address in OBJ/System.map
sym() {
	awk -v s="$2" '$3 == s { print "0x" $1; f = 1 } END { exit !f }' "$1/System.map" ||
		die "$2 not in $1/System.map"
}

# x86_64, 4-level paging, no KASLR: the struct page array and its size
VMEMMAP=0xffffea0000000000 VMEMMAP_END=0xffffeb0000000000

# plugin_markers OBJ: the plugin's options for the benchmark's marker
# functions in kernel OBJ and for the struct page array
plugin_markers() {
	printf 'start=%s,build=%s,map=%s,unmap=%s,end=%s,vmemmap=%s,vmemmap_end=%s' \
		"$(sym "$1" dma_map_benchmark_sg_start)" \
		"$(sym "$1" dma_map_benchmark_sg_build_begin)" \
		"$(sym "$1" dma_map_benchmark_sg_map_begin)" \
		"$(sym "$1" dma_map_benchmark_sg_unmap_begin)" \
		"$(sym "$1" dma_map_benchmark_sg_end)" "$VMEMMAP" "$VMEMMAP_END"
}
