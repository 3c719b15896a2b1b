#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Series hygiene as KTAP (one test per check): checkpatch --strict on every
# patch in patches/; sparse (C=2) and W=1 on every kernel C file the series
# touches, with the warnings of every touched file (headers too) on the
# lines it changed; kernel-doc -Wall on every touched header and C file;
# Coccinelle; the whole of patches/series applies with git am and gives
# build/linux; each submission (patches/NN-NAME/) applies on the base that
# submissions/bases.txt states, and so does b4 am of its mbox.
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# covered_by_maintainers PATCH: every file PATCH adds matches an F: line of
# the "PCI PEER-TO-PEER DMA (P2PDMA)" entry of MAINTAINERS (as patched)
covered_by_maintainers() {
	for f in $(awk '/^--- \/dev\/null/ { getline; if (sub(/^\+\+\+ b\//, "")) print }' "$1"); do
		awk -v f="$f" '
			/^PCI PEER-TO-PEER DMA \(P2PDMA\)$/ { s = 1; next }
			s && /^$/ { exit }
			s && /^F:/ { p = $2; if (f == p || (p ~ /\/$/ && index(f, p) == 1)) found = 1 }
			END { exit !found }' "$TREE/MAINTAINERS" || return 1
	done
}

patches=$(grep -v '^#' "$PATCHES/series" 2>/dev/null)
files=$(tree_git diff --name-only --diff-filter=AM base..HEAD)
cfiles=$(printf '%s\n' $files | grep '\.c$' | grep -v '^tools/' || true)
docfiles=$(printf '%s\n' $files | grep -E '^(include|drivers|kernel|lib|mm|block|arch)/.*\.[ch]$' || true)

# known_commit_ids PATCH: checkpatch's "Unknown commit id 'ID'" text for
# every Fixes: tag of PATCH whose id and quoted subject are a line of
# scripts/mainline-commits.txt.
known_commit_ids() {
	sed -n 's/^Fixes: \([0-9a-f]\{12,40\}\) ("\(.*\)")$/\1 \2/p' "$1" |
	while read -r id subject; do
		awk -v id="$id" -v subj="$subject" '
			!/^#/ && index($1, id) == 1 && substr($0, length($1) + 2) == subj { f = 1 }
			END { exit !f }' "$TOP/scripts/mainline-commits.txt" &&
			echo "Unknown commit id '$id'"
	done
}

