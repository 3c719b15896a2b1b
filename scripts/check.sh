#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check: every test, ending with "N passed, N failed, N skipped".
#
# Each group of tests leaves a KTAP file in build/results/, parsed by the
# kernel's own tools/testing/kunit/kunit.py parse; the totals are the sum
# of its per-file counts. A guest that crashes or times out is a failure.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/prepare.sh" test || exit 1
# The debug kernel (KASAN, lockdep, DEBUG_SG, DMA-API debug, kmemleak,
# DEBUG_VM): the same suite, and any report fails the run.
"$TOP/scripts/kernel.sh" debug debug.config || exit 1
RES=$BUILD/results
rm -rf "$RES"
mkdir -p "$RES"
# make check-long (CHECK_LONG=1): the boots that make check leaves out
# for time, and whose files scripts/expected-counts.txt marks "long"
[ "${CHECK_LONG:-0}" = 1 ] && : >"$RES/long"

# run_kselftest.sh nests each binary's KTAP under "# "; kunit.py parse wants
# nested KTAP indented. Turn the nested TAP lines (and only those) into
# indented ones, so that every kselftest_harness test counts on its own.
# A binary's own verdict (its exit status, a timeout: run_kselftest.sh's
# "not ok N selftests: DIR: BINARY # exit=1") becomes one more subtest of
# it, "BINARY: exit status": 7.3's kunit.py parse counts a parent's own
# failure only when some subtest passed, not when all were skipped, and
# the verdict should not depend on that. A binary
# that printed no results at all is counted by its own line; one skipped as
# a whole (# SKIP) is left to the expected-skip check.
ksft_to_ktap() {
	sed -e 's/^# \(TAP version \|1\.\.[0-9]\|ok [0-9]\|not ok [0-9]\)/    \1/' "$1" | awk '
		function flush() { for (i = 1; i <= n; i++) print buf[i]; n = 0; plan = -1 }
		BEGIN { plan = -1 }
		/^(not )?ok [0-9]+ selftests: / {
			if (plan >= 0 && $0 !~ / # SKIP/) {
				name = $0
				sub(/^(not )?ok [0-9]+ selftests: [^:]*: /, "", name)
				sub(/ #.*/, "", name)
				dir = ""
				if (match($0, / # .*/)) dir = substr($0, RSTART)
				sub(/1\.\.[0-9]+/, "1.." (plan + 1), buf[planline])
				buf[++n] = "    " ($1 == "not" ? "not ok " : "ok ") (plan + 1) " " name ": exit status" dir
			}
			flush(); print; next
		}
		/^    1\.\.[0-9]+/ && plan < 0 {
			plan = $0; sub(/^    1\.\./, "", plan); plan += 0
			buf[++n] = $0; planline = n; next
		}
		{ buf[++n] = $0 }
		END { flush() }'
}

# Each guest run: a line "NAME VARIANT TAINT" in runs.txt (for
# scripts/results.sh) and its guest-level verdicts in guests.ktap.
: >"$RES/runs.txt"
: >"$RES/.guests"
# run_guest NAME TOPOLOGY JOB [VAR=VALUE...]
run_guest() {
	name=$1 topo=$2 job=$3
	shift 3
	# The taint flags the boot must end with, and no other: KUnit's
	# TAINT_TEST (N) on a kernel with KUnit suites, TAINT_USER (U) from
	# the host bridge allowlist parameter, TAINT_WARN (W) in the boot
	# whose pass condition is a WARN.
	# (in bit order, as taint_letters gives them)
	taint=
	case " ${VM_APPEND:-} " in
	*" pci_p2pdma.host_bridge_allow="*) taint=U ;;
	esac
	for kv in "$@"; do
		[ "$kv" = P2PDMA_DMA_DEBUG_BOOT=1 ] && taint=${taint}W
	done
	grep -q '^CONFIG_KUNIT=y' "$BUILD/obj-${VM_VARIANT:-test}/.config" && taint=${taint}N
	echo "$name ${VM_VARIANT:-test} ${taint:--}" >>"$RES/runs.txt"
	# What the topology says every pair's map type is, for KUnit's
	# same_segment_map_page_types (drivers/pci/p2pdma_kunit.c)
	kt=
	case $topo in
	switch|iommu|xen-switch|arm64-switch) kt=switch ;;
	rootports|rootports-iommu|pseries|pseries-ddw|xen-rootports|arm64-rootports)
		kt=allowed
		for kv in "$@"; do
			[ "$kv" = P2PDMA_EXPECT=eremoteio ] && kt=refused
		done
		;;
	esac
	VM_APPEND="${VM_APPEND:-}${kt:+ p2pdma_kunit.topology=$kt}" \
		"$TOP/scripts/vm.sh" "$topo" "${VM_VARIANT:-test}" "$job" "$name" "$@"
	rc=$?
	if [ -f "$LOGS/$name.out" ] && grep -q 'TAP version' "$LOGS/$name.out"; then
		ksft_to_ktap "$LOGS/$name.out" >"$RES/$name.ktap"
	fi
	if grep -q 'KTAP version' "$LOGS/$name.console" 2>/dev/null; then
		# (a Xen dom0's console, through Xen, ends its lines in \r\r\n)
		tr -d '\r' <"$LOGS/$name.console" >"$RES/$name-kunit.log"
		echo "ok $name: the KUnit suites printed their KTAP" >>"$RES/.guests"
	elif grep -q '_KUNIT_TEST=y' "$BUILD/obj-${VM_VARIANT:-test}/.config"; then
		echo "not ok $name: the KUnit suites printed their KTAP (none on the console)" >>"$RES/.guests"
	fi
	if [ "$rc" -eq 0 ]; then
		echo "ok $name: the guest job exited with status 0" >>"$RES/.guests"
	else
		echo "not ok $name: the guest job exited with status 0 (status $rc, see ${LOGS#"$TOP"/}/$name.console)" >>"$RES/.guests"
	fi
}

