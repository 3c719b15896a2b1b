# SPDX-License-Identifier: GPL-2.0
# Guest job for "make run": NVMe (p2p0) -> CMB of p2p1 -> NVMe (p2p1), by
# the p2pdma_copy kselftest (p2pmem/allocate mmap + O_DIRECT, every byte
# verified). Its exit status is the job's.
. /lib.sh
P2PDMA_SRC=$(bdf_of p2p0) || exit 1
P2PDMA_PROVIDER=$(bdf_of p2p1) || exit 1
P2PDMA_DST=$P2PDMA_PROVIDER
export P2PDMA_SRC P2PDMA_PROVIDER P2PDMA_DST
p2p=/sys/bus/pci/devices/$P2PDMA_PROVIDER/p2pmem
echo "kernel: $(uname -r); source NVMe $P2PDMA_SRC, CMB and destination NVMe $P2PDMA_PROVIDER"
echo "p2pmem of $P2PDMA_PROVIDER: size $(cat $p2p/size), available $(cat $p2p/available)"
cd /kselftest/p2pdma && ./p2pdma_copy -t copy
rc=$?
echo "p2pmem of $P2PDMA_PROVIDER after the copy: available $(cat $p2p/available)"
exit $rc
