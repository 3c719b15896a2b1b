#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the table of "make bench" from DIR/<kernel>-<prov|noprov>.windows
# (the TCG plugin's windows) and .runs (the guest's runs, in order), and
# check the targets. Exit status 1 if a target is missed.
B=${1:?dir}
data=$B/data.tsv
: >"$data"
for k in bench-base test bench-nop2p; do
	for p in prov noprov iommu; do
		w=$B/$k-$p.windows r=$B/$k-$p.runs
		[ -f "$w" ] && [ -f "$r" ] || { echo "missing $w or $r" >&2; exit 2; }
		# pair the runs that started (ok/failed) with the plugin's groups
		awk -v k="$k" -v p="$p" '
		BEGIN { split("build map unmap", names, " ") }
		FNR == NR {
			if ($4 == "ok" || $4 == "failed") { rn[++nr] = $2; rk[nr] = $3; rs[nr] = $4 }
			next
		}
		$1 == "start" { g++; next }
		{
			key = g SUBSEP $1
			if (!(key in mi) || $2 < mi[key]) mi[key] = $2
			if ($2 > ma[key]) ma[key] = $2
			if (!(key in li) || $3 < li[key]) li[key] = $3
			if ($3 > la[key]) la[key] = $3
			if (!(key in si) || $4 < si[key]) si[key] = $4 + 0
		}
		END {
			if (g != nr) {
				printf "%s/%s: %d runs but %d plugin groups\n", k, p, nr, g > "/dev/stderr"
				exit 2
			}
			for (i = 1; i <= nr; i++)
				for (ph = 1; ph <= 3; ph++) {
					key = i SUBSEP names[ph]
					if (!(key in mi)) continue
					printf "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d\n", k, p, names[ph], rk[i], rn[i],
						mi[key], ma[key], li[key], la[key], rs[i], si[key]
				}
		}' "$r" "$w" >>"$data" || exit 2
	done
done