# Coccinelle (below): the series' semantic patch over these directories,
# the touched headers and its exceptions; the kernel's other API scripts
cocci=$TREE/scripts/coccinelle/api/pci_p2pdma_sg.cocci
cocci_ntests=0
if [ -f "$cocci" ]; then
	cocci_dirs=$(printf '%s\n' $cfiles drivers/nvme/target/x.c drivers/gpu/drm/i915/x.c net/core/x.c |
		sed 's|/[^/]*\.c$||' | sort -u)
	api_scripts=$(ls "$TREE"/scripts/coccinelle/api/*.cocci "$TREE"/scripts/coccinelle/api/alloc/*.cocci |
		grep -v -F "$cocci")
	cocci_ntests=$(( $(echo $cocci_dirs | wc -w) + 2 + $(echo $api_scripts | wc -w) ))
fi

ktap_print_header
# the submissions (patches/NN-NAME/) and, from submissions/bases.txt,
# what each applies on
subs=$(sed -n 's|^\([0-9][0-9]-[^/]*\)/.*|\1|p' "$PATCHES/series" | uniq)
ktap_set_plan $(( $(echo $patches | wc -w) + $(echo $cfiles | wc -w) + $(echo $docfiles | wc -w) + 1 + cocci_ntests + 2 * $(echo $subs | wc -w) ))

for p in $patches; do
	(cd "$TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --no-summary --terse \
		"$PATCHES/$p") >"$tmp/cp" 2>&1
	# checkpatch asks about MAINTAINERS for every file a patch adds, as it
	# cannot know whether an F: pattern already covers it: answer that
	# here, against the P2PDMA entry, and drop the question if so.
	if grep -q 'does MAINTAINERS need updating' "$tmp/cp" && covered_by_maintainers "$PATCHES/$p"; then
		grep -v 'does MAINTAINERS need updating' "$tmp/cp" >"$tmp/cp2"
		mv "$tmp/cp2" "$tmp/cp"
	fi
	# The base is one commit, so checkpatch knows no mainline id: accept
	# its "Unknown commit id" for ids of scripts/mainline-commits.txt
	# whose Fixes: tag in the patch quotes the recorded subject.
	known_commit_ids "$PATCHES/$p" >"$tmp/known"
	if [ -s "$tmp/known" ]; then
		grep -v -F -f "$tmp/known" "$tmp/cp" >"$tmp/cp2" || true
		mv "$tmp/cp2" "$tmp/cp"
	fi
	if [ ! -s "$tmp/cp" ]; then
		ktap_test_pass "checkpatch $p"
	else
		sed 's/^/# /' "$tmp/cp"
		ktap_test_fail "checkpatch $p"
	fi
done

# lint_config FILE: the configured build that compiles FILE, in $obj, and
# its compiler, in $cc, $arch and $cross. The x86 dma_map_ops of Xen and
# the AMD GART need their own config, DMA-API debugging the debug kernel's;
# powerpc files are cross-compiled in the pseries guest's build.
lint_config() {
	v=${LINT_VARIANT:-test} karch=x86 frag='' cc="ccache gcc" arch='' cross=''
	case $1 in
	arch/powerpc/*)
		v=ppc64le karch=ppc64le arch=powerpc cross=powerpc64le-linux-gnu-
		cc="ccache ${cross}gcc"
		;;
	arch/x86/kernel/amd_gart_64.c | drivers/xen/*)
		v=xengart frag=xen-gart.config
		;;
	kernel/dma/debug.c)
		# CONFIG_DMA_API_DEBUG
		v=debug frag=debug.config
		;;
	esac
	obj=$BUILD/obj-$v
	if [ "$v" != "${LINT_VARIANT:-test}" ] && [ ! -f "$obj/include/generated/autoconf.h" ]; then
		KARCH=$karch KTARGET=prepare "$TOP/scripts/kernel.sh" "$v" $frag >&2 || return 1
	fi
}

# changed_lines FILE: numbers of the lines of FILE the series added or changed
changed_lines() {
	tree_git diff -U0 base..HEAD -- "$1" |
		sed -n 's/^@@ -[0-9,]* +\([0-9]*\)\(,\([0-9]*\)\)\{0,1\} @@.*/\1 \3/p' |
		awk '{ n = ($2 == "") ? 1 : $2; for (i = 0; i < n; i++) print $1 + i }'
}

# "FILE:LINE" of every line the series added or changed, in every file it
# touches (headers too: their warnings show in the objects that include
# them)
for f in $files; do
	changed_lines "$f" | sed "s|^|$f:|"
done >"$tmp/changed"
tree_p=$(cd "$TREE" && pwd -P)

