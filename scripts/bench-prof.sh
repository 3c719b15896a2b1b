#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where the instructions of one step of one benchmark run go, by function:
#   scripts/bench-prof.sh KERNEL SHAPE RUN [STEP]
# KERNEL: bench-base, bench-sk, test or bench-nop2p (built by make bench);
# SHAPE: as in scripts/bench.sh (noprov, prov, hb, iommu-noprov, iommu,
# hb-iommu); RUN: the run's number in build/bench/KERNEL-SHAPE.runs (from
# 1); STEP: build, map (default) or unmap. Boots the kernel once with the
# TCG plugin's profile of that step and prints, per function (GCC clones
# apart), the instructions executed per loop, highest first. For reading
# next to objdump -d, not a measurement: make bench counts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bench-lib.sh"

k=${1:?kernel} p=${2:?shape} r=${3:?run} step=${4:-map}
B=$BUILD/bench obj=$BUILD/obj-$k
[ -f "$B/sgcount.so" ] && [ -f "$obj/System.map" ] && [ -x "$B/dma_map_benchmark" ] ||
	die "run make bench first"
m=$(shape "$p") || die "$p: not a shape of make bench"
# shellcheck disable=SC2086
set -- $m
topo=$1 cmb=$2 cpu=$3 alt=$4
out=$B/prof-$k-$p-$r-$step
plug="file=$B/sgcount.so,$(plugin_markers "$obj"),out=$out.windows"
plug="$plug,max=1,prof=$out.tbs,profrun=$r,profphase=$step"
VM_CMB_MB=$cmb VM_CMB0_MB=0 VM_CPU=$cpu VM_APPEND=nokaslr \
	VM_QEMU_ARGS="-plugin $plug" VM_JOB_FILES="$B/dma_map_benchmark" \
	VM_TIMEOUT=900 "$TOP/scripts/vm.sh" "$topo" "$k" bench "prof-$k-$p" \
	BENCH_SG="-m 1 -c -g" BENCH_ALT="$alt" >/dev/null ||
	die "boot failed: see build/logs/prof-$k-$p.console"
# each block's instructions to the function whose text holds its start
# (the blocks of a function, each counted as a whole)
awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' "$obj/System.map" | sort >"$out.syms"
awk 'NR > 1 { print $1, $2 * $3 }' "$out.tbs" |
	sort >"$out.sorted"
loops=$(awk 'NR == 1 { print $2 }' "$out.tbs")
# the plugin numbers the runs that started, as bench-table.sh pairs them
what=$(grep -E ' (ok|failed)$' "$B/$k-$p.runs" 2>/dev/null | sed -n "${r}p")
echo "$k/$p run $r ($what), $step: $loops loops, instructions per loop by function:"
sort -m -s -k1,1 "$out.syms" "$out.sorted" | awk -v loops="$loops" '
	NF == 2 && $2 !~ /^[0-9]+$/ { fn = $2; next }
	{ n[fn] += $2; tot += $2 }
	END {
		for (f in n) printf "%10.1f  %s\n", n[f] / loops, f
		printf "%10.1f  total\n", tot / loops
	}' | sort -rn | head -n 40
