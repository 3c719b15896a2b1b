#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel under QEMU (TCG) on a named PCI topology and run a job.
#
#   scripts/vm.sh TOPOLOGY KERNEL_VARIANT JOB NAME [VAR=VALUE...]
#
# TOPOLOGY   switch:    root port -> x3130 upstream -> 2 xio3130 downstream
#                       ports -> 2 NVMe with a 64 MiB CMB (P2P works)
#            rootports: the two NVMe on separate root ports (the base
#                       refuses P2P through the q35 host bridge)
#            iommu:     switch + intel-iommu (QEMU sends all device DMA
#                       through the vIOMMU, so bus-address P2P faults)
#            rootports-iommu: rootports + intel-iommu (P2P through the
#                       host bridge uses IOVA mappings of the CMB)
#            pseries:   a ppc64le pseries guest (qemu-system-ppc64; kernel
#                       and initramfs from KARCH=ppc64le scripts/prepare.sh):
#                       the 2 NVMe at slots 0 and 1 of the default PHB's root
#                       bus, DMA through the sPAPR TCE IOMMU (dma_iommu_ops;
#                       ddw=off: no 64-bit direct window to bypass it); the
#                       consoles are spapr-vty (hvc0, hvc1)
#            pseries-ddw: pseries with QEMU's dynamic DMA windows: the
#                       NVMe bypass the TCE IOMMU (dma-direct at an offset)
#            xen-TOPO:  an x86 TOPOLOGY above, the kernel booted as the PV
#                       dom0 of Debian 12's Xen 4.17 (scripts/fetch-xen.sh;
#                       QEMU's multiboot loader, -cpu max,smap=off,
#                       vendor=GenuineIntel): DMA
#                       through Xen's swiotlb (xen_swiotlb_dma_ops); the
#                       kernel's console is Xen's (hvc0), on Xen's serial
#            arm64-TOPO: switch or rootports on an arm64 QEMU virt guest
#                       (qemu-system-aarch64 -M virt,iommu=smmuv3; kernel
#                       and initramfs from KARCH=arm64 scripts/prepare.sh):
#                       the generic PCIe host bridge (gpex) behind SMMUv3;
#                       iommu.passthrough=1 in VM_APPEND bypasses it. The
#                       console is the PL011 (ttyAMA0), the job's output a
#                       virtio console (hvc0). VM_NONCOHERENT=1: the device
#                       tree's PCIe host node loses "dma-coherent", so that
#                       the kernel does cache maintenance for every device
# JOB        guest/jobs/JOB.sh, run in the guest as /job/run.sh with the
#            VAR=VALUE pairs and TOPOLOGY in its environment
# NAME       logs go to build/logs/NAME.console (kernel console) and
#            build/logs/NAME.out (the job's output)
#
# Environment: VM_CMB_MB (CMB size of both NVMe, 0 for none; default 64),
# VM_APPEND (kernel command line), VM_CPU (QEMU -cpu, default qemu64, on
# pseries power9; EPYC is an AMD family 0x17 CPU, which the kernel trusts to
# route P2P through the host bridge), VM_QEMU_ARGS (more QEMU options),
# VM_JOB_FILES (files put in the guest's /job), VM_NVME3 (1: a third NVMe,
# p2p2, without a CMB; switch only), VM_CMB0_MB (the CMB of p2p0 alone),
# VM_LATE_NVME1 (1: p2p1 is not there at boot; the guest has it hot-added
# with "P2PDMA-QMP: device_add nvme1", which needs VM_QMP=1), VM_TIMEOUT,
# VM_QMP (1: a QMP
# socket and scripts/qmp-relay.py, so that the guest can hot-unplug a
# device by writing "P2PDMA-QMP: device_del ID" to its output port).
#
# The exit status is the job's. QEMU always runs under a timeout
# (VM_TIMEOUT, default 900 s); a guest that hangs or panics is a failure.
. "$(dirname "$0")/lib.sh"