# mapped_through RUN WHAT: a KTAP line, whether the test client of RUN
# said that its lists go through WHAT (the DMA mapping the boot means to
# test); call it where ktap_helpers.sh is loaded
mapped_through() {
	if tr -d '\r' <"$LOGS/$1.console" |
	   grep -q "map_sg: lists of this device go through $2\$"; then
		ktap_test_pass "$1: the lists went through $2"
	else
		ktap_test_fail "$1: the lists went through $2"
	fi
}

# The pseries guest's kernel, cross-built (its boots are below); lint
# compiles the series' powerpc files in its tree.
KARCH=ppc64le "$TOP/scripts/prepare.sh" ppc64le || exit 1
# Lint compiles one object at a time, on one core mostly: it runs beside
# the boots, each on one core too, until the Xen and arm64 kernels of make
# check-long (it configures obj-xengart for the files of Xen's swiotlb)
progress "lint: checkpatch, sparse, W=1, kernel-doc, git am (beside the boots below)"
"$TOP/scripts/lint.sh" >"$RES/lint.ktap" 2>&1 &
lint_pid=$!

# Host-side tests of the series: the userspace build of lib/scatterlist.c
progress "host: tools/testing/scatterlist, the kselftest harness"
(
	# shellcheck disable=SC1091
	. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"
	ktap_print_header
	ktap_set_plan 3
	d=$TREE/tools/testing/scatterlist
	make -C "$d" >"$LOGS/scatterlist.log" 2>&1
	# main: as the kernel has it without CONFIG_PCI_P2PDMA; main-p2pdma:
	# with it, the scatterlist P2PDMA bit included
	for t in main main-p2pdma; do
		if [ -x "$d/$t" ] && (cd "$d" && "./$t") >"$LOGS/scatterlist-$t.log" 2>&1; then
			ktap_test_pass "tools/testing/scatterlist: $t builds and passes"
		else
			sed 's/^/# /' "$LOGS/scatterlist.log" "$LOGS/scatterlist-$t.log" | tail -n 20
			ktap_test_fail "tools/testing/scatterlist: $t builds and passes"
		fi
	done
	make -C "$d" clean >/dev/null 2>&1
	# The harness's own selftest, which compares its output with
	# harness-selftest.expected (a teardown that asserts, after a failed
	# assertion of the test, must run to its end)
	h=$LOGS/harness
	rm -rf "$h"
	mkdir -p "$h"
	if make -C "$TREE/tools/testing/selftests/kselftest_harness" \
		OUTPUT="$h" >"$LOGS/harness-build.log" 2>&1 &&
	   cp "$TREE/tools/testing/selftests/kselftest_harness/harness-selftest.sh" \
		"$TREE/tools/testing/selftests/kselftest_harness/harness-selftest.expected" "$h" &&
	   (cd "$h" && sh ./harness-selftest.sh) >"$LOGS/harness.log" 2>&1; then
		ktap_test_pass "kselftest_harness: harness-selftest gives the expected output"
	else
		sed 's/^/# /' "$LOGS/harness-build.log" "$LOGS/harness.log" | tail -n 30
		ktap_test_fail "kselftest_harness: harness-selftest gives the expected output"
	fi
	ktap_print_totals
) >"$RES/host.ktap"

