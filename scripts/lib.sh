# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the harness scripts (POSIX sh).

# Physical paths (pwd -P): compilers print them, and scripts match them
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd -P)}

# BASE: the kernel the series applies to: Linux 7.3, Debian trixie-backports'
# linux-source-7.3. The series on 6.12 (bookworm's linux-source-6.12) and
# the harness that tested it are in commit a7905d1 of this repository.
BASE=${BASE:-7.3}
if [ "$BASE" != 7.3 ]; then
	printf 'error: BASE=%s: this harness and patches/ are for Linux 7.3; the 6.12 series is commit a7905d1 of this repository\n' "$BASE" >&2
	exit 1
fi
BUILD=${BUILD:-$TOP/build}
PATCHES=${PATCHES:-$TOP/patches}

# Not installed: scripts/fetch-base.sh downloads the .deb with a private
# apt configuration and checks it against this SHA256.
BASE_PKG=linux-source-7.3
BASE_TESTED=7.3.4-1~bpo13+1
BASE_SHA256=703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3
BASE_SUITE=trixie-backports
BASE_TARBALL=$BUILD/base/usr/src/linux-source-7.3.tar.xz
TREE=${TREE:-$BUILD/linux}
LOGS=$BUILD/logs
CCACHE_DIR=${CCACHE_DIR:-$TOP/build/ccache}
START_TS=${START_TS:-$(date +%s)}
export TOP BASE BUILD PATCHES TREE LOGS CCACHE_DIR START_TS

# Identity used for commits in the work tree and for the patches.
P2P_NAME="P2PDMA series"
P2P_EMAIL="p2pdma@example.org"