topo=${1:?topology} variant=${2:?kernel variant} job=${3:?job} name=${4:?name}
shift 4
qemu="qemu-system-x86_64 -machine q35" tty=ttyS0 cpu=${VM_CPU:-qemu64}
kernel=$BUILD/obj-$variant/arch/x86/boot/bzImage base=$BUILD/initramfs.cpio.gz
mem=1G xen= modules= xappend= arm64=
case $topo in
xen-*)
	# Xen 4.17 with SMAP in the CPU model: dom0 dies at its first iretq
	# under TCG ("d0v0 Unhandled: vec 14, #PF"). An AMD vendor (TCG's
	# max) has dom0 read an AMD MSR that Xen does not give it, which
	# prints a stack ("unchecked MSR access error: RDMSR from 0xc0010055")
	topo=${topo#xen-} tty=hvc0 cpu=${VM_CPU:-max,smap=off,vendor=GenuineIntel} mem=2G
	case $topo in
	switch|rootports) ;;
	*) die "xen-$topo: Xen boots only on switch and rootports" ;;
	esac
	"$TOP/scripts/fetch-xen.sh" || exit 1
	xen=$BUILD/xen/xen-4.17
	;;
arm64-*)
	topo=${topo#arm64-}
	case $topo in
	switch|rootports) ;;
	*) die "arm64-$topo: arm64 boots only on switch and rootports" ;;
	esac
	# pauth-impdef: QEMU's own pointer authentication algorithm, much
	# cheaper under TCG than the architected QARMA
	qemu="qemu-system-aarch64 -nodefaults -machine virt,gic-version=3,iommu=smmuv3"
	tty=ttyAMA0 cpu=${VM_CPU:-max,pauth-impdef=on} arm64=1
	kernel=$BUILD/obj-$variant/arch/arm64/boot/Image base=$BUILD/initramfs-arm64.cpio.gz
	[ -f "$base" ] || die "$base missing: KARCH=arm64 scripts/prepare.sh $variant"
	;;
pseries*)
	ddw=off
	[ "$topo" = pseries-ddw ] && ddw=on
	# (the cap-* are the security workarounds TCG cannot do anyway)
	qemu="qemu-system-ppc64 -nodefaults -global spapr-pci-host-bridge.ddw=$ddw
	      -machine pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off"
	tty=hvc0 cpu=${VM_CPU:-power9}
	kernel=$BUILD/obj-$variant/vmlinux base=$BUILD/initramfs-ppc64le.cpio.gz
	[ -f "$base" ] || die "$base missing: KARCH=ppc64le scripts/prepare.sh $variant"
	;;
esac
[ -f "$kernel" ] || die "$kernel missing: build it first"
[ -f "$TOP/guest/jobs/$job.sh" ] || die "no job guest/jobs/$job.sh"
VM_TIMEOUT=${VM_TIMEOUT:-900}
run=$BUILD/vm/$name
rm -rf "$run"
mkdir -p "$run/root/job" "$LOGS"

cmb=${VM_CMB_MB:-64}
# panic_on_warn from the command line, so that a WARN during boot (the
# KUnit suites run there) ends the run too; not for a boot whose pass
# condition is a WARN (P2PDMA_DMA_DEBUG_BOOT=1, see guest/init).
pow=panic_on_warn=1
for kv in "$@"; do
	[ "$kv" = P2PDMA_DMA_DEBUG_BOOT=1 ] && pow=
done
append="console=$tty panic=-1 oops=panic $pow nvme.use_cmb_sqes=0 $VM_APPEND"
case $topo in
switch|iommu)
	pci="-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1
	     -device x3130-upstream,id=up0,bus=rp0
	     -device xio3130-downstream,id=dp0,bus=up0,chassis=2,slot=0
	     -device xio3130-downstream,id=dp1,bus=up0,chassis=3,slot=1"
	bus0=dp0 bus1=dp1
	if [ "$topo" = iommu ]; then
		pci="-device intel-iommu $pci"
		append="$append intel_iommu=on"
	fi
	;;
rootports|rootports-iommu)
	# a port left empty for a hot-added NVMe needs the firmware to keep
	# room for its CMB (64 MiB) in the port's window: QEMU's
	# pref64-reserve (on the downstream ports of a switch, SeaBIOS keeps
	# 2 MiB, which no CMB fits)
	reserve=
	[ "${VM_LATE_NVME1:-0}" = 1 ] && reserve=,pref64-reserve=128M
	pci="-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1
	     -device pcie-root-port,id=rp1,bus=pcie.0,chassis=2,slot=2$reserve"
	bus0=rp0 bus1=rp1
	if [ "$topo" = rootports-iommu ]; then
		pci="-device intel-iommu $pci"
		append="$append intel_iommu=on"
	fi
	;;
