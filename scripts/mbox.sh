#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make mbox: one mbox per submission, build/mbox/NN-NAME.mbox, as "git
# format-patch --thread --cover-letter" writes it from build/linux (the
# commits after the tag sub/ of the submission before, up to its own),
# addressed from scripts/get_maintainer.pl run on that submission's
# patches: its maintainers in To:, its reviewers and lists in Cc:.
# Nothing is sent.
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no build/linux: run make tree"
out=${MBOX_DIR:-$BUILD/mbox}
rm -rf "$out"
mkdir -p "$out"
order=$(sub_tags)
[ -n "$order" ] || die "no sub/* tags in base..HEAD: run make tree"
prev=base i=0
for t in $order; do
	i=$((i + 1))
	name=${t#sub/}
	dir=$(printf '%02d-%s' "$i" "$name")
	[ -d "$PATCHES/$dir" ] || die "no ${PATCHES#"$TOP"/}/$dir: run make patches"
	pl=$(sed "s|^|$PATCHES/$dir/|" "$PATCHES/$dir/series")
	gm() {
		# shellcheck disable=SC2086
		(cd "$TREE" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
			--nofixes --no-rolestats --no-multiline --separator , "$@" $pl)
	}
	to=$(gm --m --nor --nol) || die "get_maintainer.pl failed on $dir"
	cc=$(gm --nom --r --l) || die "get_maintainer.pl failed on $dir"
	br=sub-$name
	tree_git branch -f "$br" "$t" >/dev/null
	tree_git config "branch.$br.description" "$(cat "$TOP/submissions/$name.txt")"
	tree_git -c format.coverFromDescription=subject format-patch -q --stdout \
		--thread --cover-letter --notes=series --zero-commit --abbrev=12 \
		--subject-prefix="PATCH $name" \
		${to:+--to="$to"} ${cc:+--cc="$cc"} "$prev..$br" >"$out/$dir.mbox" ||
		die "format-patch of $dir failed"
	progress "${out#"$TOP"/}/$dir.mbox: $(grep -c '^Subject: ' "$out/$dir.mbox") mails, To: ${to:-nobody}"
	prev=$t
done
