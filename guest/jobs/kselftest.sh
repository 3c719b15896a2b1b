# SPDX-License-Identifier: GPL-2.0
# Guest job: the P2PDMA kselftests through run_kselftest.sh (KTAP out).
# The NVMe controllers are found by the serial numbers the host gave them
# (p2p0, p2p1): p2p1's CMB is the provider, p2p0 the peer and the source,
# the provider the destination. SRC_SERIAL and DST_SERIAL choose others
# (with VM_NVME3=1 there is a p2p2 without a CMB); OTHER_SERIAL names a
# third controller that the test client's map_sg_threads unbinds.
. /lib.sh
P2PDMA_SRC=$(bdf_of "${SRC_SERIAL:-p2p0}") || exit 1
P2PDMA_PROVIDER=$(bdf_of p2p1) || exit 1
P2PDMA_DST=$(bdf_of "${DST_SERIAL:-p2p1}") || exit 1
if [ -n "${OTHER_SERIAL:-}" ]; then
	P2PDMA_UNBIND_OTHER=$(bdf_of "$OTHER_SERIAL") || exit 1
	export P2PDMA_UNBIND_OTHER
fi
P2PDMA_SIZE=$CMB_BYTES
# The guest is disposable: p2pdma_unbind may unbind and rebind the NVMe
P2PDMA_UNBIND=1
export P2PDMA_SRC P2PDMA_PROVIDER P2PDMA_DST P2PDMA_SIZE P2PDMA_UNBIND
echo "# topology $TOPOLOGY: src $P2PDMA_SRC, provider $P2PDMA_PROVIDER, dst $P2PDMA_DST, expect ${P2PDMA_EXPECT:-copy}"
# P2PDMA_SYNC_TRACE=1 (a non-coherent device): no cache maintenance of a BAR
if [ "${P2PDMA_SYNC_TRACE:-0}" = 1 ]; then
	sync_trace_start || echo "P2PDMA-SYNC: not traced"
fi
# P2PDMA_PTE_TRACE=1 (SMMUv3): the page-table entries mapping a BAR
if [ "${P2PDMA_PTE_TRACE:-0}" = 1 ]; then
	pte_trace_start || echo "P2PDMA-PTE: not traced"
fi
(cd /kselftest && ./run_kselftest.sh ${KSFT_ARGS:-})
rc=$?
[ "${P2PDMA_SYNC_TRACE:-0}" = 1 ] && sync_trace_report
[ "${P2PDMA_PTE_TRACE:-0}" = 1 ] && pte_trace_report
kmemleak_report
exit $rc