# switch: peer-to-peer below the switch works (bus addresses)
run_guest switch switch kselftest
# iommu-pt: of the IOMMU page table KUnit suites (IOMMU_PT_KUNIT_TEST), only
# the cases that map scatterlists: with entries at PCI bus addresses through
# iommu_map_sg(), and with P2PDMA entries through iommu_map_sg_p2pdma(), whose
# page-table entries must have the prot of their kind, for every page table
# format built; the other boots run the P2PDMA suites alone
# (CONFIG_KUNIT_DEFAULT_FILTER_GLOB). The whole suites do not fit:
# test_random_map takes 10 s per format configuration under TCG.
VM_APPEND="kunit.filter_glob=*_iommu_test.test_map_sg_*"
run_guest iommu-pt switch copy
unset VM_APPEND
# Three NVMe below the switch, two providers: the client (p2p2) has no CMB,
# copies go p2p2 -> CMB of p2p1 -> p2p0 (no device reads its own CMB),
# KUnit maps for 3 clients across 2 providers, and the test client maps
# from four threads while p2p0 is unbound and bound again.
VM_NVME3=1
export VM_NVME3
run_guest switch3 switch kselftest SRC_SERIAL=p2p2 DST_SERIAL=p2p0 \
	OTHER_SERIAL=p2p0 P2PDMA_SRC_P2PMEM=0
unset VM_NVME3
# rootports: the q35 host bridge is not on the allowlist: EREMOTEIO
run_guest rootports rootports kselftest P2PDMA_EXPECT=eremoteio
# The same pair with the q35 host bridge allowed by the kernel parameter:
# the copy goes through the host bridge. By its ID (8086:29c0), among a
# malformed, an empty, a repeated and an over-long entry that must be
# ignored with a warning, and 15 more valid ones that match nothing, after
# which the list (16 entries) is full: the last two are ignored, saying
# so. With an IOMMU, by its root bus (0000:00).
filler=$(seq 1 15 | while read -r i; do printf ',1000:%04x' "$i"; done)
VM_APPEND="pci_p2pdma.host_bridge_allow=zz:1,8086:29c0,,8086:29c0,0123456789abcdef0123456789abcdef0123:00$filler,1000:0010,0000:ff"
export VM_APPEND
run_guest rootports-allow rootports kselftest
VM_APPEND="pci_p2pdma.host_bridge_allow=0000:00"
run_guest rootports-iommu-allow rootports-iommu kselftest
# The same with swiotlb=force: dma-direct bounces all of the peer's DMA,
# but a BAR must not be bounced, so the pair is refused through the host
# bridge, allowed or not: pci_p2pdma_distance() says no, dma_map_sg() of
# lists with P2P entries fails with EREMOTEIO, the block path with
# BLK_STS_TARGET (the copy: EREMOTEIO), each said once in the log; lists
# of system memory are bounced.
VM_APPEND="pci_p2pdma.host_bridge_allow=8086:29c0 swiotlb=force"
run_guest rootports-swiotlb rootports kselftest P2PDMA_EXPECT=eremoteio \
	KSFT_ARGS='-t p2pdma:p2pdma_client -t p2pdma:p2pdma_copy' \
	KSELFTEST_P2PDMA_CLIENT_ARGS='-t map_sg -t map_sg_two_providers -t map_sg_second_pair -t map_sg_bad_input'