pseries|pseries-ddw)
	# QEMU puts them at slots 0 and 1: the kernel takes p2p0, at 00.0, for
	# the host bridge (pci_p2pdma.host_bridge_allow=1b36:0010 allows it)
	pci='' bus0=pci.0 bus1=pci.0
	;;
*)
	die "unknown topology $topo (switch, rootports, iommu, rootports-iommu, pseries, pseries-ddw, xen-switch, xen-rootports, arm64-switch, arm64-rootports)"
	;;
esac
for i in 0 1 2; do
	truncate -s 256M "$run/nvme$i.img"
done
eval "b0=\$bus0 b1=\$bus1"
pci="$pci
	-drive if=none,id=d0,format=raw,file=$run/nvme0.img
	-device nvme,id=nvme0,serial=p2p0,drive=d0,bus=$b0,cmb_size_mb=${VM_CMB0_MB:-$cmb}
	-drive if=none,id=d1,format=raw,file=$run/nvme1.img"
# the devices the guest may have hot-added (device_add), by QEMU id
printf '{"nvme1": {"driver": "nvme", "id": "nvme1", "serial": "p2p1", "drive": "d1", "bus": "%s", "cmb_size_mb": %d}}\n' \
	"$b1" "$cmb" >"$run/devices.json"
if [ "${VM_LATE_NVME1:-0}" = 1 ]; then
	[ "${VM_QMP:-0}" = 1 ] || die "VM_LATE_NVME1=1 needs VM_QMP=1"
else
	pci="$pci
	-device nvme,id=nvme1,serial=p2p1,drive=d1,bus=$b1,cmb_size_mb=$cmb"
fi
# VM_NVME3=1 (switch): a third NVMe, p2p2, without a CMB, on a third
# downstream port: a client that is no provider, next to two providers
if [ "${VM_NVME3:-0}" = 1 ]; then
	[ "$topo" = switch ] || die "VM_NVME3=1 is for the switch topology"
	pci="$pci
	-device xio3130-downstream,id=dp2,bus=up0,chassis=4,slot=2
	-drive if=none,id=d2,format=raw,file=$run/nvme2.img
	-device nvme,id=nvme2,serial=p2p2,drive=d2,bus=dp2,cmb_size_mb=0"
fi

# The job: appended to the base initramfs as a second cpio archive, with
# the files listed in VM_JOB_FILES next to it.
cp "$TOP/guest/jobs/$job.sh" "$run/root/job/run.sh"
for f in ${VM_JOB_FILES:-}; do
	cp "$f" "$run/root/job/" || die "VM_JOB_FILES: $f"