# A sparse that 7.3 accepts: with an older one, C=2 would check nothing
# (see scripts/sparse.sh)
sparse=$("$TOP/scripts/sparse.sh") || sparse=
for f in $cfiles; do
	o=${f%.c}.o
	if [ -z "$sparse" ]; then
		ktap_test_fail "sparse+W=1 $f (no usable sparse, see scripts/sparse.sh)"
		continue
	fi
	if ! lint_config "$f"; then
		ktap_test_fail "sparse+W=1 $f (no configured build)"
		continue
	fi
	# sparse and W=1 for this object only; report the warnings on lines
	# the series added or changed (some files have warnings of their own)
	rm -f "$obj/$o"
	make -C "$TREE" O="$obj" CC="$cc" ${arch:+ARCH=$arch} ${cross:+CROSS_COMPILE=$cross} \
		CHECK="$sparse" C=2 W=1 "$o" >"$tmp/sp" 2>&1
	rc=$?
	# make turns C=2 off, with a warning, for a checker it rejects
	grep -q 'is not available or not up to date' "$tmp/sp" && rc=1
	# the warnings of every file the series touches, on the lines it added
	# or changed there, and its errors on any line
	grep -E "^[^ :]+:[0-9]+:[0-9]*:? ?(warning|error)" "$tmp/sp" |
		sed -e "s|^\.\./linux/||" -e "s|^$tree_p/||" -e "s|^\./||" >"$tmp/w0"
	awk -F: 'NR == FNR { mine[$0] = 1; sub(/:[0-9]+$/, ""); touched[$0] = 1; next }
		(($1 ":" $2) in mine) ||
		(($1 in touched) && /^[^:]+:[0-9]+:([0-9]+:)? ?error/)' \
		"$tmp/changed" "$tmp/w0" >"$tmp/w"
	if [ $rc -eq 0 ] && ! [ -s "$tmp/w" ]; then
		ktap_test_pass "sparse+W=1 $f"
	else
		sed 's/^/# /' "$tmp/w" "$tmp/sp" | head -n 40
		ktap_test_fail "sparse+W=1 $f"
	fi
	rm -f "$obj/$o"
done