unset VM_APPEND
# The refused root ports behind an IOMMU: dma-iommu must refuse P2P entries
# in the middle of a list and restore the entries it changed (the test
# client's lists and copies, the kernel's and a userspace O_DIRECT one).
run_guest rootports-iommu rootports-iommu kselftest P2PDMA_EXPECT=eremoteio \
	KSFT_ARGS='-t p2pdma:p2pdma_client -t p2pdma:p2pdma_copy'
# An AMD Zen guest CPU: the kernel's own rule allows the host bridge
VM_CPU=EPYC
export VM_CPU
run_guest rootports-epyc rootports kselftest
unset VM_CPU
# What the parameter said while it was parsed and when it allowed a pair,
# and what a refusal suggests
(
	# shellcheck disable=SC1091
	. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"
	# logged RUN COUNT TEXT: the console of RUN has COUNT lines with TEXT
	# (COUNT+: at least COUNT)
	logged() {
		n=$(tr -d '\r' <"$LOGS/$1.console" | grep -cF -- "$3")
		if [ "$n" -eq "${2%+}" ] || { [ "${2%+}" != "$2" ] && [ "$n" -ge "${2%+}" ]; }; then
			ktap_test_pass "host_bridge_allow: $1: $3 ($2)"
		else
			ktap_test_fail "host_bridge_allow: $1: $3 ($n lines, not $2)"
		fi
	}
	ktap_print_header
	ktap_set_plan 15
	logged rootports-allow 1 'pci-p2pdma: host_bridge_allow: ignoring "zz:1": neither a PCI vendor:device ID'
	logged rootports-allow 1 'pci-p2pdma: host_bridge_allow: ignoring an empty entry'
	logged rootports-allow 1 'pci-p2pdma: host_bridge_allow: ignoring 8086:29c0: given twice'
	# an over-long entry is named by its first 32 characters
	logged rootports-allow 1 'pci-p2pdma: host_bridge_allow: ignoring "0123456789abcdef0123456789abcdef": neither'
	logged rootports-allow 1 'pci-p2pdma: host bridge 8086:29c0 allowed for peer-to-peer DMA'
	logged rootports-allow 1 'pci-p2pdma: host bridge 1000:000f allowed for peer-to-peer DMA'
	logged rootports-allow 16 'allowed for peer-to-peer DMA'
	logged rootports-allow 1 'pci-p2pdma: host_bridge_allow: ignoring 1000:0010: no more than 16 host bridges can be added'
	logged rootports-allow 1 'pci-p2pdma: host_bridge_allow: ignoring 0000:ff: no more than 16 host bridges can be added'
	logged rootports-allow 1 'host_bridge_allow: peer-to-peer DMA allowed through host bridges the kernel does not know to support it: tainting the kernel'
	# once, although the tests map through it many times
	logged rootports-allow 1 'peer-to-peer DMA through this host bridge allowed by pci_p2pdma.host_bridge_allow=8086:29c0,'
	logged rootports-iommu-allow 1 'pci-p2pdma: host bridge of root bus 0000:00 allowed for peer-to-peer DMA'
	logged rootports-iommu-allow 1 'peer-to-peer DMA through this host bridge allowed by pci_p2pdma.host_bridge_allow=0000:00,'
	# a refusal names the entry to use: q35's host bridge by its ID
	logged rootports 1+ 'if host bridge pci0000:00 routes peer-to-peer transactions, allow it with the kernel parameter pci_p2pdma.host_bridge_allow=8086:29c0'
	logged rootports-epyc 0 'allow it with the kernel parameter'
	ktap_print_totals
) >"$RES/params.ktap"
# iommu: QEMU sends all device DMA through its vIOMMU, so bus-address P2P
# below a switch faults there (an emulator property, see README); the
# copy is not run, the rest is.
run_guest iommu iommu kselftest \
	KSELFTEST_P2PDMA_COPY_ARGS='-t sysfs -t available_drops_while_mapped -t misaligned_refused' \
	P2PDMA_NO_DMA=1