awk -F '\t' -v base="${BASE:-7.3}" '
{
	# per entry: instructions and struct page loads (minimum over loops)
	key = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
	ins[key] = $6 / $5; lds[key] = $8 / $5; self[key] = $11 / $5; have[key] = 1
	if ($7 != $6) spread[key] = $7 - $6
}
function v(k, p, op, l, n) { return ins[k, p, op, l, n] }
# instructions inside the self= functions only (the loops of dma-iommu)
function sv(k, p, op, l, n) { return self[k, p, op, l, n] }
function scell(k, p, op, l, n,   key) {
	key = k SUBSEP p SUBSEP op SUBSEP l SUBSEP n
	if (!(key in have)) return sprintf("%14s", "-")
	return sprintf("%14.2f", self[key])
}
function cell(k, p, op, l, n,   key) {
	key = k SUBSEP p SUBSEP op SUBSEP l SUBSEP n
	if (!(key in have)) return sprintf("%14s", "-")
	return sprintf("%9.2f/%4.2f", ins[key], lds[key])
}
function ratio(a, b) { return (b > 0) ? sprintf("%6.3f", a / b) : "     -" }
function check(ok, what) {
	if (ok) pass++; else { fail++; printf "  MISSED: %s\n", what }
}
END {
	split("build map unmap", ops, " "); split("sg_set_page map_sg unmap_sg", opn, " ")
	split("1 64 4096", ns, " ")
	print "Per entry: instructions/struct page loads (TCG plugin, exact). Kernels: base = " base " +"
	print "benchmark patch, patched = whole series, P2P=n = patched with CONFIG_PCI_P2PDMA=n."
	print "Provider: NVMe with a 64 MiB CMB (P2PDMA pages exist) or without a CMB; with"
	print "intel-iommu the lists are mapped by dma-iommu instead of dma-direct."
	title["noprov"] = "== no P2PDMA provider (dma-direct) =="
	title["prov"] = "== P2PDMA provider present (dma-direct) =="
	title["iommu"] = "== P2PDMA provider present, intel-iommu (dma-iommu) =="
	split("noprov prov iommu", plist, " ")
	for (pi = 1; pi <= 3; pi++) {
		p = plist[pi]
		printf "\n%s\n", title[p]
		printf "%-11s %-6s %5s %14s %14s %14s %9s %9s\n", "op", "list", "n", "base", "patched", "P2P=n", "pat/P2P=n", "pat/base"
		for (o = 1; o <= 3; o++) for (li = 1; li <= 2; li++) for (ni = 1; ni <= 3; ni++) {
			op = ops[o]; l = li == 1 ? "system" : "p2p"; n = ns[ni]
			if (!(("test" SUBSEP p SUBSEP op SUBSEP l SUBSEP n) in have)) continue
			printf "%-11s %-6s %5d %s %s %s %9s %9s\n", opn[o], l, n,
				cell("bench-base", p, op, l, n), cell("test", p, op, l, n), cell("bench-nop2p", p, op, l, n),
				ratio(v("test", p, op, l, n), v("bench-nop2p", p, op, l, n)),
				ratio(v("test", p, op, l, n), v("bench-base", p, op, l, n))
		}
	}
	print "\n== the same, instructions inside iommu_dma_map_sg()/iommu_dma_unmap_sg() themselves =="
	print "(what the series changes: their loops; the IOVA allocator and IOMMU page tables they"
	print "call cost more and vary with the allocator caches, so they are left out here)"
	printf "%-11s %-6s %5s %14s %14s %14s %9s %9s\n", "op", "list", "n", "base", "patched", "P2P=n", "pat/P2P=n", "pat/base"
	for (o = 2; o <= 3; o++) for (li = 1; li <= 2; li++) for (ni = 1; ni <= 3; ni++) {
		op = ops[o]; l = li == 1 ? "system" : "p2p"; n = ns[ni]
		if (!(("test" SUBSEP "iommu" SUBSEP op SUBSEP l SUBSEP n) in have)) continue
		printf "%-11s %-6s %5d %s %s %s %9s %9s\n", opn[o], l, n,
			scell("bench-base", "iommu", op, l, n), scell("test", "iommu", op, l, n),
			scell("bench-nop2p", "iommu", op, l, n),
			ratio(sv("test", "iommu", op, l, n), sv("bench-nop2p", "iommu", op, l, n)),
			ratio(sv("test", "iommu", op, l, n), sv("bench-base", "iommu", op, l, n))
	}
	print "\nTargets:"
	for (ni = 1; ni <= 3; ni++) {
		n = ns[ni]
		for (o = 2; o <= 3; o++) {
			op = ops[o]
			check(v("test", "noprov", op, "system", n) <= 1.01 * v("bench-nop2p", "noprov", op, "system", n),
				sprintf("no provider: %s of %d system entries <= 1.01x P2P=n", opn[o], n))
			check(lds["test", "noprov", op, "system", n] <= lds["bench-nop2p", "noprov", op, "system", n],
				sprintf("no provider: %s of %d system entries: no struct page load for P2P", opn[o], n))
			# with a provider, under dma-direct and dma-iommu: map_sg must
			# beat the base (which loads struct page); unmap_sg, which the
			# series leaves alone, must not get worse. Under dma-iommu the
			# kernels are compared on the instructions of its own loops.
			for (pi = 1; pi <= 2; pi++) {
				p = pi == 1 ? "prov" : "iommu"; w = pi == 1 ? "provider" : "iommu"
				pat = v("test", p, op, "system", n); bas = v("bench-base", p, op, "system", n)
				nop = v("bench-nop2p", p, op, "system", n)
				if (p == "iommu") {
					pat = sv("test", p, op, "system", n); bas = sv("bench-base", p, op, "system", n)
					nop = sv("bench-nop2p", p, op, "system", n)
				}
				vsbase = (op == "map") ? (pat < bas) : (pat <= bas)
				check(pat <= 1.10 * nop && vsbase,
					sprintf("%s: %s of %d system entries <= 1.10x P2P=n and %s base", w, opn[o], n, (op == "map") ? "<" : "<="))
				check(lds["test", p, op, "system", n] <= lds["bench-nop2p", p, op, "system", n],
					sprintf("%s: %s of %d system entries: no struct page load for P2P", w, opn[o], n))
				check(v("test", p, op, "p2p", n) <= 1.05 * v("test", p, op, "system", n),
					sprintf("%s: %s of %d P2P entries <= 1.05x system entries", w, opn[o], n))
			}
		}
		check(v("test", "noprov", "build", "system", n) <= v("bench-nop2p", "noprov", "build", "system", n) + 1 &&
			lds["test", "noprov", "build", "system", n] <= lds["bench-nop2p", "noprov", "build", "system", n],
			sprintf("no provider: sg_set_page (%d entries) <= P2P=n + 1 insn, no extra load", n))
		check(lds["test", "prov", "build", "system", n] <= lds["bench-nop2p", "prov", "build", "system", n] + 1,
			sprintf("provider: sg_set_page (%d entries) loads at most its page once", n))
	}
	for (key in spread) { split(key, f, SUBSEP); printf "  note: %s/%s %s %s %s varied by %d insns between loops\n", f[1], f[2], f[3], f[4], f[5], spread[key] }
	printf "targets: %d met, %d missed\n", pass, fail
	exit fail > 0
}' "$data"
