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
	# Notes for the reviewer, below a patch's "---": patch-notes.txt
	# holds them as records, a line "== SUBJECT" and then the note; each
	# goes to the commit of base..HEAD with that subject as a git note
	tree_git update-ref -d refs/notes/series 2>/dev/null
	if [ -f "$TOP/patch-notes.txt" ]; then
		sed -n 's/^== //p' "$TOP/patch-notes.txt" >"$PATCHES/.notes"
		while IFS= read -r subj; do
			c=$(tree_git log --format='%H %s' base..HEAD |
				awk -v s="$subj" '{ h = $1; sub(/^[^ ]* /, ""); if ($0 == s) print h }')
			[ -n "$c" ] || die "patch-notes.txt: no commit \"$subj\" in base..HEAD"
			awk -v s="== $subj" '
				$0 == s { on = 1; next }
				/^== / { on = 0 }
				on' "$TOP/patch-notes.txt" |
				tree_git notes --ref=series add -f -F - "$c" ||
				die "git notes add failed"
		done <"$PATCHES/.notes"
		rm -f "$PATCHES/.notes"
	fi
	tree_git format-patch -q --cover-letter --cover-from-description=subject \
		--notes=series --zero-commit -o "$PATCHES" base..HEAD
fi
(cd "$PATCHES" && ls 0*.patch 2>/dev/null | grep -v '^0000-cover-letter') >"$PATCHES/series" || true
progress "${PATCHES#"$TOP"/}/: $n patches$( [ "$n" -gt 0 ] && echo ' + cover letter')"
