#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Regenerate patches/ as submissions from build/linux: each tag sub/NAME
# on a commit of base..HEAD ends the submission NAME, which starts after
# the tag before it. Each goes to patches/NN-NAME/ with its own cover
# letter (subject and text from submissions/NAME.txt) and series file;
# patches/series lists every patch of all of them, in order, so that
# "git am" of all of it reproduces build/linux. Never edit the patch
# files by hand.
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no build/linux: run make tree"
[ -z "$(tree_git status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes: commit them first"
subs=$TOP/submissions
# the tags in the order of their commits in base..HEAD
order=$(sub_tags)
[ -n "$order" ] || die "no sub/* tags in base..HEAD"
last=$(echo "$order" | tail -n 1)
[ "$(tree_git rev-parse "$last^{commit}")" = "$(tree_git rev-parse HEAD)" ] ||
	die "HEAD is not in a submission: tag it sub/NAME"
mkdir -p "$PATCHES"
find "$PATCHES" -mindepth 1 -maxdepth 1 -name '[0-9][0-9]-*' -type d -exec rm -rf {} +
rm -f "$PATCHES"/*.patch "$PATCHES/series"
tree_git update-ref -d refs/notes/series 2>/dev/null
if [ -f "$TOP/patch-notes.txt" ]; then
	sed -n 's/^== //p' "$TOP/patch-notes.txt" | while IFS= read -r subj; do
		c=$(tree_git log --format='%H %s' base..HEAD |
			awk -v s="$subj" '{ h = $1; sub(/^[^ ]* /, ""); if ($0 == s) print h }')
		[ -n "$c" ] || die "patch-notes.txt: no commit \"$subj\" in base..HEAD"
		awk -v s="== $subj" '$0 == s { on = 1; next } /^== / { on = 0 } on' \
			"$TOP/patch-notes.txt" |
			tree_git notes --ref=series add -f -F - "$c" || die "git notes add failed"
	done || exit 1
fi
prev=base i=0 total=0
: >"$PATCHES/series"
for t in $order; do
	i=$((i + 1))
	name=${t#sub/}
	dir=$(printf '%02d-%s' "$i" "$name")
	[ -f "$subs/$name.txt" ] || die "no submissions/$name.txt (its cover letter)"
	br=sub-$name
	tree_git branch -f "$br" "$t" >/dev/null
	tree_git config "branch.$br.description" "$(cat "$subs/$name.txt")"
	tree_git -c format.coverFromDescription=subject format-patch -q \
		--cover-letter --notes=series --zero-commit --abbrev=12 \
		--subject-prefix="PATCH $name" \
		-o "$PATCHES/$dir" "$prev..$br" ||
		die "format-patch of $name failed"
	(cd "$PATCHES/$dir" && ls 0*.patch | grep -v '^0000-cover-letter') >"$PATCHES/$dir/series"
	sed "s|^|$dir/|" "$PATCHES/$dir/series" >>"$PATCHES/series"
	n=$(grep -c . "$PATCHES/$dir/series")
	total=$((total + n))
	prev=$t
done
progress "${PATCHES#"$TOP"/}/: $i submissions, $total patches"
