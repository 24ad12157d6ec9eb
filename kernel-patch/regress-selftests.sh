#!/bin/bash
# No regressions for plain pipes (issue 6): the kernel's own selftests that
# concern pipes/splice and the mm paths the series touches (do_mmap, msync),
# run on the stock and on the patched kernel (default variant, same scripts),
# one guest boot each; prints a table (test, stock, patched).
#
#   kernel-patch/regress-selftests.sh [--debug]   (--debug: the -debug kernels)
#
# Tests (from tools/testing/selftests of the patched tree; the series does not
# change them): splice/{default_file_splice_read.sh,short_splice_read.sh},
# mm/{cow (vmsplice/pipe pinning), map_fixed_noreplace, mremap_test,
# mremap_dontunmap, mlock2-tests, mseal_test, mkdirty, madv_populate}.
# Built into $EXTMMAP_BUILD_DIR/selftest-regress; results (per test: exit
# status and the kselftest totals line) in .../selftest-regress/result-*.txt.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
R=$BUILD/selftest-regress
MM_TESTS=(cow map_fixed_noreplace mremap_test mremap_dontunmap mlock2-tests mseal_test mkdirty madv_populate)
SPLICE_TESTS=(default_file_splice_read.sh short_splice_read.sh)

if [ "${1:-}" = --inside ]; then
	# In the guest: run every test with a time limit, one line per test.
	out=$2
	: >"$out"
	run() { # name dir cmd...
		local name=$1 dir=$2 log rc totals
		shift 2
		log=/tmp/$(echo "$name" | tr / _).log
		set +e
		(cd "$dir" && timeout 120 "$@") >"$log" 2>&1
		rc=$?
		set -e
		totals=$(grep -a '^# Totals:' "$log" | tail -1 | sed 's/^# Totals: //' || true)
		echo "$name|$rc|${totals:-}" >>"$out"
		echo "=== $name: rc=$rc ${totals:-}"
		tail -40 "$log"
	}
	for t in "${SPLICE_TESTS[@]}"; do run "splice/$t" "$R/splice" "./$t"; done
	for t in "${MM_TESTS[@]}"; do run "mm/$t" "$R/mm" "./$t"; done
	exit 0
fi

FLAVOR=
[ "${1:-}" = --debug ] && FLAVOR=--debug
SRC=$BUILD/linux-6.12/tools/testing/selftests
[ -d "$SRC/splice" ] || { echo "regress-selftests.sh: $SRC missing: run kernel-patch/build.sh first" >&2; exit 1; }
mkdir -p "$R/splice" "$R/mm"
make -s -C "$SRC/splice" OUTPUT="$R/splice" KHDR_INCLUDES= >"$R/splice-build.log" 2>&1 ||
	{ cat "$R/splice-build.log" >&2; echo "regress-selftests.sh: building splice/ failed" >&2; exit 1; }
cp "$SRC/splice/"*.sh "$R/splice/"
make -s -C "$SRC/mm" OUTPUT="$R/mm" KHDR_INCLUDES= "${MM_TESTS[@]/#/$R/mm/}" >"$R/mm-build.log" 2>&1 ||
	{ cat "$R/mm-build.log" >&2; echo "regress-selftests.sh: building mm/ tests failed" >&2; exit 1; }

for v in stock patched; do
	args=()
	[ $v = stock ] && args+=(--stock)
	[ -n "$FLAVOR" ] && args+=("$FLAVOR")
	set +e
	"$HERE/run-guest.sh" "${args[@]}" "$HERE/regress-selftests.sh" --inside "/mnt/results/regress-$v.txt" \
		>"$R/guest-$v.log" 2>&1
	rc=$?
	set -e
	echo "regress-selftests.sh: $v kernel: run-guest.sh exit $rc ($(grep -a 'console log' "$R/guest-$v.log" | tail -1))"
	res=${EXTMMAP_RESULTS_DIR:-$BUILD/guest/results}/regress-$v.txt
	[ -f "$res" ] || { echo "regress-selftests.sh: no results from the $v kernel (see $R/guest-$v.log)" >&2; exit 1; }
	cp "$res" "$R/result-$v.txt"
done

echo
echo "| test | stock: exit, totals | patched: exit, totals | same |"
echo "|---|---|---|---|"
while IFS='|' read -r name rc totals; do
	p=$(grep -F "$name|" "$R/result-patched.txt" | head -1)
	prc=$(cut -d'|' -f2 <<<"$p")
	ptot=$(cut -d'|' -f3 <<<"$p")
	same=no
	[ "$rc|$totals" = "$prc|$ptot" ] && same=yes
	echo "| $name | $rc ${totals:+($totals)} | $prc ${ptot:+($ptot)} | $same |"
done <"$R/result-stock.txt"
