#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make cocci-tree: the series' semantic patch
# (scripts/coccinelle/api/pci_p2pdma_sg.cocci) over the whole patched tree,
# as KTAP: one test per report, which passes only if
# scripts/cocci-exceptions.txt documents it; the counts per rule go to the
# log. Every rule of the script needs page_link, is_pci_p2pdma_page or
# pci_p2pdma_state in the file, so the files that name none of them (git
# grep) are left out: the same reports as make coccicheck over the whole
# tree, in seconds (make coccicheck over the whole tree had not finished
# after 20 minutes on 2 cores).
# Not part of make check: make lint runs the script where it matters.
. "$(dirname "$0")/lib.sh"

cocci=$TREE/scripts/coccinelle/api/pci_p2pdma_sg.cocci
[ -f "$cocci" ] || die "${TREE#"$TOP"/} has no ${cocci#"$TREE"/}"
out=$LOGS/cocci-tree.log
mkdir -p "$LOGS" "$BUILD/results"
files=$(tree_git grep -l -e page_link -e is_pci_p2pdma_page -e pci_p2pdma_state -- '*.c' '*.h' |
	grep -v '^tools/')
progress "Coccinelle over the $(echo $files | wc -w) files of the tree that name page_link, is_pci_p2pdma_page or pci_p2pdma_state (log: ${out#"$TOP"/})"
# shellcheck disable=SC2086
(cd "$TREE" && spatch -D report --no-show-diff --very-quiet --no-includes --include-headers \
	--macro-file "$TOP/scripts/cocci-macros.h" --sp-file "$cocci" $files) >"$out" 2>&1 ||
	die "spatch failed, see ${out#"$TOP"/}"
grep -E '^[^ ]+:[0-9]+:[0-9-]+: ' "$out" | sort -u >"$BUILD/cocci-tree.txt"
for what in "tested through struct page" "written without sg_assign_page" \
	"initialised without sg_assign_page" "copied into page_link"; do
	echo "# $what: $(grep -c "$what" "$BUILD/cocci-tree.txt")"
done
(
	# shellcheck disable=SC1091
	. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"
	ktap_print_header
	ktap_set_plan "$(grep -c . "$BUILD/cocci-tree.txt")"
	while IFS= read -r r; do
		if [ -z "$(printf '%s\n' "$r" | cocci_unexcused /dev/stdin)" ]; then
			ktap_test_pass "documented: $r"
		else
			ktap_test_fail "$r"
		fi
	done <"$BUILD/cocci-tree.txt"
	ktap_print_totals
) | tee "$BUILD/results/cocci-tree.ktap"
