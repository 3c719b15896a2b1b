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
