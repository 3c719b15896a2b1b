#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bisect: every commit of the series (base..HEAD of build/linux) must
# build, with CONFIG_PCI_P2PDMA=y and =n, kernel and p2pdma selftests.
# Runs in a separate worktree (build/bisect) with its own object dirs and
# the shared ccache, so that build/linux and build/obj-test are untouched.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no build/linux: run make tree"
wt=$BUILD/bisect
commits=$(tree_git rev-list --reverse base..HEAD)
[ -n "$commits" ] || { progress "empty series: nothing to bisect"; exit 0; }
if ! [ -d "$wt" ]; then
	tree_git worktree add -q --detach "$wt" base || die "git worktree add failed"
fi
n=0 total=$(echo "$commits" | wc -l) bad=
for c in $commits; do
	n=$((n + 1))
	git -C "$wt" checkout -q --detach "$c" || die "checkout $c"
	subj=$(git -C "$wt" log -1 --format=%s "$c")
	for v in y n; do
		frag=
		[ $v = n ] && frag=no-p2pdma.config
		progress "[$n/$total] P2PDMA=$v: $subj"
		if ! KCONFIG_ALLOW_MISSING=1 TREE=$wt "$TOP/scripts/kernel.sh" bisect-$v $frag >"$LOGS/bisect-$v.log" 2>&1 ||
			! make -C "$wt/tools/testing/selftests" O="$BUILD/obj-bisect-$v" \
				TARGETS=p2pdma >>"$LOGS/bisect-$v.log" 2>&1; then
			tail -n 20 "$LOGS/bisect-$v.log"
			bad="$bad
  $(git -C "$wt" log -1 --format='%h %s' "$c") (P2PDMA=$v)"
		fi
	done
done
[ -z "$bad" ] || die "these commits do not build:$bad"
progress "all $total commits build with CONFIG_PCI_P2PDMA=y and =n"