# pseries (ppc64le, cross-built): the NVMe on the root bus of the PHB, DMA
# through the TCE IOMMU (powerpc's dma_map_ops), P2P through the host
# bridge allowed with the parameter, by its root bus (0000:00): there the
# device at 00.0 of the root bus is p2p0, an NVMe, whose ID would allow
# every host bridge with such an NVMe in its first slot.
# With QEMU's dynamic DMA windows the NVMe bypass the IOMMU at a DMA offset
# for RAM, and only for addresses the window covers ("direct DMA is
# limited by" in the log): the CMB is mapped through the TCE table, so the
# copy must work and is verified. (6.12 sent the CMB through the window,
# which reaches RAM only; the series refused the pair there.)
# nvme.sgl_threshold=0: with 64 KiB pages a CMB buffer is a few 64 KiB
# segments, for which 7.3's NVMe driver picks an SGL whose segment list is
# in host memory. QEMU 7.2's NVMe takes the location of an SGL's first
# descriptor for that of all its data and fails the command with "Invalid
# Use of Controller Memory Buffer" (status 0x12), although its CMBLOC says
# mixed locations are supported (CDPMLS): an emulator property. PRP lists
# in host memory, which x86's 4 KiB segments get anyway, it accepts.
VM_VARIANT=ppc64le
VM_APPEND="pci_p2pdma.host_bridge_allow=0000:00 nvme.sgl_threshold=0"
export VM_VARIANT VM_APPEND
run_guest pseries pseries kselftest
run_guest pseries-ddw pseries-ddw copy
unset VM_VARIANT VM_APPEND

# No provider at all (no CMB: what most machines are): sg_assign_page()'s
# static branch must stay off (KUnit's pages_key_follows_providers), the
# suites that need no provider run, and the test client maps system lists
# (its fixture checks that no device has P2P memory; lists with P2P
# entries are refused). The copy tests are expected skips.
VM_CMB_MB=0
export VM_CMB_MB
run_guest noprov switch kselftest P2PDMA_NO_P2PMEM=1 \
	KSFT_ARGS='-t p2pdma:p2pdma_client'
unset VM_CMB_MB

# The debug kernel on the three topologies
VM_VARIANT=debug
export VM_VARIANT
run_guest debug-switch switch kselftest P2PDMA_COPY_MB=16
VM_NVME3=1
export VM_NVME3
run_guest debug-switch3 switch kselftest P2PDMA_COPY_MB=16 SRC_SERIAL=p2p2 \
	DST_SERIAL=p2p0 OTHER_SERIAL=p2p0 P2PDMA_SRC_P2PMEM=0
unset VM_NVME3
run_guest debug-rootports rootports kselftest P2PDMA_EXPECT=eremoteio
run_guest debug-iommu iommu kselftest \
	KSELFTEST_P2PDMA_COPY_ARGS='-t sysfs -t available_drops_while_mapped -t misaligned_refused' \
	P2PDMA_NO_DMA=1
# DMA-API debugging must report a list whose P2P entries lost their
# scatterlist bit. It reports through WARN, once per boot: a boot of its
# own, without panic_on_warn, that runs this test alone; the report is its
# pass condition, and the debug scan below does not read this boot.
run_guest debug-dropped-bit switch kselftest P2PDMA_DMA_DEBUG_BOOT=1 \
	KSFT_ARGS='-t p2pdma:p2pdma_client' \
	KSELFTEST_P2PDMA_CLIENT_ARGS='-t map_sg_dropped_bit'
