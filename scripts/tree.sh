#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# (Re)create build/linux: the Debian source of the base as a git repository
# whose tag "base" is the pristine tree, with patches/ applied by "git am".
# The base is linux-source-7.3, fetched by scripts/fetch-base.sh.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/fetch-base.sh" || exit 1
have=$(cat "$BUILD/base/version")

rm -rf "$TREE"
# A fixed date makes the base commit (and so base-commit ids) reproducible.
export GIT_AUTHOR_DATE="2024-11-17T00:00:00Z" GIT_COMMITTER_DATE="2024-11-17T00:00:00Z"
mkdir -p "$BUILD"
run_logged "$LOGS/unpack.log" "unpack $(basename "$BASE_TARBALL")" \
	tar -C "$BUILD" -xJf "$BASE_TARBALL"
mv "$BUILD/$BASE_PKG" "$TREE"

# Debian's top-level .gitignore ends with "/*" (a packaging rule), so a
# plain "git add -A" would add nothing: force the base commit.
tree_git init -q
tree_git config core.autocrlf false
run_logged "$LOGS/git-base.log" "commit the pristine tree as tag base" \
	sh -c 'cd "$TREE" && git add -f . && git -c user.name="$0" -c user.email="$1" \
		commit -q -m "Linux $2 (Debian $3)" && git tag base' \
	"$P2P_NAME" "$P2P_EMAIL" "$(make -s -C "$TREE" kernelversion)" "$have"
# Files the series adds are ignored by that rule too: "git add -f" them.

# patches/series lists the patches of every submission (NN-NAME/...), in
# order; the last patch of each submission gets the tag sub/NAME, from
# which make patches regenerates the directories.
if [ -s "$PATCHES/series" ]; then
	unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE
	progress "git am $(grep -c . "$PATCHES/series") patches"
	prev=
	for p in $(cat "$PATCHES/series"); do
		d=${p%%/*}
		[ -n "$prev" ] && [ "$d" != "$prev" ] && tree_git tag -f "sub/${prev#??-}" >/dev/null
		tree_git am -q --keep-cr "$PATCHES/$p" ||
			die "${PATCHES#"$TOP"/}/$p does not apply"
		prev=$d
	done
	[ -n "$prev" ] && tree_git tag -f "sub/${prev#??-}" >/dev/null
fi
progress "${TREE#"$TOP"/} ready: $(tree_git rev-list --count base..HEAD) patches over base"
