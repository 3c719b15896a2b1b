# SPDX-License-Identifier: GPL-2.0
# Guest job: hot-unplug of the P2P memory provider (p2p1, QEMU id nvme1)
# while its memory is mapped and I/O into it is in flight. The test asks
# for the unplug on this job's output port; scripts/vm.sh (VM_QMP=1) has
# scripts/qmp-relay.py pass it to QEMU as device_del.
. /lib.sh
P2PDMA_SRC=$(bdf_of p2p0) || exit 1
P2PDMA_PROVIDER=$(bdf_of p2p1) || exit 1
P2PDMA_HOTPLUG_TTY=/dev/ttyS1
P2PDMA_HOTPLUG_ID=nvme1
# P2PDMA_REMOVE_BY_SYSFS=1: the guest removes the provider itself, through
# its sysfs "remove" file, when the test asks for the unplug; no pciehp,
# whose base lockdep report would switch lockdep off for the rest of the
# run on the debug kernel.
if [ "${P2PDMA_REMOVE_BY_SYSFS:-}" = 1 ]; then
	P2PDMA_HOTPLUG_TTY=/tmp/unplug.fifo
	mkfifo $P2PDMA_HOTPLUG_TTY || exit 1
	while read -r line <$P2PDMA_HOTPLUG_TTY; do
		case $line in
		"P2PDMA-QMP: device_del $P2PDMA_HOTPLUG_ID")
			echo "# removing $P2PDMA_PROVIDER through sysfs"
			echo 1 >/sys/bus/pci/devices/$P2PDMA_PROVIDER/remove
			break
			;;
		esac
	done &
fi
export P2PDMA_SRC P2PDMA_PROVIDER P2PDMA_HOTPLUG_TTY P2PDMA_HOTPLUG_ID
echo "# topology $TOPOLOGY: unplug provider $P2PDMA_PROVIDER in use, src $P2PDMA_SRC"
cd /kselftest/p2pdma && ./p2pdma_hotplug
rc=$?
kmemleak_report
exit $rc
