# SPDX-License-Identifier: GPL-2.0
# Guest job for "make bench": bind the NVMe with serial p2p0 to the DMA map
# benchmark and run its scatterlist mode with counting windows: lists of 1,
# 64 and 4096 entries of system memory and, where a provider (the CMB of
# p2p1) exists, of P2P memory; lists of 64 and 4096 entries that mix the
# two (alternating, runs of 16, one P2P entry in 64); with BENCH_ALT=1,
# P2P lists mapped for two clients in turn (p2p0 and the provider itself,
# as two devices sharing one provider do).
# One "RUN <nents> <kind> <ok|failed|none>" line per run, in the order of
# the runs whose windows the host's TCG plugin counted. A failed run fails
# the job, and the host's table refuses its windows.
. /lib.sh
client=$(bdf_of p2p0) || { echo "no NVMe p2p0"; exit 1; }
echo dma_map_benchmark >"/sys/bus/pci/devices/$client/driver_override"
echo "$client" >/sys/bus/pci/drivers/nvme/unbind
echo "$client" >/sys/bus/pci/drivers/dma_map_benchmark/bind || exit 1
provider=no
ls /sys/bus/pci/devices/*/p2pmem >/dev/null 2>&1 && provider=yes
echo "# kernel $(uname -r), benchmark device $client, P2PDMA provider: $provider"
failed=0
# run N KIND [OPTIONS]: one benchmark run, BENCH_SG being the options of a
# scatterlist run with counting windows, followed by the number of entries
run() {
	n=$1 kind=$2
	shift 2
	# shellcheck disable=SC2086
	if /job/dma_map_benchmark -t 1 -s 1 -b 64 $BENCH_SG "$n" "$@" >/tmp/out 2>&1; then
		echo "RUN $n $kind ok"
	else
		echo "RUN $n $kind failed"
		failed=1
	fi
	sed 's/^/# /' /tmp/out
}
for n in 1 64 4096; do
	run "$n" system
	if [ $provider = yes ]; then
		run "$n" p2p -p
	else
		echo "RUN $n p2p none"
	fi
done
if [ $provider = yes ]; then
	for n in 64 4096; do
		run "$n" mixed-alt -p -M 0x5555555555555555
		run "$n" mixed-runs16 -p -M 0xffff0000ffff0000
		run "$n" mixed-1in64 -p -M 0x1
		[ "${BENCH_ALT:-0}" = 1 ] && run "$n" p2p-2clients -p -a
	done
fi
exit $failed