elapsed() {
	s=$(( $(date +%s) - START_TS ))
	printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# progress MSG: one line, with the time since the command started
progress() {
	printf '[%s] %s\n' "$(elapsed)" "$*"
}

die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# run_logged LOG MSG CMD...: run a long step with its output in LOG and
# a progress line every 30 s, so that a long build does not look hung.
run_logged() {
	log=$1 msg=$2
	shift 2
	mkdir -p "$(dirname "$log")"
	progress "$msg (log: ${log#"$TOP"/})"
	"$@" >"$log" 2>&1 &
	pid=$!
	n=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		n=$((n + 1))
		if [ $((n % 30)) -eq 0 ]; then
			progress "  ... $msg: $(tail -n 1 "$log" | cut -c1-100)"
		fi
	done
	if ! wait "$pid"; then
		tail -n 30 "$log" >&2
		die "$msg failed, see ${log#"$TOP"/}"
	fi
}

tree_git() {
	git -C "$TREE" -c user.name="$P2P_NAME" -c user.email="$P2P_EMAIL" "$@"
}

# sub_tags: the tags sub/NAME on commits of base..HEAD of build/linux, one
# per line, in the order of their commits (each ends a submission)
sub_tags() {
	tree_git log --reverse --decorate-refs=refs/tags/sub/ --format=%D base..HEAD |
		sed -n 's/^tag: //p'
}

# private_apt_init DIR LINE: an apt configuration of its own in DIR, whose
# only source is the sources.list LINE. Used with private_apt, it leaves
# the machine's sources, lists and cache alone (and does not need them).
private_apt_init() {
	rm -rf "$1"
	mkdir -p "$1/lists/partial" "$1/cache/archives/partial" "$1/sources.list.d" \
		"$1/preferences.d"
	echo "$2" >"$1/sources.list"
}

# private_apt DIR apt-get|apt-cache ARGS...: run it with DIR's configuration
# (amd64 indexes only: the harness adds ppc64el as a foreign architecture,
# and one inconsistent ppc64el index, seen during a mirror sync, would
# fail a whole update). -o options, so that they show in the logs.
private_apt() {
	_pa_dir=$1 _pa_cmd=$2
	shift 2
	"$_pa_cmd" -o Dir::Etc::SourceList="$_pa_dir/sources.list" \
		-o Dir::Etc::SourceParts="$_pa_dir/sources.list.d" \
		-o Dir::Etc::PreferencesParts="$_pa_dir/preferences.d" \
		-o Dir::State::Lists="$_pa_dir/lists" -o Dir::Cache="$_pa_dir/cache" \
		-o APT::Architectures::=amd64 -o Debug::NoLocking=1 "$@"
}

# private_apt_fetch DIR LOG WHERE PKG TESTED SHA256 SHAFILE: apt-get update
# with DIR's configuration (private_apt_init), then download PKG into
# DIR/deb: version TESTED, which must have SHA256 (recorded in SHAFILE), or,
# if WHERE no longer has it, the newest there (apt has verified it against
# Debian's signed index), with a note. Sets FETCHED_DEB and FETCHED_VER.
private_apt_fetch() {
	_pf_dir=$1 _pf_log=$2 _pf_where=$3 _pf_pkg=$4 _pf_tested=$5 _pf_sha=$6 _pf_file=$7
	mkdir -p "$_pf_dir/deb" "$(dirname "$_pf_log")"
	run_logged "$_pf_log" "apt-get update ($_pf_where, private lists under ${_pf_dir#"$TOP"/})" \
		private_apt "$_pf_dir" apt-get update || exit 1
	_pf_vers=$(private_apt "$_pf_dir" apt-cache madison "$_pf_pkg" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
	[ -n "$_pf_vers" ] || die "$_pf_pkg is not in $_pf_where (see ${_pf_log#"$TOP"/})"
	if printf '%s\n' "$_pf_vers" | grep -qxF "$_pf_tested"; then
		FETCHED_VER=$_pf_tested
	else
		FETCHED_VER=$(printf '%s\n' "$_pf_vers" | sort -V | tail -n 1)
		echo "note: $_pf_pkg $_pf_tested is gone from $_pf_where; using $FETCHED_VER (last tested: $_pf_tested)"
	fi
	# apt-get download writes to the current directory; as root it warns
	# that the _apt user cannot write there, so let it.
	chmod 0777 "$_pf_dir/deb"
	(cd "$_pf_dir/deb" && run_logged "$_pf_log.download" "apt-get download $_pf_pkg=$FETCHED_VER" \
		private_apt "$_pf_dir" apt-get download "$_pf_pkg=$FETCHED_VER") || exit 1
	FETCHED_DEB=$(ls "$_pf_dir"/deb/"$_pf_pkg"_*.deb)
	if [ "$FETCHED_VER" = "$_pf_tested" ]; then
		echo "$_pf_sha  $FETCHED_DEB" | sha256sum -c --quiet - ||
			die "$FETCHED_DEB does not have the SHA256 recorded in $_pf_file"
	fi
}

# cross_env: for the guest architecture KARCH (x86 when unset), export
# the kernel's ARCH and CROSS_COMPILE (none for x86) and set DEBARCH,
# Debian's name of it (empty for x86)
cross_env() {
	DEBARCH=
	case ${KARCH:-x86} in
	x86) ;;
	ppc64le) DEBARCH=ppc64el ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu- ;;
	arm64) DEBARCH=arm64 ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- ;;
	*) die "KARCH=$KARCH: not x86, ppc64le or arm64" ;;
	esac
	[ -n "$DEBARCH" ] && export ARCH CROSS_COMPILE
	return 0
}

# cocci_unexcused FILE: the Coccinelle report lines of FILE that
# scripts/cocci-exceptions.txt does not excuse (an exception excuses the
# reports of its file that have its text, no others)
cocci_unexcused() {
	awk -F'|' 'NR == FNR { if ($0 !~ /^#/ && NF == 2) { f[++n] = $1; t[n] = $2 }; next }
		{ ok = 0; for (i = 1; i <= n; i++) if (index($0, f[i] ":") == 1 && index($0, t[i])) ok = 1
		  if (!ok) print }' "$TOP/scripts/cocci-exceptions.txt" "$1"
}
