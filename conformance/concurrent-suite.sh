#!/usr/bin/env bash
# Concurrent histories of the patched kernel, judged by the spec (conformance/histories.md).
#
#   conformance/concurrent-suite.sh [--debug] [--small | --long] [--without read|claim]
#                                   [-n HISTORIES] [-t SECONDS] [-p PROCS] [-s FIRST_SEED]
#
# Boots the patched kernel once (kernel-patch/run-guest.sh; --debug: the KASAN build) and runs
# the free-running workload (src/main/c/extmmap-workload.c) HISTORIES times (default 16) for
# SECONDS each (default 5), seeds FIRST_SEED.. (default 1), 3 to PROCS processes (default 5),
# every call of the interface in each, every fourth run --small (short histories, bytes in hex,
# that TLC can check too). --small: every run --small, judged by TLC as well; --long: none. Other runs are judged by the Java checker only. --without leaves read() or
# claims (mmap of the read end) out of every run. ./test.sh runs --small and --long. The histories come back to
# $EXTMMAP_BUILD_DIR/concurrent/histories-<time>/; then the checker judges every one
# (KernelHistoriesTest with -Dextmmap.histories): report conformance/target/conformance-report/histories.md.
# Needs `mvn compile` of model and conformance (the workload binary, the classes).
# Exit status: 0 every history passed; 1 one did not; 2 setup; run-guest.sh's 124/125/126.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
variant=() n=16 secs=5 procs=5 seed0=1 sizes=mixed without=
while [ $# -gt 0 ]; do
	case $1 in
	--debug) variant+=(--debug); shift ;;
	--small) sizes=small; shift ;;
	--long) sizes=long; shift ;;
	--full) echo "concurrent-suite.sh: --full is the default now (every call in every run)" >&2; exit 2 ;;
	--without) without="--without ${2:?--without needs read or claim}"; shift 2 ;;
	-s) seed0=${2:?-s needs a seed}; shift 2 ;;
	-n) n=${2:?-n needs a count}; shift 2 ;;
	-t) secs=${2:?-t needs seconds}; shift 2 ;;
	-p) procs=${2:?-p needs a count}; shift 2 ;;
	-h|--help) sed -n '2,15p' "$0"; exit 0 ;;
	*) echo "concurrent-suite.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
bin=$HERE/target/extmmap-workload
[ -x "$bin" ] || { echo "concurrent-suite.sh: no $bin (run: mvn -o compile -pl model,conformance)" >&2; exit 2; }
stamp=$(date +%Y%m%d-%H%M%S)
dir=$BUILD/concurrent/run-$stamp-$$
out=$BUILD/concurrent/histories-$stamp
mkdir -p "$dir" "$out"
# the guest sees the host's file system read-only, but not the host's /tmp: run from $BUILD
cp "$bin" "$dir/extmmap-workload"
cat >"$dir/run.sh" <<SCRIPT
#!/bin/sh
# in the guest: the histories go to \$EXTMMAP_RESULTS (the host's $out)
export EXTMMAP_TIME_SCALE=\${EXTMMAP_TIME_SCALE:-3}
fail=0
i=1
while [ \$i -le $n ]; do
	p=\$((3 + i % ($procs - 2)))
	seed=\$(($seed0 + i - 1))
	small=
	[ \$((i % 4)) -eq 0 ] && small=--small
	[ "$sizes" = small ] && small=--small
	[ "$sizes" = long ] && small=
	echo "[concurrent] history \$i of $n: seed \$seed, \$p processes, $secs s \$small $without"
	$dir/extmmap-workload --seed \$seed --procs \$p --seconds $secs \$small $without --out \$EXTMMAP_RESULTS/h\$(printf %03d \$i).txt || fail=1
	i=\$((i + 1))
done
exit \$fail
SCRIPT
chmod +x "$dir/run.sh"
mix="every call${without:+ but ${without#--without }}, $sizes sizes"
echo "concurrent-suite.sh: $n histories of $secs s in the ${variant[*]:-patched} guest, $mix (histories: $out)"
set +e
EXTMMAP_RESULTS_DIR=$out "$HERE/../kernel-patch/run-guest.sh" "${variant[@]}" "$dir/run.sh"
rc=$?
set -e
rm -rf "$dir"
if [ "$rc" != 0 ]; then
	echo "concurrent-suite.sh: the guest run failed with status $rc (see the console log above)" >&2
	exit "$rc"
fi
grep -q '^H .*extmmap=present' "$out/h001.txt" ||
	{ echo "concurrent-suite.sh: EXTENDED MMAP ABSENT in the guest kernel: no history of it was judged" >&2; exit 2; }
echo "concurrent-suite.sh: judging $(ls "$out"/h*.txt | wc -l) histories"
cd "$HERE/.."
# TLC takes only short, narrow histories (at most 3 calls wide, 100 events): only a --small run is
# sure to hold some, so only a --small run asks TLC (a mixed run of 6 had none: its one --small
# history was 4 wide)
tests=KernelHistoriesTest
if [ "$sizes" != small ]; then
	tests='KernelHistoriesTest#everyHistoryIsABehaviourOfTheSpec+aChangedByteInARealHistoryIsRejected'
	echo "concurrent-suite.sh: $sizes sizes: the Java checker only; TLC is asked in --small runs"
fi
mvn -o -B -q test -pl model,conformance -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
	-Dextmmap.histories="$out"
