# SPDX-License-Identifier: GPL-2.0
# Guest job: the P2PDMA kselftests through run_kselftest.sh (KTAP out).
# The two NVMe controllers are found by the serial numbers the host gave
# them (p2p0, p2p1); p2p1's CMB is the provider, p2p0 the peer.
. /lib.sh
P2PDMA_SRC=$(bdf_of p2p0) || exit 1
P2PDMA_PROVIDER=$(bdf_of p2p1) || exit 1
P2PDMA_DST=$P2PDMA_PROVIDER
P2PDMA_SIZE=$CMB_BYTES
# The guest is disposable: p2pdma_unbind may unbind and rebind the NVMe
P2PDMA_UNBIND=1
export P2PDMA_SRC P2PDMA_PROVIDER P2PDMA_DST P2PDMA_SIZE P2PDMA_UNBIND
echo "# topology $TOPOLOGY: src $P2PDMA_SRC, provider and dst $P2PDMA_PROVIDER, expect ${P2PDMA_EXPECT:-copy}"
cd /kselftest && ./run_kselftest.sh ${KSFT_ARGS:-}
rc=$?
kmemleak_report
exit $rc
