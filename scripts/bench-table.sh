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
KERNELS="bench-base bench-sk test bench-nop2p"
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
		# med(v, n): the median, or for lists mapped for two clients in
		# turn the mean of the medians of each client (of the odd and the
		# even windows): the median of a mix of two values is either one
		function med(v, n,   a, b, na, nb, j) {
			if (rk[i] != "p2p-2clients" || n < 2) return median(v, n)
			na = nb = 0
			for (j = 1; j <= n; j++) {
				if (j % 2) a[++na] = v[j]
				else b[++nb] = v[j]
			}
			return (median(a, na) + median(b, nb)) / 2
		}
		FNR == NR {
			if ($4 == "ok" || $4 == "failed") { rn[++nr] = $2; rk[nr] = $3; rs[nr] = $4 }
			next
		}
		$1 == "start" { g++; next }
		{
			c = ++cnt[g, $1]
			I[g, $1, c] = $2; L[g, $1, c] = $3; S[g, $1, c] = $4 + 0
			C1[g, $1, c] = $5 + 0; C2[g, $1, c] = $6 + 0
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
							c1[j] = C1[i, name, j]; c2[j] = C2[i, name, j]
						} else {
							vi[j] = I[i, "build", j] + I[i, "map", j] + I[i, "unmap", j]
							vl[j] = L[i, "build", j] + L[i, "map", j] + L[i, "unmap", j]
							vs[j] = S[i, "build", j] + S[i, "map", j] + S[i, "unmap", j]
							c1[j] = C1[i, "build", j] + C1[i, "map", j] + C1[i, "unmap", j]
							c2[j] = C2[i, "build", j] + C2[i, "map", j] + C2[i, "unmap", j]
						}
					}
					# the calls per list (window): medians, not per entry
					printf "%s\t%s\t%s\t%s\t%d\t%.1f\t%d\t%.1f\t%d\t%.1f\t%d\t%d\t%.1f\t%.1f\n", k, p, name, rk[i], rn[i],
						med(vi, n), vi[1], med(vl, n), vl[1], med(vs, n), vs[1], n,
						med(c1, n), med(c2, n)
				}
			}
			exit bad ? 2 : 0
		}' "$r" "$w" >>"$data" || exit 2
	done
done

# the text size change, base -> series, from make bench's bloat-o-meter run
bloat=$(awk '/^Total: Before=/ { split($2, b, "="); split($3, a, "="); print a[2] - b[2] }' \
	"$B/bloat.txt" 2>/dev/null | tr -d ,)
