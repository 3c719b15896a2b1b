#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Regenerate patches/ from the commits base..HEAD of build/linux: cover
# letter (subject and text from cover-letter.txt) first, then the patches,
# and the series file. Never edit the patch files by hand.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no build/linux: run make tree"
[ -z "$(tree_git status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes: commit them first"
mkdir -p "$PATCHES"
rm -f "$PATCHES"/*.patch "$PATCHES/series"
n=$(tree_git rev-list --count base..HEAD)
if [ "$n" -gt 0 ]; then
	br=$(tree_git symbolic-ref --short HEAD)
	tree_git config "branch.$br.description" "$(cat "$COVER")"
	tree_git format-patch -q --cover-letter --cover-from-description=subject \
		--zero-commit -o "$PATCHES" base..HEAD
fi
(cd "$PATCHES" && ls 0*.patch 2>/dev/null | grep -v '^0000-cover-letter') >"$PATCHES/series" || true
progress "${PATCHES#"$TOP"/}/: $n patches$( [ "$n" -gt 0 ] && echo ' + cover letter')"