unset VM_VARIANT
# A provider that appears after boot: QMP device_add of an NVMe with a CMB
# (p2p1) into the second root port, whose window QEMU has the firmware
# keep room for it (a switch's downstream ports get 2 MiB, which no CMB
# fits), while the test client maps system lists on p2p0, which has no
# CMB: sg_assign_page()'s static branch is turned on under them (KUnit
# checked at boot that it was off). Then the kselftests on the new
# provider, through the host bridge allowed by the parameter.
VM_QMP=1 VM_CMB0_MB=0 VM_LATE_NVME1=1
VM_APPEND="pcie_ports=native pci_p2pdma.host_bridge_allow=8086:29c0"
VM_QEMU_ARGS="-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"
export VM_QMP VM_CMB0_MB VM_LATE_NVME1 VM_APPEND VM_QEMU_ARGS
run_guest late rootports late
unset VM_QMP VM_CMB0_MB VM_LATE_NVME1 VM_APPEND VM_QEMU_ARGS
# Hot-unplug of the provider while in use: QEMU's device_del through QMP,
# native PCIe hotplug (the small kernel does not get it from ACPI _OSC,
# which wants ASPM support); on both kernels.
VM_QMP=1 VM_APPEND=pcie_ports=native
VM_QEMU_ARGS="-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"
export VM_QMP VM_APPEND VM_QEMU_ARGS
run_guest hotplug switch hotplug
VM_VARIANT=debug
export VM_VARIANT
run_guest debug-hotplug switch hotplug
unset VM_QMP VM_APPEND VM_QEMU_ARGS
# pciehp's unplug gives a lockdep report of the base (see
# only_known_base_lockdep), after which lockdep is off: the same removal
# in use through sysfs "remove", which takes no pciehp lock, so that
# lockdep sees the P2PDMA teardown.
run_guest debug-remove switch hotplug P2PDMA_REMOVE_BY_SYSFS=1
unset VM_VARIANT
wait "$lint_pid"
progress "lint done: ${RES#"$TOP"/}/lint.ktap"
# make check-long only (its kernel costs about 12 min cold): Xen. The
# kernel of configs/xen-gart.config as the PV dom0 of Debian 12's Xen
# 4.17 (scripts/fetch-xen.sh), its DMA through Xen's swiotlb, which the
# test client says. Below the switch, P2P at bus addresses: the kselftests
# and KUnit as on switch, every byte of the copies verified. Across root
# ports with the q35 host bridge allowed, refused: Xen's swiotlb does not
# map P2PDMA memory through a host bridge, on the sg path (EREMOTEIO) and
# the block path (BLK_STS_TARGET), said once per pair. p2pdma_unbind runs
# too: without the series' x86 fix of memory hot-remove, the first fork()
# after a provider's driver is unbound oopses in xen_pgd_alloc().
if [ "${CHECK_LONG:-0}" = 1 ]; then
	"$TOP/scripts/kernel.sh" xengart xen-gart.config || exit 1
	VM_VARIANT=xengart
	export VM_VARIANT
	run_guest xen-switch xen-switch kselftest
	VM_APPEND="pci_p2pdma.host_bridge_allow=8086:29c0"
	export VM_APPEND
	run_guest xen-rootports xen-rootports kselftest P2PDMA_EXPECT=eremoteio
	unset VM_VARIANT VM_APPEND
	(
		# shellcheck disable=SC1091
		. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"
		ktap_print_header
		ktap_set_plan 3
		for run in xen-switch xen-rootports; do
			mapped_through $run "Xen's swiotlb (xen_swiotlb_dma_ops)"
		done
		n=$(tr -d '\r' <"$LOGS/xen-rootports.console" |
		    grep -c 'through the host bridge: its dma_map_ops do not map peer-to-peer MMIO')
		if [ "$n" -ge 1 ]; then
			ktap_test_pass "xen-rootports: the refusal said why ($n lines)"
		else
			ktap_test_fail "xen-rootports: the refusal said why (no line)"
		fi
		ktap_print_totals
	) >"$RES/xen.ktap"
