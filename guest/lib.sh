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
