#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the table of "make bench" from DIR/<kernel>-<shape>.windows (the TCG
# plugin's windows) and .runs (the guest's runs, in order), and check the
# targets. Exit status 1 if a target is missed, 2 if the data is not
# whole: a run that failed, a run without windows, a step without a
# window. A target whose cells are missing is missed, never met.
#
# Every window of a run is kept: the table shows the median over the loops
# of a run (what the targets use) and the first loop, which pays for what
# the series caches (the provider's map type for a client) or looks up
# once.
B=${1:?dir}
KERNELS="bench-base test bench-nop2p"
SHAPES="noprov prov hb iommu-noprov iommu hb-iommu"
data=$B/data.tsv
: >"$data"
for k in $KERNELS; do
	for p in $SHAPES; do
		w=$B/$k-$p.windows r=$B/$k-$p.runs
		[ -f "$w" ] && [ -f "$r" ] || { echo "missing $w or $r: run make bench" >&2; exit 2; }
		# pair the runs that started (ok/failed) with the plugin's groups
		awk -v k="$k" -v p="$p" '
		BEGIN { split("build map unmap", names, " ") }
		# the median of the n values v[1..n] (the lower one of two), from
		# the counts of its distinct values: windows repeat a few values
		function median(v, n,   cnt, d, nd, i, j, t, seen) {
			nd = 0
			for (i = 1; i <= n; i++) {
				if (!(v[i] in cnt)) d[++nd] = v[i] + 0
				cnt[v[i]]++
			}
			for (i = 2; i <= nd; i++) {
				t = d[i]
				for (j = i - 1; j >= 1 && d[j] > t; j--) d[j + 1] = d[j]
				d[j + 1] = t
			}
			seen = 0
			for (i = 1; i <= nd; i++) {
				seen += cnt[d[i]]
				if (seen >= int((n + 1) / 2)) return d[i]
			}
		}
		FNR == NR {
			if ($4 == "ok" || $4 == "failed") { rn[++nr] = $2; rk[nr] = $3; rs[nr] = $4 }
			next
		}
		$1 == "start" { g++; next }
		{
			c = ++cnt[g, $1]
			I[g, $1, c] = $2; L[g, $1, c] = $3; S[g, $1, c] = $4 + 0
		}
		END {
			bad = 0
			if (g != nr) {
				printf "%s/%s: %d runs but %d plugin groups\n", k, p, nr, g > "/dev/stderr"
				exit 2
			}
			for (i = 1; i <= nr; i++) {
				if (rs[i] != "ok") {
					printf "%s/%s: the run of %d %s entries failed: its windows count nothing\n", k, p, rn[i], rk[i] > "/dev/stderr"
					bad = 1
					continue
				}
				m = -1
				for (ph = 1; ph <= 3; ph++) {
					n = cnt[i, names[ph]]
					if (!n) {
						printf "%s/%s: the run of %d %s entries has no %s window\n", k, p, rn[i], rk[i], names[ph] > "/dev/stderr"
						bad = 1
					}
					if (m < 0 || n < m) m = n
				}
				if (!m) continue
				# each step, and build+map+unmap of each loop
				for (ph = 1; ph <= 4; ph++) {
					name = ph <= 3 ? names[ph] : "all"
					n = ph <= 3 ? cnt[i, name] : m
					for (j = 1; j <= n; j++) {
						if (ph <= 3) {
							vi[j] = I[i, name, j]; vl[j] = L[i, name, j]; vs[j] = S[i, name, j]
						} else {
							vi[j] = I[i, "build", j] + I[i, "map", j] + I[i, "unmap", j]
							vl[j] = L[i, "build", j] + L[i, "map", j] + L[i, "unmap", j]
							vs[j] = S[i, "build", j] + S[i, "map", j] + S[i, "unmap", j]
						}
					}
					printf "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", k, p, name, rk[i], rn[i],
						median(vi, n), vi[1], median(vl, n), vl[1], median(vs, n), vs[1], n
				}
			}
			exit bad ? 2 : 0
		}' "$r" "$w" >>"$data" || exit 2
	done