done
{
	echo "export TOPOLOGY=$topo CMB_BYTES=$((cmb << 20))"
	[ -n "$arm64" ] && echo "export P2PDMA_OUT_TTY=/dev/hvc0"
	for kv in "$@"; do
		printf "export %s='%s'\n" "${kv%%=*}" "${kv#*=}"
	done
} >"$run/root/job/env"
[ -f "$base" ] || "$TOP/scripts/initramfs.sh"
(cd "$run/root" && find . | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$run/job.cpio.gz"
cat "$base" "$run/job.cpio.gz" >"$run/initrd.gz"

console=$LOGS/$name.console out=$LOGS/$name.out
rm -f "$console" "$out"
if [ -n "$xen" ]; then
	# Xen on the first serial port (its own lines and dom0's hvc0), the
	# kernel and the initrd as multiboot modules, the first with its
	# command line (in which QEMU wants a comma written twice)
	boot="-kernel $xen"
	xappend="dom0_mem=1G,max:1G dom0_max_vcpus=1 console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot"
	modules="$kernel $(printf '%s' "$append" | sed 's/,/,,/g'),$run/initrd.gz"
else
	boot="-kernel $kernel"
fi
serial2="-serial file:$out"
if [ -n "$arm64" ]; then
	# virt has one UART: the job's output on a virtio console
	serial2="-chardev file,id=jobout,path=$out -device virtio-serial-device
		-device virtconsole,chardev=jobout"
	if [ "${VM_NONCOHERENT:-0}" = 1 ]; then
		# the machine's own device tree (the PCI devices are not in it),
		# without "dma-coherent" in the PCIe host node
		# shellcheck disable=SC2086
		$qemu,dumpdtb="$run/virt.dtb" -cpu "$cpu" -m $mem -smp 1 -display none \
			>"$run/dumpdtb.log" 2>&1 || die "QEMU's dumpdtb failed: $(cat "$run/dumpdtb.log")"
		dtc -q -I dtb -O dts -o "$run/virt.dts" "$run/virt.dtb" || die "dtc -I dtb failed"
		awk '/^\t*pcie@[0-9a-f]* \{/ { inpcie = 1 }
			inpcie && /^\t*dma-coherent;/ { dropped++; next }
			inpcie && /^\t*\};/ { inpcie = 0 }
			{ print }
			END { if (dropped != 1) exit 1 }' "$run/virt.dts" >"$run/noncoherent.dts" ||
			die "no dma-coherent in the PCIe host node of QEMU's device tree"
		dtc -q -I dts -O dtb -o "$run/noncoherent.dtb" "$run/noncoherent.dts" ||
			die "dtc -O dtb failed"
		boot="$boot -dtb $run/noncoherent.dtb"
	fi
fi
# shellcheck disable=SC2086
set -- timeout -k 10 "$VM_TIMEOUT" $qemu -accel tcg \
	-cpu "$cpu" -m $mem -smp 1 -display none -no-reboot \
	$boot -initrd "${modules:-$run/initrd.gz}" -append "${xappend:-$append}" \
	-serial "file:$console" $serial2 -monitor none \
	$pci $VM_QEMU_ARGS
# VM_QMP=1: a QMP socket, and a relay that runs the device_del and
# device_add commands the guest asks for on its output port (hot-unplug or
# hot-add at a moment the test picks)
if [ "${VM_QMP:-0}" = 1 ]; then
	set -- "$@" -qmp "unix:$run/qmp.sock,server=on,wait=off"
	python3 "$TOP/scripts/qmp-relay.py" "$run/qmp.sock" "$out" "$run/devices.json" \
		>"$LOGS/$name.qmp" 2>&1 &
	relay=$!
fi
echo "$*" >"$run/qemu.cmd"
progress "boot $variant kernel on topology $topo, job $job (timeout ${VM_TIMEOUT}s)"
"$@" </dev/null >"$run/qemu.log" 2>&1 &
pid=$!
n=0
done_at=
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	n=$((n + 1))
	[ $((n % 30)) -eq 0 ] && progress "  ... $name: guest running, $(wc -l <"$out" 2>/dev/null || echo 0) lines of output"
	# The job has reported its status: a guest that does not power off
	# within 30 s more (seen once on pseries under TCG) is stopped, rather
	# than left to eat the timeout.
	if [ -z "$done_at" ] && grep -q '^P2PDMA-EXIT:' "$out" 2>/dev/null; then
		done_at=$n
	elif [ -n "$done_at" ] && [ $((n - done_at)) -ge 30 ]; then
		progress "  ... $name: the job is done but the guest did not power off: stopping QEMU"
		kill "$pid" 2>/dev/null
	fi
done
wait "$pid"
qrc=$?
if [ -n "${relay:-}" ]; then
	kill "$relay" 2>/dev/null
	wait "$relay" 2>/dev/null
fi
rc=$(sed -n 's/^P2PDMA-EXIT: \([0-9]*\).*/\1/p' "$out" 2>/dev/null | tail -n 1)
if [ -z "$rc" ]; then
	[ "$qrc" -eq 124 ] && echo "error: $name: QEMU timed out after ${VM_TIMEOUT}s" >&2
	echo "error: $name: the guest did not report an exit status (qemu rc $qrc); console tail:" >&2
	tail -n 40 "$console" >&2
	cat "$run/qemu.log" >&2
	exit 125
fi
progress "$name: job exit status $rc"
exit "$rc"
