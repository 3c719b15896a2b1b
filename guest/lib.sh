# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest jobs, installed as /lib.sh in the initramfs.

# bdf_of SERIAL: PCI address of the NVMe controller the host gave SERIAL
bdf_of() {
	for c in /sys/class/nvme/nvme*; do
		read -r serial <"$c/serial"
		if [ "$serial" = "$1" ]; then
			basename "$(readlink -f "$c/device")"
			return 0
		fi
	done
	echo "no NVMe controller with serial $1" >&2
	return 1
}

# kmemleak_report: on a kernel with kmemleak, scan for leaks after the tests
# (twice: an object is reported once it was unreferenced in both scans)
# and say how many there are on the console, where the host looks for
# reports, and in the job's output with the first of them. kmemleak does
# not report objects younger than 5 s: what the last test leaked must age
# first.
# A scan that fails (kmemleak off after an error of its own) says so
# instead of a count, which the host takes for a failure.
kmemleak_report() {
	[ -e /sys/kernel/debug/kmemleak ] || return 0
	sleep 6
	if ! echo scan >/sys/kernel/debug/kmemleak || ! sleep 1 ||
	   ! echo scan >/sys/kernel/debug/kmemleak; then
		echo "kmemleak: scan failed" | tee /dev/kmsg
		return 1
	fi
	n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	echo "kmemleak: $n unreferenced objects" | tee /dev/kmsg
	head -n 60 /sys/kernel/debug/kmemleak
}

# tracefs, mounted if need be
tracing() {
	t=/sys/kernel/tracing
	[ -e $t/kprobe_events ] || mount -t tracefs tracefs $t
}

# bar_filter: a filter of kprobe events, true where their "paddr" is in a
# memory BAR of a PCI device (BARs 0-5 of each: "start end flags" in its
# resource file, IORESOURCE_MEM is 0x200)
bar_filter() {
	filter=$(for d in /sys/bus/pci/devices/*; do head -n 6 "$d/resource"; done |
		while read -r start end flags; do
			[ $((flags & 0x200)) -ne 0 ] && [ $((end)) -ne 0 ] &&
				printf '(paddr >= %s && paddr <= %s) || ' "$start" "$end"
		done)
	[ -n "$filter" ] || return 1
	echo "${filter% || }"
}

# lost_events: the events the trace buffer overwrote since tracing began
lost_events() {
	cat /sys/kernel/tracing/per_cpu/cpu*/stats |
		awk '$1 == "overrun:" { n += $2 } END { print n + 0 }'
}

# sync_trace_start: count, with kprobe events, the calls of
# arch_sync_dma_for_device() and arch_sync_dma_for_cpu() (the cache
# maintenance of a non-coherent device, arm64: x0 is the physical address),
# and trace those whose address is in a memory BAR of a PCI device: the
# kernel must never ask for cache maintenance of MMIO.
sync_trace_start() {
	tracing || return 1
	filter=$(bar_filter) || { echo "sync_trace_start: no memory BAR"; return 1; }
	for f in device cpu; do
		echo "p:p2pdma/sync_$f arch_sync_dma_for_$f paddr=%x0:x64 size=%x1:u64" \
			>>$t/kprobe_events || return 1
		echo "$filter" >$t/events/p2pdma/sync_$f/filter || return 1
		echo 1 >$t/events/p2pdma/sync_$f/enable || return 1
	done
	echo "# sync_trace_start: arch_sync_dma_for_*() traced where $filter"
}

# sync_trace_report: "P2PDMA-SYNC: CALLS ON_BAR" (calls of both functions,
# and those on a BAR), and the first of those
sync_trace_report() {
	t=/sys/kernel/tracing
	echo 0 >$t/events/p2pdma/sync_device/enable
	echo 0 >$t/events/p2pdma/sync_cpu/enable
	calls=$(awk '$1 ~ /^sync_(device|cpu)$/ { n += $2 } END { print n + 0 }' $t/kprobe_profile)
	bar=$(grep -c ' sync_[a-z]*: ' $t/trace)
	grep ' sync_[a-z]*: ' $t/trace | head -n 20
	echo "P2PDMA-SYNC: $calls $bar"
}

# pte_trace_start: trace, with a kprobe event on __arm_lpae_map() (the walk
# that writes the page-table entries of io-pgtable-arm, which SMMUv3 uses;
# x2 is the physical address, x5 the attribute bits of the leaf entries,
# from the IOMMU_* prot), every IOMMU mapping of a memory BAR, with the
# entries' AttrIndx (bits 4:2, the MAIR index: 2 is device memory) and SH
# (bits 9:8: 2 is outer shareable). A BAR reached through the host bridge
# is MMIO (IOMMU_MMIO): device memory, never cacheable. A second event
# traces the walks that map anything else as device memory: system memory
# must never be (a chunk of a list given the prot of the P2PDMA chunks).
pte_trace_start() {
	tracing || return 1
	filter=$(bar_filter) || { echo "pte_trace_start: no memory BAR"; return 1; }
	# a boot of the selftests maps a BAR in some 25000 walks, about 60
	# bytes each: room for 5 times as many
	echo 8192 >$t/buffer_size_kb || return 1
	for e in lpae_map lpae_map_ram; do
		echo "p:p2pdma/$e __arm_lpae_map iova=%x1:x64 paddr=%x2:x64 attr=%x5:b3@2/64 sh=%x5:b2@8/64 lvl=%x6:s32" \
			>>$t/kprobe_events || return 1
	done
	echo "$filter" >$t/events/p2pdma/lpae_map/filter || return 1
	echo "!($filter) && attr == 2" >$t/events/p2pdma/lpae_map_ram/filter || return 1
	echo 1 >$t/events/p2pdma/lpae_map/enable || return 1
	echo 1 >$t/events/p2pdma/lpae_map_ram/enable || return 1
	echo "# pte_trace_start: __arm_lpae_map() traced where $filter, and elsewhere as device memory"
}

# pte_trace_report: "P2PDMA-PTE: MAPS NOT_DEVICE LOST ELSE_DEVICE" (the
# walks that mapped a BAR, those whose entries are not device memory, outer
# shareable, the events the trace buffer lost, and the walks that mapped
# anything else as device memory), and the first of each
pte_trace_report() {
	t=/sys/kernel/tracing
	echo 0 >$t/events/p2pdma/lpae_map/enable
	echo 0 >$t/events/p2pdma/lpae_map_ram/enable
	maps=$(grep -c ' lpae_map: ' $t/trace)
	bad=$(grep ' lpae_map: ' $t/trace | grep -vc ' attr=2 sh=2 ')
	ram=$(grep -c ' lpae_map_ram: ' $t/trace)
	grep ' lpae_map: ' $t/trace | head -n 3
	grep ' lpae_map: ' $t/trace | grep -v ' attr=2 sh=2 ' | head -n 10
	grep ' lpae_map_ram: ' $t/trace | head -n 10
	echo "P2PDMA-PTE: $maps $bad $(lost_events) $ram"
}
