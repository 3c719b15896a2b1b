#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Check and count the results of make check (scripts/check.sh), which runs
# this at its end; it can be run again on its own, on build/results/.
#
# Reads the KTAP files in build/results/ and, for each guest run listed in
# build/results/runs.txt ("NAME VARIANT TAINT"), its console and output in
# build/logs/. Writes scan.ktap (the consoles' reports and taint flags) and
# skips.ktap (the skips against scripts/expected-skips.txt), then parses
# every KTAP file with the kernel's tools/testing/kunit/kunit.py parse and
# ends with "N passed, N failed, N skipped".
. "$(dirname "$0")/lib.sh"

RES=${RES:-$BUILD/results}
[ -f "$RES/runs.txt" ] || die "no ${RES#"$TOP"/}/runs.txt: run make check"
rm -f "$RES/scan.ktap" "$RES/skips.ktap" "$RES"/*.parsed

# Kernel taint flags by bit (include/linux/panic.h, TAINT_*)
TAINT_LETTERS=PFSRMBUDAWCIOELKXTNJ
# taint_letters VALUE: the letters of the flags set in VALUE, in bit order
taint_letters() {
	v=$1 i=0 out=
	while [ "$v" -gt 0 ] && [ $i -lt ${#TAINT_LETTERS} ]; do
		[ $((v & 1)) -eq 1 ] && out=$out$(echo "$TAINT_LETTERS" | cut -c$((i + 1)))
		v=$((v >> 1)) i=$((i + 1))
	done
	[ "$v" -gt 0 ] && out="$out+unknown"
	echo "$out"
}

# scan_class CLASS: the console lines (an ERE) that are a report of CLASS
scan_class() {
	case $1 in
	KASAN) echo 'BUG: KASAN|KASAN: |UBSAN: ' ;;
	lockdep) echo 'BUG: Invalid wait context|WARNING: (possible circular locking|possible recursive locking|inconsistent lock state|possible irq lock inversion|.*-safe -> .*-unsafe lock order|bad unlock balance|held lock freed|lock held when returning to user space|suspicious RCU usage|Nested lock was not taken|bad contention|chain_key collision|.* still has locks held)|BUG: (MAX_LOCK|looking up invalid subclass|key [0-9a-f]+ has not been registered|sleeping function called)|INFO: trying to register non-static key|turning off the locking correctness validator|DEBUG_LOCKS_WARN_ON|lockdep is turned off' ;;
	DEBUG_VM) echo 'BUG: Bad (page|rss)|page dumped because|VM_BUG_ON' ;;
	DMA-API) echo 'DMA-API: [a-z0-9_-]+ [0-9a-f]{4}:|DMA-API: .*([Dd]isabl|[Oo]ut of memory|ENOMEM)|dma-debug disabled' ;;
	WARN/BUG/oops) echo 'cut here|WARNING: .* at |WARNING: CPU|kernel BUG at|BUG: (unable to handle|kernel NULL|scheduling while atomic|soft lockup|workqueue lockup|using smp_processor_id|spinlock|rwlock)|Oops|Kernel panic|general protection fault|list_(add|del) corruption|refcount_t: |INFO: task .* blocked|stall on CPU|rcu_.* detected stalls|watchdog: BUG|BUG: workqueue leaked|ODEBUG: ' ;;
	kmemleak) echo 'kmemleak: [1-9][0-9]* new suspected memory leaks|kmemleak: [1-9][0-9]* unreferenced objects|kmemleak: (Kernel memory leak detector disabled|Cannot allocate a kmemleak_object|scan failed)' ;;
	# any other stack dump: a report of a class not listed above
	trace) echo 'Call Trace:' ;;
	esac
}

# has_class VARIANT CLASS: whether the kernel VARIANT (build/obj-VARIANT)
# was built to produce reports of CLASS; a scan for one it cannot produce
# would be a pass that cannot fail, and is left out
has_class() {
	case $2 in
	KASAN) opt=KASAN ;;
	lockdep) opt=PROVE_LOCKING ;;
	DEBUG_VM) opt=DEBUG_VM ;;
	DMA-API) opt=DMA_API_DEBUG ;;
	kmemleak) opt=DEBUG_KMEMLEAK ;;
	*) return 0 ;;
	esac
	grep -q "^CONFIG_$opt=y" "$BUILD/obj-$1/.config" 2>/dev/null
}

# only_known_base_lockdep CONSOLE: lockdep reported, but only the circular
# dependency that pciehp_unconfigure_device() has between
# pci_rescan_remove_lock and its ctrl->reset_lock on every hot-unplug (seen
# on the unpatched 6.12 base with the same debug options; 7.3 reports the
# same pair). Each report's whole chain, and the locks it was taking and
# holding, must name those two locks and no other: a new cycle through any
# other lock (one of P2PDMA's, say) that closes at the same acquisition is
# counted. Any other lockdep report is counted too.
only_known_base_lockdep() {
	tr -d '\r' <"$1" | awk -v re="$(scan_class lockdep)" '
		function base_lock(line) {
			return line ~ /\((pci_rescan_remove_lock|&ctrl->reset_lock)(#[0-9]+)?(\/[0-9]+)?\)\{/
		}
		{ sub(/^\[ *[0-9.]+\] /, "") }
		/possible circular locking dependency detected/ {
			n++; inrep = 1; bad = 0; chain = 0; ends = 0; next
		}
		$0 ~ re { other++ }
		!inrep { next }
		/is trying to acquire lock:/ {
			getline; sub(/^\[ *[0-9.]+\] /, "")
			if (base_lock($0) && /at: pciehp_unconfigure_device/) ends++; else bad++
			next
		}
		/but task is already holding lock:/ {
			getline; sub(/^\[ *[0-9.]+\] /, "")
			if (base_lock($0)) ends++; else bad++
			next
		}
		/^-> #[0-9]+ / { chain++; if (!base_lock($0)) bad++; next }
		/other info that might help us debug this/ {
			if (!bad && ends == 2 && chain >= 2) known++
			inrep = 0
		}
		END { exit !(n > 0 && known == n && !other) }'
}

# dma_debug_warn_cut CONSOLE: CONSOLE without its WARN, if it has exactly
# one and that one is dma-debug's (a "DMA-API: " report and a WARNING at
# kernel/dma/debug.c, from "cut here" to its "end trace"); fails otherwise
dma_debug_warn_cut() {
	[ "$(grep -c 'cut here' "$1")" -eq 1 ] || return 1
	awk '/cut here/ { inw = 1 }
		inw && /DMA-API: [a-z0-9_-]+ [0-9a-f][0-9a-f][0-9a-f][0-9a-f]:/ { api = 1 }
		inw && /WARNING: .*kernel\/dma\/debug\.c/ { at = 1 }
		!inw { print }
		inw && /---\[ end trace/ { inw = 0; ended = 1 }
		END { exit !(api && at && ended) }' "$1"
}

# Every guest's console: no report of any class the kernel was built to
# report (KASAN, lockdep, DEBUG_VM, DMA-API debugging, WARN/BUG/oops with
# hung tasks and stalls, kmemleak, any other stack dump; the test kernels
# have only the last two but one), and the taint flags the boot ended
# with are the expected ones. Lockdep switches itself off after its
# first report: a run with only the base's pciehp report is not counted as
# lockdep-checked (an expected skip; debug-remove covers the removal).
CLASSES="KASAN lockdep DEBUG_VM DMA-API WARN/BUG/oops kmemleak trace"
(
	# shellcheck disable=SC1091
	. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"
	ktap_print_header
	plan=0
	while read -r run variant want; do
		for what in $CLASSES; do
			has_class "$variant" "$what" && plan=$((plan + 1))
		done
		plan=$((plan + 1))
		[ "$variant" = debug ] && plan=$((plan + 2))
	done <"$RES/runs.txt"
	ktap_set_plan $plan
	while read -r run variant want; do
		[ "$want" = - ] && want=
		con=$LOGS/$run.console
		tr -d '\r' <"$con" >"$RES/.console" 2>/dev/null
		# dma-debug's report of the list with the dropped bit, a WARN,
		# is the pass condition of this boot (its test checks it): the
		# one WARN, if it is that one, is not scanned; a second, or
		# another, is
		if [ "$run" = debug-dropped-bit ]; then
			dma_debug_warn_cut "$RES/.console" >"$RES/.cut" &&
				mv "$RES/.cut" "$RES/.console"
		fi
		for what in $CLASSES; do
			has_class "$variant" "$what" || continue
			re=$(scan_class "$what")
			if [ ! -s "$RES/.console" ]; then
				ktap_test_fail "$run: no $what report (no console log)"
			elif [ "$what" = lockdep ] && only_known_base_lockdep "$RES/.console"; then
				ktap_test_skip "$run: no lockdep report: lockdep turned itself off at the base's pciehp report (pci_rescan_remove_lock vs reset_lock in pciehp_unconfigure_device)"
			elif [ "$what" = trace ] && only_known_base_lockdep "$RES/.console" &&
			     [ "$(grep -c "$re" "$RES/.console")" -le "$(grep -c 'possible circular locking dependency detected' "$RES/.console")" ]; then
				ktap_test_pass "$run: no stack dump but those of the base's pciehp lockdep report"
			elif grep -Eq "$re" "$RES/.console"; then
				grep -E -B2 -A20 "$re" "$RES/.console" | head -n 40 | sed 's/^/# /'
				ktap_test_fail "$run: no $what report"
			else
				ktap_test_pass "$run: no $what report"
			fi
		done
		got=$(sed -n 's/^P2PDMA-TAINT: \([0-9]*\).*/\1/p' "$LOGS/$run.out" 2>/dev/null | tail -n 1)
		if [ -z "$got" ]; then
			ktap_test_fail "$run: taint flags are $want (the guest did not say)"
		elif [ "$(taint_letters "$got")" = "$want" ]; then
			ktap_test_pass "$run: taint flags are ${want:-none}"
		else
			ktap_test_fail "$run: taint flags are ${want:-none}, not $(taint_letters "$got") ($got)"
		fi
		case $variant in
		debug)
			if grep -q 'kmemleak: 0 unreferenced objects' "$RES/.console"; then
				ktap_test_pass "$run: kmemleak scanned after the tests"
			else
				ktap_test_fail "$run: kmemleak scanned after the tests"
			fi
			# lockdep still on at the end (it may go off quietly)
			locks=$(sed -n 's/^P2PDMA-DEBUG-LOCKS: \([0-9]*\).*/\1/p' "$LOGS/$run.out" 2>/dev/null | tail -n 1)
			if [ "$run" != debug-dropped-bit ] && only_known_base_lockdep "$RES/.console"; then
				ktap_test_skip "$run: lockdep on until the end: it turned itself off at the base's pciehp report"
			elif [ "$locks" = 1 ]; then
				ktap_test_pass "$run: lockdep on until the end (debug_locks 1)"
			else
				ktap_test_fail "$run: lockdep on until the end (debug_locks ${locks:-not said})"
			fi
			;;
		esac
	done <"$RES/runs.txt"
	rm -f "$RES/.console"
	ktap_print_totals
) >"$RES/scan.ktap"

