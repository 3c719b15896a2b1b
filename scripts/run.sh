#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: build what is missing, boot the patched kernel on the "switch"
# topology and do a verified NVMe -> CMB -> NVMe peer-to-peer copy.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/prepare.sh" test || exit 1
"$TOP/scripts/vm.sh" switch test copy run P2PDMA_COPY_MB="${COPY_MB:-64}"
rc=$?
echo "---- guest output (${LOGS#"$TOP"/}/run.out; console: ${LOGS#"$TOP"/}/run.console) ----"
grep -v -e '^P2PDMA-EXIT' -e 'RUN  ' "$LOGS/run.out" | sed -e 's/^# p2pdma_copy.c:[0-9]*:copy:/# /'
if [ "$rc" -eq 0 ]; then
	echo "PASS: peer-to-peer copy verified"
else
	echo "FAIL: see ${LOGS#"$TOP"/}/run.out and ${LOGS#"$TOP"/}/run.console"
fi
exit "$rc"
