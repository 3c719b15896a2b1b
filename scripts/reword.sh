#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Replace commit messages of the series without touching the work tree
# (safe while a build reads build/linux):
#   scripts/reword.sh 'subject prefix=FILE' ...
# Each commit of base..HEAD whose subject starts with a prefix gets the
# message in FILE; trees, authors and dates are kept. With REPLACE_PATH,
# REPLACE_FROM (a subject prefix) and the work tree's version of that
# path committed nowhere yet, that version replaces the path in the commit
# REPLACE_FROM and all later ones: a fixup that no later commit touches,
# squashed without a checkout.
. "$(dirname "$0")/lib.sh"

blob=
if [ -n "${REPLACE_PATH:-}" ]; then
	blob=$(tree_git hash-object -w "$TREE/$REPLACE_PATH") || die "hash-object"
	idx=$(mktemp)
	rm -f "$idx"
fi
replacing=

parent=$(tree_git rev-parse base)
for c in $(tree_git rev-list --reverse base..HEAD); do
	subj=$(tree_git log -1 --format=%s "$c")
	msg=
	for m in "$@"; do
		case $subj in
		"${m%%=*}"*) msg=${m#*=} ;;
		esac
	done
	if [ -z "$msg" ]; then
		msg=$(mktemp)
		tree_git log -1 --format=%B "$c" >"$msg"
	fi
	tree=$(tree_git rev-parse "$c^{tree}")
	if [ -n "$blob" ]; then
		case $subj in
		"$REPLACE_FROM"*) replacing=1 ;;
		esac
	fi
	if [ -n "$replacing" ]; then
		GIT_INDEX_FILE=$idx tree_git read-tree "$tree" &&
		GIT_INDEX_FILE=$idx tree_git update-index --cacheinfo "100644,$blob,$REPLACE_PATH" &&
		tree=$(GIT_INDEX_FILE=$idx tree_git write-tree) || die "rewriting the tree of $subj"
		rm -f "$idx"
	fi
	parent=$(GIT_AUTHOR_NAME=$(tree_git log -1 --format=%an "$c") \
		GIT_AUTHOR_EMAIL=$(tree_git log -1 --format=%ae "$c") \
		GIT_AUTHOR_DATE=$(tree_git log -1 --format=%aD "$c") \
		tree_git commit-tree "$tree" -p "$parent" -F "$msg") ||
		die "commit-tree failed at $subj"
done
if [ -n "$blob" ]; then
	[ -n "$replacing" ] || die "no commit starts with $REPLACE_FROM"
	tree_git update-ref -m reword HEAD "$parent"
	tree_git reset -q -- "$REPLACE_PATH"
	progress "reworded, $REPLACE_PATH replaced from \"$REPLACE_FROM\" on"
	exit 0
fi
[ "$(tree_git rev-parse "$parent^{tree}")" = "$(tree_git rev-parse 'HEAD^{tree}')" ] || die "tree mismatch"
tree_git update-ref -m reword HEAD "$parent"
progress "reworded: $(tree_git rev-list --count base..HEAD) commits"
