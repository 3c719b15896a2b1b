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

# run_kselftest.sh nests each binary's KTAP under "# "; kunit.py parse wants
# nested KTAP indented. Turn the nested TAP lines (and only those) into
# indented ones, so that every kselftest_harness test counts on its own.
ksft_to_ktap() {
	sed -e 's/^# \(TAP version \|1\.\.[0-9]\|ok [0-9]\|not ok [0-9]\)/    \1/' "$1"
}

# only_known_base_lockdep CONSOLE: lockdep reported, but only the circular
# dependency that pciehp_unconfigure_device() has between
# pci_rescan_remove_lock and its ctrl->reset_lock on every hot-unplug (seen
# on the unpatched 6.12 base with the same debug options; 7.3 reports the
# same pair). Any other lockdep report is counted.
only_known_base_lockdep() {
	tr -d '\r' <"$1" | awk '
		/possible circular locking dependency detected/ { n++; look = 8; next }
		/possible recursive locking|inconsistent lock state|suspicious RCU usage|BUG: sleeping function/ { other++ }
		look > 0 {
			look--
			if (/is trying to acquire lock/) { getline; if ($0 ~ /&ctrl->reset_lock/ && $0 ~ /pciehp_unconfigure_device/) known++ }
		}
		END { exit !(n > 0 && known == n && !other) }'
}

fails=0
# run_guest NAME TOPOLOGY JOB [VAR=VALUE...]
run_guest() {
	name=$1 topo=$2 job=$3
	shift 3
	"$TOP/scripts/vm.sh" "$topo" "${VM_VARIANT:-test}" "$job" "$name" "$@"
	rc=$?
	if [ -f "$LOGS/$name.out" ] && grep -q 'TAP version' "$LOGS/$name.out"; then
		ksft_to_ktap "$LOGS/$name.out" >"$RES/$name.ktap"
	fi
	if grep -q 'KTAP version' "$LOGS/$name.console" 2>/dev/null; then
		cp "$LOGS/$name.console" "$RES/$name-kunit.log"
	elif grep -q '_KUNIT_TEST=y' "$BUILD/obj-${VM_VARIANT:-test}/.config"; then
		echo "not ok: $name: the kernel has KUnit suites but printed no KTAP"
		fails=$((fails + 1))
	fi
	if [ "$rc" -ne 0 ]; then
		echo "not ok: $name: guest job failed (status $rc), see ${LOGS#"$TOP"/}/$name.console"
		fails=$((fails + 1))
	fi
}

progress "lint: checkpatch, sparse, W=1, kernel-doc, git am"
"$TOP/scripts/lint.sh" >"$RES/lint.ktap" 2>&1

# Host-side tests of the series: the userspace build of lib/scatterlist.c
progress "host: tools/testing/scatterlist"
(
	# shellcheck disable=SC1091
	. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"
	ktap_print_header
	ktap_set_plan 1
	d=$TREE/tools/testing/scatterlist
	if make -C "$d" >"$LOGS/scatterlist.log" 2>&1 && (cd "$d" && ./main) >>"$LOGS/scatterlist.log" 2>&1; then
		ktap_test_pass "tools/testing/scatterlist builds and passes"
	else
		sed 's/^/# /' "$LOGS/scatterlist.log" | tail -n 20
		ktap_test_fail "tools/testing/scatterlist builds and passes"
	fi
	make -C "$d" clean >/dev/null 2>&1
	ktap_print_totals
) >"$RES/host.ktap"

# switch: peer-to-peer below the switch works (bus addresses)
run_guest switch switch kselftest
# rootports: the q35 host bridge is not on the allowlist: EREMOTEIO
run_guest rootports rootports kselftest P2PDMA_EXPECT=eremoteio
# The same pair with the q35 host bridge allowed by the kernel parameter:
# the copy goes through the host bridge. By its ID (8086:29c0), among a
# malformed, an empty and a repeated entry that must be ignored with a
# warning; with an IOMMU, by its root bus (0000:00).
VM_APPEND="pci_p2pdma.host_bridge_allow=zz:1,8086:29c0,,8086:29c0"
export VM_APPEND
run_guest rootports-allow rootports kselftest
VM_APPEND="pci_p2pdma.host_bridge_allow=0000:00"
run_guest rootports-iommu-allow rootports-iommu kselftest
# The same with swiotlb=force: dma-direct bounces all of the peer's DMA,
# but a BAR must not be bounced: the test client's dma_map_sg() of lists
# with P2P entries through the host bridge must fail with EIO and say why,
# lists of system memory are bounced. Only the test client's map tests:
# NVMe's block path requeues a request whose MMIO mapping fails.
VM_APPEND="pci_p2pdma.host_bridge_allow=8086:29c0 swiotlb=force"
run_guest rootports-swiotlb rootports kselftest \
	KSFT_ARGS='-t p2pdma:p2pdma_client' \
	KSELFTEST_P2PDMA_CLIENT_ARGS='-t map_sg -t map_sg_bad_input'