# Coccinelle. The series' semantic patch, through make coccicheck, over the
# directories of the C files the series touches and those where it found
# users in 7.3, and directly over the touched headers: no report but those
# scripts/cocci-exceptions.txt documents (and each of those must still
# report). Then the kernel's other API scripts over the touched C files,
# at base and at HEAD: no report that base does not have.
if [ -f "$cocci" ]; then
	macros="--macro-file $TOP/scripts/cocci-macros.h"
	: >"$tmp/cocci-all"
	for d in $cocci_dirs; do
		make -s -C "$TREE" coccicheck MODE=report COCCI="$cocci" M="$d" \
			SPFLAGS="$macros" >"$tmp/co" 2>&1
		rc=$?
		grep -E '^\./[^ ]+:[0-9]+:[0-9-]+: ' "$tmp/co" | sed "s|^\./|$d/|" >"$tmp/cw"
		cat "$tmp/cw" >>"$tmp/cocci-all"
		bad=$(cocci_unexcused "$tmp/cw")
		if [ $rc -eq 0 ] && [ -z "$bad" ]; then
			ktap_test_pass "coccinelle pci_p2pdma_sg: $d"
		else
			printf '%s\n' "$bad" | sed 's/^/# /'
			tail -n 5 "$tmp/co" | sed 's/^/# /'
			ktap_test_fail "coccinelle pci_p2pdma_sg: $d"
		fi
	done
	hfiles=$(printf '%s\n' $docfiles | grep '\.h$' || true)
	# shellcheck disable=SC2086
	(cd "$TREE" && spatch -D report --no-show-diff --very-quiet --no-includes \
		--include-headers $macros --sp-file "$cocci" $hfiles) >"$tmp/ch" 2>&1
	if [ $? -eq 0 ] && ! grep -q ': WARNING: ' "$tmp/ch"; then
		ktap_test_pass "coccinelle pci_p2pdma_sg: the touched headers"
	else
		sed 's/^/# /' "$tmp/ch"
		ktap_test_fail "coccinelle pci_p2pdma_sg: the touched headers"
	fi
	stale=
	while IFS='|' read -r f text; do
		case $f in '#'* | '') continue ;; esac
		grep -F "$f:" "$tmp/cocci-all" | grep -qF "$text" || stale="$stale $f"
	done <"$TOP/scripts/cocci-exceptions.txt"
	if [ -z "$stale" ]; then
		ktap_test_pass "coccinelle pci_p2pdma_sg: every documented exception still reports"
	else
		ktap_test_fail "coccinelle pci_p2pdma_sg: stale exceptions:$stale"
	fi

	# The kernel's API scripts: base against HEAD, by file and message
	mkdir -p "$tmp/base"
	for f in $cfiles; do
		tree_git show "base:$f" >"$tmp/base.c" 2>/dev/null || continue
		mkdir -p "$tmp/base/$(dirname "$f")"
		mv "$tmp/base.c" "$tmp/base/$f"
	done
	for s in $api_scripts; do
		opt=$(grep "Options:" "$s" | cut -d: -f2)
		# scripts without a report mode (kmalloc_objs.cocci) compare the
		# lines their patch mode would change, file by file
		mode='report --no-show-diff'
		grep -q '^virtual report' "$s" || mode=patch
		# spatch must succeed on both trees: an empty report of a failed
		# run would pass
		# shellcheck disable=SC2086
		(cd "$TREE" && spatch -D $mode --very-quiet $opt --sp-file "$s" $cfiles) \
			>"$tmp/api-head.raw" 2>"$tmp/api.err"
		rc=$?
		# shellcheck disable=SC2086
		(cd "$tmp/base" && spatch -D $mode --very-quiet $opt --sp-file "$s" \
			$(cd "$tmp/base" && find . -name '*.c' | sed 's|^\./||')) >"$tmp/api-base.raw" 2>>"$tmp/api.err" ||
			rc=1
		for t in head base; do
			awk '/^--- / { f = $2; sub(/^[ab]\//, "", f); next }
			     /^\+\+\+ / { next }
			     /^-/ { print f ": " $0; next }
			     /^[^ @+-][^ ]*:[0-9]+:[0-9-]+: / { sub(/:[0-9]+:[0-9-]+:/, ":"); print }' \
				"$tmp/api-$t.raw" | sort >"$tmp/api-$t"
		done
		new=$(comm -23 "$tmp/api-head" "$tmp/api-base")
		name=${s#"$TREE"/scripts/coccinelle/}
		if [ $rc -ne 0 ]; then
			tail -n 5 "$tmp/api.err" | sed 's/^/# /'
			ktap_test_fail "coccinelle $name: spatch failed"
		elif [ -z "$new" ]; then
			ktap_test_pass "coccinelle $name: no new report"
		else
			printf '%s\n' "$new" | sed 's/^/# /'
			ktap_test_fail "coccinelle $name: new reports"
		fi
	done
fi

# kernel-doc -Wall: no warning that the base version of the file lacks
# (the base has some of its own; line numbers are left out of the compare)
# (6.12 prints "FILE:LINE: warning: ...", 7.x "Warning: FILE:LINE ...")
kdoc() {
	(cd "$TREE" && ./scripts/kernel-doc -Wall -none "$1") 2>&1 |
		sed -E -e 's/^[^: ]*:[0-9]*: //' -e 's/^(Warning|Error): [^ ]*:[0-9]+ /\1: /' |
		sort -u
}
for f in $docfiles; do
	: >"$tmp/kd.base"
	if tree_git cat-file -e "base:$f" 2>/dev/null; then
		mkdir -p "$(dirname "$tmp/base/$f")"
		tree_git show "base:$f" >"$tmp/base/$f"
		kdoc "$tmp/base/$f" >"$tmp/kd.base"
	fi
	kdoc "$f" >"$tmp/kd"
	if comm -13 "$tmp/kd.base" "$tmp/kd" | grep . >"$tmp/kd.new"; then
		sed 's/^/# new: /' "$tmp/kd.new"
		ktap_test_fail "kernel-doc $f"
	else
		ktap_test_pass "kernel-doc $f"
	fi
done

# The series must apply with plain "git am" onto the pristine base.
rm -rf "$tmp/am"
if git clone -q --shared --no-checkout "$TREE" "$tmp/am" 2>/dev/null &&
	git -C "$tmp/am" -c advice.detachedHead=false checkout -q base &&
	(cd "$tmp/am" && for p in $patches; do
		git -c user.name="$P2P_NAME" -c user.email="$P2P_EMAIL" am -q "$PATCHES/$p" || exit 1
	done) >"$tmp/am.log" 2>&1 &&
	[ "$(git -C "$tmp/am" rev-parse 'HEAD^{tree}')" = "$(tree_git rev-parse 'HEAD^{tree}')" ]; then
	ktap_test_pass "patches/ applies with git am and matches build/linux"
else
	sed 's/^/# /' "$tmp/am.log" 2>/dev/null
	ktap_test_fail "patches/ applies with git am and matches build/linux"
fi

# Each submission applies with git am on exactly the base its cover letter
# states: pristine 7.3.4 and the submissions submissions/bases.txt names;
# and so does what "b4 am" gives back from its mbox (make mbox).
MBOX_DIR=$tmp/mbox "$TOP/scripts/mbox.sh" >"$tmp/mbox.log" 2>&1 ||
	sed 's/^/# /' "$tmp/mbox.log"
# on_base DIR NAME: a clone of build/linux at the base of submission NAME,
# with the submissions it needs applied
on_base() {
	[ -d "$1/.git" ] || git clone -q --shared --no-checkout "$TREE" "$1" || return 1
	git -C "$1" am --abort >/dev/null 2>&1
	git -C "$1" -c advice.detachedHead=false checkout -q -f --detach base &&
		git -C "$1" clean -q -f -d &&
		for n in $(sed -n "s/^$2: base//p" "$TOP/submissions/bases.txt"); do
			sd=$(cd "$PATCHES" && ls -d [0-9][0-9]-"$n") || return 1
			for p in $(cat "$PATCHES/$sd/series"); do
				git -C "$1" -c user.name="$P2P_NAME" -c user.email="$P2P_EMAIL" \
					am -q --keep-cr "$PATCHES/$sd/$p" || return 1
			done
		done
}
for d in $subs; do
	name=${d#??-}
	needs=$(sed -n "s/^$name: base//p" "$TOP/submissions/bases.txt")
	what="submission $d applies on base${needs:+ +$needs}"
	if grep -q "^$name: base" "$TOP/submissions/bases.txt" &&
		on_base "$tmp/sub" "$name" >"$tmp/sub.log" 2>&1 &&
		(for p in $(cat "$PATCHES/$d/series"); do
			git -C "$tmp/sub" -c user.name="$P2P_NAME" -c user.email="$P2P_EMAIL" \
				am -q --keep-cr "$PATCHES/$d/$p" || exit 1
		done) >>"$tmp/sub.log" 2>&1; then
		ktap_test_pass "$what"
	else
		sed 's/^/# /' "$tmp/sub.log" 2>/dev/null
		ktap_test_fail "$what"
	fi
	what="b4 am of the mbox of $d applies on its base"
	rm -rf "$tmp/b4"
	mkdir -p "$tmp/b4"
	if grep -q "^$name: base" "$TOP/submissions/bases.txt" &&
		[ -s "$tmp/mbox/$d.mbox" ] &&
		(cd "$tmp/b4" && b4 -q am -m - -o "$tmp/b4" <"$tmp/mbox/$d.mbox") >"$tmp/b4.log" 2>&1 &&
		[ "$(ls "$tmp"/b4/*.mbx | wc -l)" = 1 ] &&
		[ "$(grep -c '^Subject: ' "$tmp"/b4/*.mbx)" = "$(grep -c . "$PATCHES/$d/series")" ] &&
		on_base "$tmp/sub" "$name" >>"$tmp/b4.log" 2>&1 &&
		git -C "$tmp/sub" -c user.name="$P2P_NAME" -c user.email="$P2P_EMAIL" \
			am -q --keep-cr "$tmp"/b4/*.mbx >>"$tmp/b4.log" 2>&1; then
		ktap_test_pass "$what"
	else
		sed 's/^/# /' "$tmp/b4.log" 2>/dev/null
		ktap_test_fail "$what"
	fi
done
ktap_finished
