#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Configure and build a kernel from build/linux, out of tree, with ccache.
#
#   scripts/kernel.sh VARIANT [FRAGMENT...]
#
# VARIANT names the output directory build/obj-VARIANT. The config is
# allnoconfig + the fragments listed in configs/layers + FRAGMENTs (later
# lines win), then olddefconfig. Every option the fragments ask for must
# survive olddefconfig; if one does not (unmet dependency), the build
# stops with the list.
#
# KARCH=ppc64le: a pseries guest kernel instead, cross-compiled with
# powerpc64le-linux-gnu-gcc from the fragments in configs/layers-ppc64le;
# the image is vmlinux. KARCH=arm64: a QEMU virt guest kernel,
# cross-compiled with aarch64-linux-gnu-gcc from configs/layers-arm64; the
# image is arch/arm64/boot/Image.
. "$(dirname "$0")/lib.sh"

variant=${1:?variant}
shift
OBJ=$BUILD/obj-$variant
JOBS=${JOBS:-$(nproc)}
mkdir -p "$OBJ" "$LOGS"

export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=true CCACHE_SLOPPINESS=time_macros
export KBUILD_BUILD_TIMESTAMP="2024-11-17 00:00:00" KBUILD_BUILD_USER=p2pdma
export KBUILD_BUILD_HOST=qemu
ccache -M 5G >/dev/null 2>&1 || true
cross_env
layers=layers cc="ccache gcc" target=bzImage image=arch/x86/boot/bzImage
[ -n "$DEBARCH" ] && cc="ccache ${CROSS_COMPILE}gcc"
case ${KARCH:-x86} in
ppc64le) layers=layers-ppc64le target=vmlinux image=vmlinux ;;
arm64) layers=layers-arm64 target=Image image=arch/arm64/boot/Image ;;
esac
# KTARGET: other make targets than the image, e.g. "prepare" (a configured
# tree in which make lint compiles single objects) or a list of objects
if [ -n "${KTARGET:-}" ]; then
	target=$KTARGET image=
fi
kmake() {
	make -C "$TREE" O="$OBJ" CC="$cc" "$@"
}

# Merge the fragments: later settings of a symbol override earlier ones.
frags=
for f in $(grep -v '^#' "$TOP/configs/$layers") "$@"; do
	case $f in
	/*) frags="$frags $f" ;;
	*) frags="$frags $TOP/configs/$f" ;;
	esac
done
want=$OBJ/wanted.config
# shellcheck disable=SC2086
cat $frags | awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { s = $0; sub(/=.*/, "", s); v[s] = $0; if (!(s in o)) { o[s] = n++ } ; next }
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ { s = $2; v[s] = $0; if (!(s in o)) { o[s] = n++ } ; next }
	END { for (s in o) k[o[s]] = s; for (i = 0; i < n; i++) print v[k[i]] }' >"$want.new"

# Reconfigure only when the wanted options changed: keeps rebuilds incremental.
# (or when a Kconfig file changed, e.g. a commit adding an option, in bisect)
if ! cmp -s "$want.new" "$want" || [ ! -f "$OBJ/.config" ] ||
	[ -n "$(find "$TREE" -name 'Kconfig*' -newer "$OBJ/.config" -print -quit)" ]; then
	progress "configure $variant: allnoconfig + $(echo $frags | wc -w) fragments"
	kmake -s allnoconfig KCONFIG_ALLCONFIG="$want.new" >"$LOGS/config-$variant.log" 2>&1 ||
		die "allnoconfig failed: see ${LOGS#"$TOP"/}/config-$variant.log"
	kmake -s olddefconfig >>"$LOGS/config-$variant.log" 2>&1 ||
		die "olddefconfig failed"
	mv "$want.new" "$want"
else
	rm -f "$want.new"
fi

# Every requested option must be in the final config as asked. With
# KCONFIG_ALLOW_MISSING=1 (older commits of the series, for bisect and
# bench), options that the tree does not define at all are let through.
bad=
while IFS= read -r line; do
	if [ "${KCONFIG_ALLOW_MISSING:-0}" = 1 ]; then
		s=${line#\# }
		s=${s%%[= ]*}
		s=${s#CONFIG_}
		git -C "$TREE" grep -q -e "^config $s\$" -e "^menuconfig $s\$" -- '*Kconfig*' || continue
	fi
	case $line in
	CONFIG_*)
		grep -qxF "$line" "$OBJ/.config" || bad="$bad
  $line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$OBJ/.config" || echo unset))"
		;;
	"# CONFIG_"*)
		s=${line#\# }
		s=${s%% *}
		! grep -q "^$s=" "$OBJ/.config" || bad="$bad
  $line (got: $(grep "^$s=" "$OBJ/.config"))"
		;;
	esac
done <"$want"
if [ -n "$bad" ]; then
	rm -f "$want"
	die "options the fragments ask for are not set after olddefconfig (unmet dependencies?):$bad"
fi

# shellcheck disable=SC2086 # KTARGET may name several targets
run_logged "$LOGS/build-$variant.log" "build $variant kernel (-j$JOBS, ccache)" \
	make -C "$TREE" O="$OBJ" CC="$cc" -j"$JOBS" $target
if [ -n "$image" ]; then
	progress "kernel ready: ${OBJ#"$TOP"/}/$image"
else
	progress "${OBJ#"$TOP"/}: $target done"
fi