# Skips: every group's skipped tests must be exactly those listed in
# scripts/expected-skips.txt for it, each where the thing tested is truly
# absent, and each for the reason listed (a substring of the KTAP reason;
# "-": none, where the name says it); any other skip, one for another
# reason, and an expected one that did not skip, fails.
# skipped_in FILE...: "NAME | REASON" of the tests their KTAP skipped
skipped_in() {
	cat "$@" 2>/dev/null | tr -d '\r' | sed -e 's/^\[[ 0-9.]*\] //' -e 's/^ *//' |
		sed -n -e 's/^ok [0-9][0-9]* \(.*\) # SKIP \(.*[^ ]\) *$/\1 | \2/p' \
			-e 's/^ok [0-9][0-9]* \(.*\) # SKIP *$/\1 | /p'
}
# expected_skips RUN: "TEST | REASON" that scripts/expected-skips.txt
# lists for RUN
expected_skips() {
	grep -v '^#' "$TOP/scripts/expected-skips.txt" | while IFS='|' read -r pats test why; do
		[ -n "$test" ] || continue
		test=$(echo "$test" | sed 's/^ *//; s/ *$//')
		why=$(echo "$why" | sed 's/^ *//; s/ *$//')
		for pat in $pats; do
			# shellcheck disable=SC2254
			case $1 in
			$pat) echo "$test | $why"; break ;;
			esac
		done
	done
}
(
	# shellcheck disable=SC1091
	. "$TREE/tools/testing/selftests/kselftest/ktap_helpers.sh"
	ktap_print_header
	groups=$(ls "$RES" | sed -n 's/\.ktap$//p; s/-kunit\.log$//p' | grep -vx skips | sort -u)
	ktap_set_plan "$(echo "$groups" | wc -w)"
	for g in $groups; do
		skipped_in "$RES/$g.ktap" "$RES/$g-kunit.log" | sort >"$RES/.got"
		expected_skips "$g" | sort >"$RES/.want"
		# the names that differ either way, then the reasons
		bad=$(awk -F ' [|] ' '
			FNR == NR { want[$1] = $2; next }
			{ got[$1] = $2 }
			END {
				for (t in got) {
					if (!(t in want))
						print "# unexpected skip: " t " (" got[t] ")"
					else if (want[t] == "-" ? got[t] != "" : index(got[t], want[t]) == 0)
						print "# skipped for another reason: " t ": \"" got[t] "\", not \"" want[t] "\""
				}
				for (t in want)
					if (!(t in got))
						print "# expected to skip, but did not: " t
			}' "$RES/.want" "$RES/.got")
		if [ -z "$bad" ]; then
			ktap_test_pass "$g: skips are the expected ones, for their reasons ($(wc -l <"$RES/.got"))"
		else
			echo "$bad"
			ktap_test_fail "$g: skips are the expected ones, for their reasons"
		fi
	done
	rm -f "$RES/.got" "$RES/.want"
	ktap_print_totals
) >"$RES/skips.ktap"

# expected_count FILE: the number of tests scripts/expected-counts.txt
# pins for FILE, "-" for the KTAP of make check itself, "" if none
expected_count() {
	case $1 in
	lint.ktap | scan.ktap | skips.ktap | guests.ktap) echo - ;;
	*) grep -v '^#' "$TOP/scripts/expected-counts.txt" | awk -v f="$1" '$1 == f { print $2 }' ;;
	esac
}
passed=0 failed=0 skipped=0
# every failure again at the end, where a log's tail shows it
recap=$RES/.failures
: >"$recap"
not_ok() {
	echo "  not ok: $1"
	echo "  not ok: $1" >>"$recap"
}
for f in "$RES"/*.ktap "$RES"/*-kunit.log; do
	progress "results: ${f#"$TOP"/}"
	python3 "$TREE/tools/testing/kunit/kunit.py" parse "$f" >"$f.parsed" 2>&1
	sed -n 's/^\[[0-9:]*\] //p' "$f.parsed" | grep -E '\[(FAILED|CRASHED|SKIPPED)\]|^Testing complete' | sed 's/^/  /'
	sed -n 's/^\[[0-9:]*\] //p' "$f.parsed" | grep -E '\[(FAILED|CRASHED)\]' |
		sed "s|^|  ${f#"$TOP"/}: |" >>"$recap"
	line=$(grep 'Testing complete' "$f.parsed" | tail -n 1)
	if [ -z "$line" ] || echo "$line" | grep -q 'Ran 0 tests'; then
		not_ok "no test results in ${f#"$TOP"/}"
		failed=$((failed + 1))
		continue
	fi
	# as many tests as pinned: none lost without a failure
	ran=$(echo "$line" | sed -n 's/.*Ran \([0-9]*\) tests.*/\1/p')
	want=$(expected_count "${f##*/}")
	if [ -z "$want" ]; then
		not_ok "${f#"$TOP"/}: $ran tests, but scripts/expected-counts.txt has no count for it"
		failed=$((failed + 1))
	elif [ "$want" != - ] && [ "$ran" != "$want" ]; then
		not_ok "${f#"$TOP"/}: $ran tests, scripts/expected-counts.txt says $want"
		failed=$((failed + 1))
	fi
	count() { echo "$line" | sed -n "s/.*$1: \([0-9]*\).*/\1/p"; }
	passed=$((passed + $(count passed | grep . || echo 0)))
	failed=$((failed + $(count failed | grep . || echo 0) + $(count crashed | grep . || echo 0) + $(count errors | grep . || echo 0)))
	skipped=$((skipped + $(count skipped | grep . || echo 0)))
done
# and no pinned file missing
if [ -f "$RES/long" ]; then
	pinned=$(grep -v '^#' "$TOP/scripts/expected-counts.txt" | awk 'NF { print $1 }')
else
	pinned=$(grep -v '^#' "$TOP/scripts/expected-counts.txt" | awk 'NF && $3 != "long" { print $1 }')
	for f in $(grep -v '^#' "$TOP/scripts/expected-counts.txt" | awk '$3 == "long" { print $1 }'); do
		if [ -f "$RES/$f" ]; then
			not_ok "${RES#"$TOP"/}/$f: results of make check-long in a make check"
			failed=$((failed + 1))
		fi
	done
fi
for f in $pinned; do
	if ! [ -f "$RES/$f" ]; then
		not_ok "${RES#"$TOP"/}/$f: no results, where scripts/expected-counts.txt expects $(expected_count "$f") tests"
		failed=$((failed + 1))
	fi
done
progress "done; logs in build/logs, KTAP in build/results"
if [ -s "$recap" ]; then
	echo "failures:"
	cat "$recap"
fi
rm -f "$recap"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