unset VM_APPEND
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
	ktap_set_plan 10
	logged rootports-allow 1 'pci-p2pdma: host_bridge_allow: ignoring "zz:1": neither a PCI vendor:device ID'
	logged rootports-allow 1 'pci-p2pdma: host_bridge_allow: ignoring an empty entry'
	logged rootports-allow 1 'pci-p2pdma: host_bridge_allow: ignoring 8086:29c0: given twice'
	logged rootports-allow 1 'pci-p2pdma: host bridge 8086:29c0 allowed for peer-to-peer DMA'
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
KARCH=ppc64le "$TOP/scripts/prepare.sh" ppc64le || exit 1
VM_VARIANT=ppc64le
VM_APPEND="pci_p2pdma.host_bridge_allow=0000:00 nvme.sgl_threshold=0"
export VM_VARIANT VM_APPEND
run_guest pseries pseries kselftest
run_guest pseries-ddw pseries-ddw copy
unset VM_VARIANT VM_APPEND

# The debug kernel on the three topologies
VM_VARIANT=debug
export VM_VARIANT
run_guest debug-switch switch kselftest P2PDMA_COPY_MB=16
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
unset VM_VARIANT VM_QMP VM_APPEND VM_QEMU_ARGS
(
	# shellcheck disable=SC1091
	. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"
	ktap_print_header
	ktap_set_plan 24
	for run in debug-switch debug-rootports debug-iommu debug-hotplug; do
		con=$LOGS/$run.console
		for check in "KASAN:BUG: KASAN" \
			"lockdep:possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|BUG: sleeping function" \
			"DMA-API:DMA-API: [a-z0-9_-]+ [0-9a-f]{4}:|dma-debug disabled" \
			"WARN/BUG/oops:WARNING: CPU|kernel BUG at|Oops:|BUG: unable to handle|list_add corruption|list_del corruption" \
			"kmemleak:kmemleak: [1-9][0-9]* new suspected memory leaks|kmemleak: [1-9][0-9]* unreferenced objects"; do
			what=${check%%:*} re=${check#*:}
			if [ ! -s "$con" ]; then
				ktap_test_fail "$run: no console log"
			elif [ "$what" = lockdep ] && only_known_base_lockdep "$con"; then
				echo "# $run: the pciehp lockdep report (pci_rescan_remove_lock vs reset_lock in"
				echo "# pciehp_unconfigure_device), which the unpatched 6.12 base gave too: not counted"
				ktap_test_pass "$run: no $what report"
			elif tr -d '\r' <"$con" | grep -Eq "$re"; then
				tr -d '\r' <"$con" | grep -E -A20 "$re" | head -n 40 | sed 's/^/# /'
				ktap_test_fail "$run: no $what report"
			else
				ktap_test_pass "$run: no $what report"
			fi
		done
		if tr -d '\r' <"$con" | grep -q 'kmemleak: 0 unreferenced objects'; then
			ktap_test_pass "$run: kmemleak scanned after the tests"
		else
			ktap_test_fail "$run: kmemleak scanned after the tests"
		fi
	done
	ktap_print_totals
) >"$RES/debug.ktap"

passed=0 failed=$fails skipped=0
for f in "$RES"/*; do
	progress "results: ${f#"$TOP"/}"
	python3 "$TREE/tools/testing/kunit/kunit.py" parse "$f" >"$f.parsed" 2>&1
	sed -n 's/^\[[0-9:]*\] //p' "$f.parsed" | grep -E '\[(FAILED|CRASHED|SKIPPED)\]|^Testing complete' | sed 's/^/  /'
	line=$(grep 'Testing complete' "$f.parsed" | tail -n 1)
	if [ -z "$line" ] || echo "$line" | grep -q 'Ran 0 tests'; then
		echo "  not ok: no test results in ${f#"$TOP"/}"
		failed=$((failed + 1))
		continue
	fi
	count() { echo "$line" | sed -n "s/.*$1: \([0-9]*\).*/\1/p"; }
	passed=$((passed + $(count passed | grep . || echo 0)))
	failed=$((failed + $(count failed | grep . || echo 0) + $(count crashed | grep . || echo 0) + $(count errors | grep . || echo 0)))
	skipped=$((skipped + $(count skipped | grep . || echo 0)))
done
progress "done; logs in build/logs, KTAP in build/results"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