fi
# make check-long only (its kernel costs about 15 min cold): arm64, a
# cross-built kernel on QEMU's virt machine, its PCIe host bridge (gpex)
# behind SMMUv3. Across root ports with the host bridge allowed by its
# root bus: P2P through dma-iommu's host bridge path, IOVAs of the BAR
# that the test client checks with iommu_iova_to_phys(); behind a switch
# with iommu.passthrough=1: bus addresses through dma-direct (with the
# SMMU translating, QEMU sends a bus-address P2P transfer through it, which
# faults, and the I/O still reports success). Then both again with the
# device tree's PCIe host node not "dma-coherent": the kernel does cache
# maintenance for every DMA of the NVMe, and must never ask for it on a
# BAR (kprobe events on arch_sync_dma_for_{device,cpu}(), guest/lib.sh).
# Every boot also traces the SMMU's page-table entries of BARs
# (__arm_lpae_map()): device memory where dma-iommu maps a BAR through the
# host bridge, and no other memory as device memory; none at all in the
# identity domain of passthrough.
if [ "${CHECK_LONG:-0}" = 1 ]; then
	KARCH=arm64 "$TOP/scripts/prepare.sh" arm64 || exit 1
	VM_VARIANT=arm64
	export VM_VARIANT
	for nc in 0 1; do
		VM_NONCOHERENT=$nc
		export VM_NONCOHERENT
		sfx= trace=P2PDMA_PTE_TRACE=1
		[ $nc = 1 ] && sfx=-noncoherent trace="$trace P2PDMA_SYNC_TRACE=1"
		VM_APPEND="pci_p2pdma.host_bridge_allow=0000:00"
		export VM_APPEND
		# shellcheck disable=SC2086
		run_guest "arm64-smmu$sfx" arm64-rootports kselftest $trace
		VM_APPEND="iommu.passthrough=1"
		# shellcheck disable=SC2086
		run_guest "arm64-passthrough$sfx" arm64-switch kselftest $trace
	done
	unset VM_VARIANT VM_APPEND VM_NONCOHERENT
	(
		# shellcheck disable=SC1091
		. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"
		ktap_print_header
		ktap_set_plan 13
		# the DMA mapping each boot means to test: the test client says
		for run in arm64-smmu arm64-smmu-noncoherent arm64-passthrough \
			   arm64-passthrough-noncoherent; do
			want=dma-direct
			case $run in arm64-smmu*) want=dma-iommu ;; esac
			mapped_through $run $want
			# the SMMU's entries: "MAPS NOT_DEVICE LOST ELSE_DEVICE"
			set -- $(sed -n 's/^P2PDMA-PTE: \([0-9]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\).*/\1 \2 \3 \4/p' "$LOGS/$run.out")
			if [ "$want" = dma-iommu ]; then
				what="SMMU entries of a BAR are device memory, no other (${1:-no} walks, ${2:-?} not, ${4:-?} others, ${3:-?} lost)"
				ok=$([ "${1:-0}" -gt 0 ] && [ "${2:-x}" = 0 ] && [ "${4:-x}" = 0 ] && [ "${3:-x}" = 0 ] && echo 1)
			else
				what="no SMMU entry of a BAR in the identity domain (${1:-no count}, ${3:-?} lost)"
				ok=$([ "${1:-x}" = 0 ] && [ "${3:-x}" = 0 ] && echo 1)
			fi
			if [ "$ok" = 1 ]; then
				ktap_test_pass "$run: $what"
			else
				ktap_test_fail "$run: $what: see ${LOGS#"$TOP"/}/$run.out"
			fi
		done
		# dma-iommu bounces the whole list of a non-coherent device that
		# has short entries: the test client's P2P entries are refused
		run=arm64-smmu-noncoherent
		if tr -d '\r' <"$LOGS/$run.console" |
		   grep -q "P2PDMA memory refused: .*(non-coherent device, entries that may share a cache line)"; then
			ktap_test_pass "$run: a bounced list's P2P entries refused"
		else
			ktap_test_fail "$run: a bounced list's P2P entries refused"
		fi
		for run in arm64-smmu-noncoherent arm64-passthrough-noncoherent; do
			set -- $(sed -n 's/^P2PDMA-SYNC: \([0-9]*\) \([0-9]*\).*/\1 \2/p' "$LOGS/$run.out")
			if [ "${1:-0}" -gt 0 ]; then
				ktap_test_pass "$run: cache maintenance traced ($1 calls)"
			else
				ktap_test_fail "$run: cache maintenance traced (${1:-no} calls)"
			fi
			if [ "${2:-x}" = 0 ]; then
				ktap_test_pass "$run: no cache maintenance of a BAR"
			else
				ktap_test_fail "$run: no cache maintenance of a BAR (${2:-no count}: see ${LOGS#"$TOP"/}/$run.out)"
			fi
		done
		ktap_print_totals
	) >"$RES/arm64.ktap"
fi
# The guests' own verdicts, as KTAP
(
	echo "TAP version 13"
	echo "1..$(wc -l <"$RES/.guests")"
	awk '{ sub(/^ok /, "ok " NR " "); sub(/^not ok /, "not ok " NR " "); print }' "$RES/.guests"
) >"$RES/guests.ktap"
rm -f "$RES/.guests"
exec "$TOP/scripts/results.sh"
