# SPDX-License-Identifier: GPL-2.0
# Guest job for "make bench": bind the NVMe with serial p2p0 to the DMA map
# benchmark and run its scatterlist mode on lists of 1, 64 and 4096 entries
# of system memory and, where a provider (the CMB of p2p1) exists, of P2P
# memory. One "RUN <nents> <system|p2p> <ok|failed|none>" line per run, in
# the order of the runs whose windows the host's TCG plugin counted.
. /lib.sh
client=$(bdf_of p2p0) || { echo "no NVMe p2p0"; exit 1; }
echo dma_map_benchmark >"/sys/bus/pci/devices/$client/driver_override"
echo "$client" >/sys/bus/pci/drivers/nvme/unbind
echo "$client" >/sys/bus/pci/drivers/dma_map_benchmark/bind || exit 1
provider=no
ls /sys/bus/pci/devices/*/p2pmem >/dev/null 2>&1 && provider=yes
echo "# kernel $(uname -r), benchmark device $client, P2PDMA provider: $provider"
for n in 1 64 4096; do
	for kind in system p2p; do
		flag=
		if [ $kind = p2p ]; then
			[ $provider = yes ] || { echo "RUN $n $kind none"; continue; }
			flag=$BENCH_P2P
		fi
		# BENCH_SG: the options of a scatterlist run with counting
		# windows, followed by the number of entries
		# shellcheck disable=SC2086
		if /job/dma_map_benchmark -t 1 -s 1 -b 64 $BENCH_SG $n $flag >/tmp/out 2>&1; then
			echo "RUN $n $kind ok"
		else
			echo "RUN $n $kind failed"
		fi
		sed 's/^/# /' /tmp/out
	done
done