awk -F '\t' -v base="${BASE:-7.3}" '
{
	# per entry: median and first loop of instructions, struct page
	# loads and instructions inside the self= functions
	key = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
	ins[key] = $6 / $5; ins1[key] = $7 / $5
	lds[key] = $8 / $5; lds1[key] = $9 / $5
	self[key] = $10 / $5; self1[key] = $11 / $5
	loops[key] = $12; have[key] = 1
	nosync[key] = $13; sync[key] = $14
}
# a cell, or a note that it is missing (then every target using it fails)
function need(k, p, op, l, n,   key) {
	key = k SUBSEP p SUBSEP op SUBSEP l SUBSEP n
	if (!(key in have)) { missing = missing " " k "/" p "/" op "/" l "/" n; return 0 }
	return 1
}
function v(k, p, op, l, n) { need(k, p, op, l, n); return ins[k, p, op, l, n] }
function ld(k, p, op, l, n) { need(k, p, op, l, n); return lds[k, p, op, l, n] }
# no struct page load on the path: none at all under dma-direct; under
# dma-iommu no more than P2P=n loads for a system list as long (the page
# table allocator, which P2P=n has too: it has no P2P check)
function noload(p, op, l, n) {
	if (p !~ /iommu/) return ld("test", p, op, l, n) == 0
	return ld("test", p, op, l, n) <= ld("bench-nop2p", p, op, "system", n)
}
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
function calls(k, p, l, n,   key) {
	key = k SUBSEP p SUBSEP "map" SUBSEP l SUBSEP n
	if (!(key in have)) return "-"
	return nosync[key] "/" sync[key]
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
function row(p, op, l, n, useself,   a, b, c, d, arr) {
	if (!(("test" SUBSEP p SUBSEP op SUBSEP l SUBSEP n) in have) &&
	    !(("bench-base" SUBSEP p SUBSEP op SUBSEP l SUBSEP n) in have)) return
	if (useself) {
		a = self["test", p, op, l, n]; b = self["bench-nop2p", p, op, l, n]
		c = self["bench-base", p, op, l, n]; d = self["bench-sk", p, op, l, n]
		arr = "self"
	} else {
		a = ins["test", p, op, l, n]; b = ins["bench-nop2p", p, op, l, n]
		c = ins["bench-base", p, op, l, n]; d = ins["bench-sk", p, op, l, n]
		arr = ""
	}
	printf "%-12s %-13s %5d %s %s %s %s %s %s %7s %7s %7s\n", opname[op], l, n,
		cell(arr, useself ? "" : "x", "bench-base", p, op, l, n),
		cell(arr, useself ? "" : "x", "bench-sk", p, op, l, n),
		cell(arr, useself ? "" : "x", "test", p, op, l, n),
		cell(arr, useself ? "" : "x", "bench-nop2p", p, op, l, n),
		first("bench-base", p, op, l, n, useself), first("test", p, op, l, n, useself),
		ratio(a, b), ratio(a, c), ratio(a, d)
}
# one table: its title, then the rows of steps ops[o1..o2] of shape p
function section(p, t, o1, o2, useself,   o, li, ni) {
	print t
	header()
	for (o = o1; o <= o2; o++) for (li = 1; li <= 6; li++) for (ni = 1; ni <= 3; ni++)
		row(p, ops[o], kinds[li], ns[ni], useself)
}
function header() {
	printf "%-12s %-13s %5s %13s %13s %13s %13s %8s %8s %7s %7s %7s\n", "op", "list", "n", "base",
		"7.3+key", "patched", "P2P=n", "base 1st", "pat 1st", "pat/nop", "pat/bas", "pat/key"
}
END {
	split("build map unmap all", ops, " ")
	opname["build"] = "sg_set_page"; opname["map"] = "map_sg"; opname["unmap"] = "unmap_sg"
	opname["all"] = "build+map+un"
	split("system p2p mixed-alt mixed-runs16 mixed-1in64 p2p-2clients", kinds, " ")
	split("1 64 4096", ns, " ")
	print "Per entry, the median over the loops of a run: instructions/struct page loads (TCG"
	print "plugin, exact); \"1st\": instructions of the first loop. Kernels: base = " base " with the"
	print "benchmark patch alone, 7.3+key = base with is_pci_p2pdma_page() behind a static key"
	print "that the first provider turns on (the key submission), patched = the whole"
	print "series, P2P=n = patched with CONFIG_PCI_P2PDMA=n. The benchmarked NVMe has no CMB;"
	print "the provider is a second NVMe"
	print "with a 64 MiB CMB below the same switch (bus addresses) or on another root port with"
	print "an AMD Zen CPU (through the host bridge). Lists: system or P2P memory; mixed: every"
	print "other entry, runs of 16, one entry in 64 P2P; p2p-2clients: P2P lists mapped for the"
	print "benchmarked NVMe and for the provider in turn (the provider maps its own memory at"
	print "bus addresses; their figure is the mean of the medians of the two clients)."
	title["noprov"] = "no P2PDMA provider, dma-direct"
	title["prov"] = "provider below the switch, dma-direct"
	title["hb"] = "provider behind the host bridge, dma-direct"
	title["iommu-noprov"] = "no P2PDMA provider, intel-iommu (dma-iommu)"
	title["iommu"] = "provider below the switch, intel-iommu (dma-iommu)"
	title["hb-iommu"] = "provider behind the host bridge, intel-iommu (dma-iommu)"
	split("noprov prov hb iommu-noprov iommu hb-iommu", plist, " ")
	for (pi = 1; pi <= 6; pi++)
		section(plist[pi], "\n== " title[plist[pi]] " ==", 1, 4, 0)
	print "\n== dma-iommu: instructions on these paths outside the IOVA allocator and the page tables =="
	print "(iommu_dma_map_sg(), iommu_dma_unmap_sg(), their helpers and clones, the iommu_map_sg()"
	print "walk, the dispatch of kernel/dma/mapping.c, sg_next() and all of drivers/pci/p2pdma.c;"
	print "the IOVA allocator and the page tables cost more and vary by a third between boots of"
	print "one kernel: the targets under dma-iommu use these)"
	for (pi = 4; pi <= 6; pi++)
		section(plist[pi], "-- " title[plist[pi]], 2, 3, 1)

	print "\n== dma-iommu: iommu_map_nosync()/intel_iommu_iotlb_sync_map() calls per map_sg() of a list =="
	printf "%-13s %-13s %5s %11s %11s %11s\n", "shape", "list", "n", "base", "7.3+key", "patched"
	for (pi = 4; pi <= 6; pi++) for (li = 1; li <= 6; li++) for (ni = 1; ni <= 3; ni++) {
		p = plist[pi]; l = kinds[li]; n = ns[ni]
		if (!(("test" SUBSEP p SUBSEP "map" SUBSEP l SUBSEP n) in have)) continue
		printf "%-13s %-13s %5d %11s %11s %11s\n", p, l, n, calls("bench-base", p, l, n),
			calls("bench-sk", p, l, n), calls("test", p, l, n)
	}

	print "\nTargets (medians):"
	for (ni = 1; ni <= 3; ni++) {
		n = ns[ni]
		# no provider: the distribution kernel on most machines
		check(v("test", "noprov", "build", "system", n) <= v("bench-nop2p", "noprov", "build", "system", n) &&
		      ld("test", "noprov", "build", "system", n) <= ld("bench-nop2p", "noprov", "build", "system", n),
		      sprintf("no provider: sg_set_page (%d entries) <= P2P=n, no struct page load", n))
		check(v("test", "noprov", "map", "system", n) <= 1.01 * v("bench-nop2p", "noprov", "map", "system", n) &&
		      ld("test", "noprov", "map", "system", n) <= ld("bench-nop2p", "noprov", "map", "system", n),
		      sprintf("no provider: dma-direct map_sg of %d system entries <= 1.01x P2P=n, no struct page load", n))
		check(sv("test", "iommu-noprov", "map", "system", n) <= 1.01 * sv("bench-nop2p", "iommu-noprov", "map", "system", n) &&
		      ld("test", "iommu-noprov", "map", "system", n) <= ld("bench-nop2p", "iommu-noprov", "map", "system", n),
		      sprintf("no provider: dma-iommu, its own map_sg of %d system entries <= 1.01x P2P=n, no struct page load", n))
		# a provider present, lists of system memory: what every machine
		# with an NVMe whose CMB takes data runs
		check(v("test", "prov", "build", "system", n) <= v("bench-nop2p", "prov", "build", "system", n) + 3 &&
		      ld("test", "prov", "build", "system", n) == 0,
		      sprintf("provider: sg_set_page (%d system entries) <= P2P=n + 3, no struct page load", n))
		if (n == 1) {
			check(v("test", "prov", "map", "system", n) <= v("bench-nop2p", "prov", "map", "system", n) + 6 &&
			      ld("test", "prov", "map", "system", n) == 0,
			      "provider: dma-direct map_sg of 1 system entry <= P2P=n + 6, no struct page load")
			check(sv("test", "iommu", "map", "system", n) <= sv("bench-nop2p", "iommu", "map", "system", n) + 8 &&
			      noload("iommu", "map", "system", n),
			      "provider: dma-iommu, its own map_sg of 1 system entry <= P2P=n + 8, no struct page load")
		} else {
			check(v("test", "prov", "map", "system", n) <= 1.03 * v("bench-nop2p", "prov", "map", "system", n) &&
			      ld("test", "prov", "map", "system", n) == 0,
			      sprintf("provider: dma-direct map_sg of %d system entries <= 1.03x P2P=n, no struct page load", n))
			check(sv("test", "iommu", "map", "system", n) <= 1.03 * sv("bench-nop2p", "iommu", "map", "system", n) &&
			      noload("iommu", "map", "system", n),
			      sprintf("provider: dma-iommu, its own map_sg of %d system entries <= 1.03x P2P=n, no struct page load", n))
		}
		for (pi = 1; pi <= 2; pi++) {
			p = pi == 1 ? "prov" : "iommu"
			check(cv("test", p, "all", "system", n) < cv("bench-base", p, "all", "system", n) &&
			      noload(p, "all", "system", n),
			      sprintf("provider (%s): build+map+unmap of %d system entries < base, no struct page load", p, n))
			check(cv("test", p, "unmap", "system", n) <= cv("bench-base", p, "unmap", "system", n),
			      sprintf("provider (%s): unmap_sg of %d system entries <= base", p, n))
		}
		# P2P lists: bus addresses and the host bridge, dma-direct and dma-iommu
		for (pi = 1; pi <= 4; pi++) {
			p = pi == 1 ? "prov" : pi == 2 ? "hb" : pi == 3 ? "iommu" : "hb-iommu"
			check(v("test", p, "build", "p2p", n) <= v("bench-base", p, "build", "p2p", n) + 8 &&
			      ld("test", p, "build", "p2p", n) == 0,
			      sprintf("%s: sg_set_page (%d P2P entries) <= base + 8, no struct page load", p, n))
			check(cv("test", p, "map", "p2p", n) < cv("bench-base", p, "map", "p2p", n) &&
			      noload(p, "map", "p2p", n),
			      sprintf("%s: map_sg of %d P2P entries < base, no struct page load", p, n))
			check(cv("test", p, "all", "p2p", n) < cv("bench-base", p, "all", "p2p", n),
			      sprintf("%s: build+map+unmap of %d P2P entries < base", p, n))
			if (n > 1 && p == "hb")
				check(v("test", p, "map", "p2p", n) <= 1.05 * v("test", p, "map", "system", n),
				      sprintf("%s: map_sg of %d P2P entries <= 1.05x %d system entries", p, n, n))
			if (n > 1 && (p == "iommu" || p == "hb-iommu"))
				check(sv("test", p, "map", "p2p", n) <= sv("test", p, "map", "system", n) + 12,
				      sprintf("%s: own map_sg of %d P2P entries <= %d system entries + 12 per entry", p, n, n))
			if (n == 1) continue
			# mixed lists and two clients in turn: map, and build+map+unmap
			for (li = 3; li <= 6; li++) {
				if (!(("bench-base" SUBSEP p SUBSEP "map" SUBSEP kinds[li] SUBSEP n) in have) &&
				    kinds[li] == "p2p-2clients")
					continue
				check(cv("test", p, "map", kinds[li], n) < cv("bench-base", p, "map", kinds[li], n) &&
				      ld("test", p, "map", kinds[li], n) < ld("bench-base", p, "map", kinds[li], n),
				      sprintf("%s: map_sg of %d %s entries: fewer instructions and struct page loads than base", p, n, kinds[li]))
				check(cv("test", p, "all", kinds[li], n) < cv("bench-base", p, "all", kinds[li], n),
				      sprintf("%s: build+map+unmap of %d %s entries < base", p, n, kinds[li]))
			}
			if (p == "iommu" || p == "hb-iommu")
				check(cv("test", p, "unmap", "p2p", n) <= cv("bench-base", p, "unmap", "p2p", n),
				      sprintf("%s: unmap_sg of %d P2P entries <= base", p, n))
			if (p == "prov" || p == "iommu")
				check(cv("test", p, "map", "p2p-2clients", n) <= 1.10 * cv("test", p, "map", "p2p", n),
				      sprintf("%s: map_sg of %d P2P entries for two clients in turn <= 1.10x one client", p, n))
		}
	}
	# dma-iommu: the page table calls of a list
	for (pi = 4; pi <= 6; pi++) for (li = 1; li <= 6; li++) for (ni = 1; ni <= 3; ni++) {
		p = plist[pi]; l = kinds[li]; n = ns[ni]
		if (!(("bench-base" SUBSEP p SUBSEP "map" SUBSEP l SUBSEP n) in have)) continue
		need("test", p, "map", l, n)
		check(nosync["test", p, "map", l, n] <= nosync["bench-base", p, "map", l, n] &&
		      sync["test", p, "map", l, n] <= 1,
		      sprintf("%s: map_sg of %d %s entries: no more iommu_map_nosync() calls than base (%d), at most one IOTLB sync (%d)",
			      p, n, l, nosync["test", p, "map", l, n], sync["test", p, "map", l, n]))
	}
	# text size, base -> series, from the bloat-o-meter run of make bench
	if (bloat != "")
		check(bloat <= 9824, sprintf("text size: bloat-o-meter total %+d bytes <= +9824", bloat))
	else
		check(0, "text size: bloat-o-meter total <= +9824 (no bloat.txt)")
	printf "targets: %d met, %d missed\n", pass, fail
	exit fail > 0
}' bloat="$bloat" "$data"