done

awk -F '\t' -v base="${BASE:-7.3}" '
{
	# per entry: median and first loop of instructions, struct page
	# loads and instructions inside the self= functions
	key = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
	ins[key] = $6 / $5; ins1[key] = $7 / $5
	lds[key] = $8 / $5; lds1[key] = $9 / $5
	self[key] = $10 / $5; self1[key] = $11 / $5
	loops[key] = $12; have[key] = 1
}
# a cell, or a note that it is missing (then every target using it fails)
function need(k, p, op, l, n,   key) {
	key = k SUBSEP p SUBSEP op SUBSEP l SUBSEP n
	if (!(key in have)) { missing = missing " " k "/" p "/" op "/" l "/" n; return 0 }
	return 1
}
function v(k, p, op, l, n) { need(k, p, op, l, n); return ins[k, p, op, l, n] }
function ld(k, p, op, l, n) { need(k, p, op, l, n); return lds[k, p, op, l, n] }
function sv(k, p, op, l, n) { need(k, p, op, l, n); return self[k, p, op, l, n] }
# what a target compares: under dma-iommu the instructions of its own
# functions and iommu_map_sg() (for build+map+unmap: with sg_set_page()),
# as the IOVA allocator and the page tables vary by a third between boots
function cv(k, p, op, l, n) {
	if (p !~ /iommu/) return v(k, p, op, l, n)
	if (op == "all") return v(k, p, "build", l, n) + sv(k, p, "all", l, n)
	return sv(k, p, op, l, n)
}
function cell(arr, arr2, k, p, op, l, n,   key) {
	key = k SUBSEP p SUBSEP op SUBSEP l SUBSEP n
	if (!(key in have)) return sprintf("%13s", "-")
	if (arr2 == "") return sprintf("%13.2f", arr == "self" ? self[key] : ins[key])
	return sprintf("%8.2f/%4.2f", ins[key], lds[key])
}
function first(k, p, op, l, n, useself,   key) {
	key = k SUBSEP p SUBSEP op SUBSEP l SUBSEP n
	if (!(key in have)) return sprintf("%8s", "-")
	return sprintf("%8.1f", useself ? self1[key] : ins1[key])
}
function ratio(a, b) { return (b > 0) ? sprintf("%6.3f", a / b) : "     -" }
# check(OK, WHAT): a target; missed where a cell it reads is missing
function check(ok, what) {
	if (ok && missing == "") pass++
	else {
		fail++
		printf "  MISSED: %s%s\n", what, missing == "" ? "" : " (no data:" missing ")"
	}
	missing = ""
}
function row(p, op, l, n, useself,   a, b, c) {
	if (!(("test" SUBSEP p SUBSEP op SUBSEP l SUBSEP n) in have) &&
	    !(("bench-base" SUBSEP p SUBSEP op SUBSEP l SUBSEP n) in have)) return
	if (useself) {
		a = self["test", p, op, l, n]; b = self["bench-nop2p", p, op, l, n]; c = self["bench-base", p, op, l, n]
		printf "%-12s %-13s %5d %s %s %s %s %s %7s %7s\n", opname[op], l, n,
			cell("self", "", "bench-base", p, op, l, n), cell("self", "", "test", p, op, l, n),
			cell("self", "", "bench-nop2p", p, op, l, n),
			first("bench-base", p, op, l, n, 1), first("test", p, op, l, n, 1),
			ratio(a, b), ratio(a, c)
		return
	}
	a = ins["test", p, op, l, n]; b = ins["bench-nop2p", p, op, l, n]; c = ins["bench-base", p, op, l, n]
	printf "%-12s %-13s %5d %s %s %s %s %s %7s %7s\n", opname[op], l, n,
		cell("", "x", "bench-base", p, op, l, n), cell("", "x", "test", p, op, l, n),
		cell("", "x", "bench-nop2p", p, op, l, n),
		first("bench-base", p, op, l, n, 0), first("test", p, op, l, n, 0),
		ratio(a, b), ratio(a, c)
}
# one table: its title, then the rows of steps ops[o1..o2] of shape p
function section(p, t, o1, o2, useself,   o, li, ni) {
	print t
	header()
	for (o = o1; o <= o2; o++) for (li = 1; li <= 6; li++) for (ni = 1; ni <= 3; ni++)
		row(p, ops[o], kinds[li], ns[ni], useself)
}
function header() {
	printf "%-12s %-13s %5s %13s %13s %13s %8s %8s %7s %7s\n", "op", "list", "n", "base", "patched",
		"P2P=n", "base 1st", "pat 1st", "pat/nop", "pat/bas"
}
END {
	split("build map unmap all", ops, " ")
	opname["build"] = "sg_set_page"; opname["map"] = "map_sg"; opname["unmap"] = "unmap_sg"
	opname["all"] = "build+map+un"
	split("system p2p mixed-alt mixed-runs16 mixed-1in64 p2p-2clients", kinds, " ")
	split("1 64 4096", ns, " ")
	print "Per entry, the median over the loops of a run: instructions/struct page loads (TCG"
	print "plugin, exact); \"1st\": instructions of the first loop. Kernels: base = " base " with the"
	print "benchmark patch alone, patched = the whole series, P2P=n = patched with"
	print "CONFIG_PCI_P2PDMA=n. The benchmarked NVMe has no CMB; the provider is a second NVMe"
	print "with a 64 MiB CMB below the same switch (bus addresses) or on another root port with"
	print "an AMD Zen CPU (through the host bridge). Lists: system or P2P memory; mixed: every"
	print "other entry, runs of 16, one entry in 64 P2P; p2p-2clients: P2P lists mapped for the"
	print "benchmarked NVMe and for the provider in turn."
	title["noprov"] = "no P2PDMA provider, dma-direct"
	title["prov"] = "provider below the switch, dma-direct"
	title["hb"] = "provider behind the host bridge, dma-direct"
	title["iommu-noprov"] = "no P2PDMA provider, intel-iommu (dma-iommu)"
	title["iommu"] = "provider below the switch, intel-iommu (dma-iommu)"
	title["hb-iommu"] = "provider behind the host bridge, intel-iommu (dma-iommu)"
	split("noprov prov hb iommu-noprov iommu hb-iommu", plist, " ")
	for (pi = 1; pi <= 6; pi++)
		section(plist[pi], "\n== " title[plist[pi]] " ==", 1, 4, 0)
	print "\n== dma-iommu: instructions inside its own functions on these paths =="
	print "(iommu_dma_map_sg(), iommu_dma_unmap_sg(), their helpers and clones, and iommu_map_sg():"
	print "the loops the series changes; the IOVA allocator and the page tables they call cost more"
	print "and vary by a third between boots of one kernel: the targets under dma-iommu use these)"
	for (pi = 4; pi <= 6; pi++)
		section(plist[pi], "-- " title[plist[pi]], 2, 3, 1)

	print "\nTargets (medians):"
	for (ni = 1; ni <= 3; ni++) {
		n = ns[ni]
		# no provider: the distribution kernel on most machines
		check(v("test", "noprov", "build", "system", n) <= v("bench-nop2p", "noprov", "build", "system", n) + 1 &&
		      ld("test", "noprov", "build", "system", n) <= ld("bench-nop2p", "noprov", "build", "system", n),
		      sprintf("no provider: sg_set_page (%d entries) <= P2P=n + 1 insn, no struct page load", n))
		check(v("test", "noprov", "map", "system", n) <= 1.01 * v("bench-nop2p", "noprov", "map", "system", n) &&
		      ld("test", "noprov", "map", "system", n) <= ld("bench-nop2p", "noprov", "map", "system", n),
		      sprintf("no provider: dma-direct map_sg of %d system entries <= 1.01x P2P=n, no struct page load", n))
		check(sv("test", "iommu-noprov", "map", "system", n) <= 1.01 * sv("bench-nop2p", "iommu-noprov", "map", "system", n) &&
		      ld("test", "iommu-noprov", "map", "system", n) <= ld("bench-nop2p", "iommu-noprov", "map", "system", n),
		      sprintf("no provider: dma-iommu, its own map_sg of %d system entries <= 1.01x P2P=n, no struct page load", n))
		# a provider present, lists of system memory
		lim = n == 1 ? 1.10 : 1.05
		check(ld("test", "prov", "build", "system", n) <= ld("bench-nop2p", "prov", "build", "system", n),
		      sprintf("provider: sg_set_page (%d system entries): no struct page load", n))
		check(v("test", "prov", "map", "system", n) <= lim * v("bench-nop2p", "prov", "map", "system", n) &&
		      ld("test", "prov", "map", "system", n) <= ld("bench-nop2p", "prov", "map", "system", n),
		      sprintf("provider: dma-direct map_sg of %d system entries <= %.2fx P2P=n, no struct page load", n, lim))
		check(sv("test", "iommu", "map", "system", n) <= lim * sv("bench-nop2p", "iommu", "map", "system", n) &&
		      ld("test", "iommu", "map", "system", n) <= ld("bench-nop2p", "iommu", "map", "system", n),
		      sprintf("provider: dma-iommu, its own map_sg of %d system entries <= %.2fx P2P=n, no struct page load", n, lim))
		for (pi = 1; pi <= 2; pi++) {
			p = pi == 1 ? "prov" : "iommu"
			check(cv("test", p, "all", "system", n) <= 1.03 * cv("bench-base", p, "all", "system", n) &&
			      ld("test", p, "all", "system", n) == 0,
			      sprintf("provider (%s): build+map+unmap of %d system entries <= 1.03x base, no struct page load", p, n))
			check(cv("test", p, "unmap", "system", n) <= cv("bench-base", p, "unmap", "system", n),
			      sprintf("provider (%s): unmap_sg of %d system entries <= base", p, n))
		}
		# P2P lists: bus addresses and the host bridge, dma-direct and dma-iommu
		for (pi = 1; pi <= 4; pi++) {
			p = pi == 1 ? "prov" : pi == 2 ? "hb" : pi == 3 ? "iommu" : "hb-iommu"
			if (n > 1)
				check(cv("test", p, "map", "p2p", n) <= 1.05 * cv("test", p, "map", "system", n),
				      sprintf("%s: map_sg of %d P2P entries <= 1.05x %d system entries", p, n, n))
			check(cv("test", p, "map", "p2p", n) < cv("bench-base", p, "map", "p2p", n) &&
			      ld("test", p, "map", "p2p", n) < ld("bench-base", p, "map", "p2p", n),
			      sprintf("%s: map_sg of %d P2P entries: fewer instructions and struct page loads than base", p, n))
			check(ld("test", p, "build", "p2p", n) <= 1,
			      sprintf("%s: sg_set_page (%d P2P entries) loads its page at most once", p, n))
			if (n == 1) continue
			for (li = 3; li <= 5; li++)
				check(cv("test", p, "map", kinds[li], n) < cv("bench-base", p, "map", kinds[li], n) &&
				      ld("test", p, "map", kinds[li], n) < ld("bench-base", p, "map", kinds[li], n),
				      sprintf("%s: map_sg of %d %s entries: fewer instructions and struct page loads than base", p, n, kinds[li]))
			if (p == "iommu" || p == "hb-iommu")
				check(cv("test", p, "unmap", "p2p", n) <= cv("bench-base", p, "unmap", "p2p", n),
				      sprintf("%s: unmap_sg of %d P2P entries <= base", p, n))
			if (p == "prov" || p == "iommu")
				check(cv("test", p, "map", "p2p-2clients", n) <= 1.10 * cv("test", p, "map", "p2p", n),
				      sprintf("%s: map_sg of %d P2P entries for two clients in turn <= 1.10x one client", p, n))
		}
	}
	printf "targets: %d met, %d missed\n", pass, fail
	exit fail > 0
}' "$data"
