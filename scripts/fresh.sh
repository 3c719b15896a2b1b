#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make fresh: the README's two commands as a newcomer runs them, on a clean
# Debian 12 root instead of this machine.
#
# debootstrap a minimal bookworm into build/fresh/root (plus make, without
# which neither command starts), with the machine's Debian sources and the
# top-level Acquire options its configuration adds to apt's defaults (a
# mirror that serves a snapshot needs the machine's "no Valid-Until check",
# also in the harness's private apt configurations), nothing else of its
# apt configuration; copy a clean clone of this repository's HEAD into it
# (at the same path, so that its build/ can be compared with this one's),
# bind /proc, /sys and /dev in a mount namespace of its own and run "make
# run", then "make check" there as root. Everything either command needs
# must come from the project's own files (scripts/deps.sh and the fetch
# scripts): a tool that only the developer's machine has fails here. Prints
# both results and times; the whole output is in build/logs/fresh-*.log.
#
# FRESH_TARGETS="run check" (the default) names the make targets to run in
# order; "bench" or "bisect" may be added. FRESH_KEEP=1 keeps the root of
# the last run instead of starting from a new one.
. "$(dirname "$0")/lib.sh"

F=$BUILD/fresh
R=$F/root
TARGETS=${FRESH_TARGETS:-run check}
SUITE=bookworm

[ "$(id -u)" -eq 0 ] || die "make fresh needs root (debootstrap, mount, chroot)"
mkdir -p "$LOGS"

if ! command -v debootstrap >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	run_logged "$LOGS/fresh-apt.log" "apt-get install debootstrap (this machine)" \
		sh -c 'apt-get update && apt-get install -y --no-install-recommends debootstrap'
fi

# source_uris FILE...: the URIs of the binary and source entries of apt
# sources files, one-line (deb [opts] URI ...) and deb822 (URIs:) alike
source_uris() {
	sed -n -e 's/^[[:space:]]*URIs:[[:space:]]*//p' \
		-e 's/^[[:space:]]*deb\(-src\)\?[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\3/p' "$@" |
		tr ' ' '\n' | grep -v '^$'
}
# The machine's Debian sources: the files under /etc/apt whose every
# URI is on a debian.org host (others, such as a vendor's, are left out).
debian_sources() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uris=$(source_uris "$f")
		[ -n "$uris" ] || continue
		echo "$uris" | grep -qvE '^https?://([a-z0-9-]+\.)*debian\.org(/|$)' && continue
		echo "$f"
	done
}
srcs=$(debian_sources)
[ -n "$srcs" ] || die "this machine has no Debian apt source (deb.debian.org) to copy"
# shellcheck disable=SC2086 # one file a word
mirror=$(source_uris $srcs | grep -E '/debian/?$' | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}

if grep -q " $R/" /proc/mounts; then
	die "something is mounted under ${R#"$TOP"/}: unmount it first"
fi
if [ "${FRESH_KEEP:-0}" != 1 ] || ! [ -x "$R/usr/bin/make" ]; then
	rm -rf "$R"
	mkdir -p "$R"
	run_logged "$LOGS/fresh-debootstrap.log" "debootstrap --variant=minbase $SUITE (+ make) from $mirror into ${R#"$TOP"/}" \
		debootstrap --variant=minbase --include=make "$SUITE" "$R" "$mirror"
	rm -f "$R/etc/apt/sources.list"
	for f in $srcs; do
		case $f in
		/etc/apt/sources.list) cp "$f" "$R/etc/apt/sources.list" ;;
		*) cp "$f" "$R/etc/apt/sources.list.d/" ;;
		esac
	done
	# The Acquire:: options of the machine (for instance those of a
	# mirror that serves a snapshot: no Valid-Until check), those that
	# its configuration adds to apt's defaults, at the top level only
	# (not the index targets of its packages, such as appstream's)
	echo 'Dir::Etc::Parts "/nonexistent"; Dir::Etc::Main "/dev/null";' >"$F/apt-empty.conf"
	APT_CONFIG=$F/apt-empty.conf apt-config dump 2>/dev/null | LC_ALL=C sort >"$F/apt-defaults"
	apt-config dump | grep -E '^Acquire::[^:]+(::)? ' | LC_ALL=C sort |
		comm -23 - "$F/apt-defaults" >"$R/etc/apt/apt.conf.d/99fresh-from-host"
fi
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true

# A clean clone: what is committed, nothing of build/ or the work tree.
rm -rf "$R$TOP"
mkdir -p "$(dirname "$R$TOP")"
git clone -q --no-hardlinks "$TOP" "$R$TOP" || die "git clone into the fresh root failed"
head=$(git -C "$R$TOP" log -1 --format='%h %s')
progress "fresh root: Debian $(cat "$R/etc/debian_version"), clone of $head"

# run_in_root TARGET: "make TARGET" in the root as a login would run it;
# its output goes to the log and, for progress lines, to the terminal.
run_in_root() {
	log=$LOGS/fresh-$1.log
	rm -f "$F/rc"
	progress "make $1 in the fresh root (log: ${log#"$TOP"/})"
	unshare --mount --propagation private sh -c '
		R=$1 dir=$2 target=$3
		mount --rbind /dev "$R/dev" && mount -t proc proc "$R/proc" &&
			mount --rbind /sys "$R/sys" || exit 125
		chroot "$R" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			sh -c "cd \"\$1\" && exec make \"\$2\"" sh "$dir" "$target" </dev/null
	' sh "$R" "$TOP" "$1" >"$log" 2>&1 &
	pid=$!
	t0=$(date +%s)
	shown=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		# the progress lines of the harness inside ("[12m03s] ...")
		n=$(wc -l <"$log")
		if [ "$n" -gt "$shown" ]; then
			sed -n "$((shown + 1)),${n}p" "$log" | grep '^\[[0-9]*m[0-9]*s\] ' | sed 's/^/    /'
			shown=$n
		fi
	done
	wait "$pid"
	rc=$?
	t=$(( $(date +%s) - t0 ))
	printf '%s %d %dm%02ds\n' "$1" "$rc" $((t / 60)) $((t % 60)) >>"$F/summary"
	return "$rc"
}

: >"$F/summary"
fail=0
for t in $TARGETS; do
	run_in_root "$t" || fail=1
done

echo "---- make fresh: $head, on a new Debian $SUITE root ----"
while read -r t rc time; do
	log=$LOGS/fresh-$t.log
	case $t in
	run) res=$(grep -E '^(PASS|FAIL): ' "$log" | tail -n 1) ;;
	check) res=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1) ;;
	*) res=$(tail -n 1 "$log") ;;
	esac
	[ "$rc" -eq 0 ] && st=ok || st="FAILED (exit $rc)"
	printf 'make %-6s %s in %s: %s\n' "$t" "$st" "$time" "${res:-no result line}"
done <"$F/summary"
if [ "$fail" -ne 0 ]; then
	grep -h -E '^not ok|^error: ' "$LOGS"/fresh-*.log | head -n 20
fi
exit "$fail"
