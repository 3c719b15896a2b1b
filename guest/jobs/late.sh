# SPDX-License-Identifier: GPL-2.0
# Guest job: a P2P memory provider appears after boot. The guest boots with
# one NVMe without a CMB (p2p0): no device has P2P memory, so
# sg_assign_page()'s static branch is off (KUnit checked that at boot).
# While the test client maps system lists on p2p0 in a loop, the job asks
# for p2p1, an NVMe with a CMB, to be hot-added (scripts/vm.sh with
# VM_QMP=1 and VM_LATE_NVME1=1 has scripts/qmp-relay.py run QEMU's
# device_add): its driver adds the CMB, which turns the branch on while
# lists are being built and mapped. Every map of the loop must work, some
# after the provider appeared. Then the kselftests run with the new
# provider (p2p1) and p2p0 as its peer. Checks of this job that are not
# kselftests make it exit non-zero, saying why ("# late: ...").
. /lib.sh
fail() {
	echo "# late: $*"
	echo "P2PDMA-LATE: FAIL"
	exit 1
}
P2PDMA_SRC=$(bdf_of p2p0) || exit 1
ls -d /sys/bus/pci/devices/*/p2pmem 2>/dev/null && fail "P2P memory before the provider was added"
cd /kselftest/p2pdma || exit 1
# the loop: dma_map_sg() of system lists (and P2P lists refused: p2p0 has
# no P2P memory) on p2p0, until /tmp/stop exists
(
	n=0 after=0 bad=0
	while [ ! -e /tmp/stop ]; do
		added=0
		[ -e /tmp/added ] && added=1
		if P2PDMA_PROVIDER=$P2PDMA_SRC P2PDMA_NO_P2PMEM=provider \
			./p2pdma_client -t map_sg >/tmp/loop.out 2>&1; then
			n=$((n + 1))
			after=$((after + added))
		else
			bad=$((bad + 1))
			sed 's/^/# late loop: /' /tmp/loop.out | tail -n 20
		fi
	done
	echo "$n $after $bad" >/tmp/loop.result
) &
loop=$!
sleep 2
echo "P2PDMA-QMP: device_add nvme1"
i=0
while [ $i -lt 600 ] && ! bdf_of p2p1 >/dev/null 2>&1; do
	sleep 0.1
	i=$((i + 1))
done
P2PDMA_PROVIDER=$(bdf_of p2p1) || fail "p2p1 did not appear within 60 s of device_add"
while [ $i -lt 600 ] && ! [ -e /sys/bus/pci/devices/$P2PDMA_PROVIDER/p2pmem ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -e /sys/bus/pci/devices/$P2PDMA_PROVIDER/p2pmem ] || fail "p2p1 ($P2PDMA_PROVIDER) has no p2pmem"
touch /tmp/added
echo "# late: provider $P2PDMA_PROVIDER appeared after $((i / 10)).$((i % 10)) s"
sleep 3
touch /tmp/stop
wait $loop
read -r n after bad </tmp/loop.result
echo "# late: system lists mapped $n times while the provider appeared, $after of them after, $bad failed"
[ "$bad" -eq 0 ] || fail "$bad maps of system lists failed"
[ "$after" -gt 0 ] || fail "no map after the provider appeared"
[ $((n - after)) -gt 0 ] || fail "no map before the provider appeared"
P2PDMA_DST=$P2PDMA_PROVIDER
# p2p0 has no CMB here
P2PDMA_SRC_P2PMEM=0
P2PDMA_SIZE=$CMB_BYTES
P2PDMA_UNBIND=1
export P2PDMA_SRC P2PDMA_PROVIDER P2PDMA_DST P2PDMA_SIZE P2PDMA_UNBIND P2PDMA_SRC_P2PMEM
echo "# topology $TOPOLOGY, provider added late: src $P2PDMA_SRC, provider and dst $P2PDMA_PROVIDER"
cd /kselftest && ./run_kselftest.sh ${KSFT_ARGS:-}
rc=$?
kmemleak_report
exit $rc
