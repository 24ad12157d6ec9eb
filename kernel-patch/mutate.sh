#!/bin/bash
# The kernel mutation score: apply each one-line mutant of the series
# (kernel-patch/mutants/NN-name.patch, each breaking one rule of spec/README.md,
# named on its first line), build it, run the conformance suite's kernel tests
# against it in the guest, and tabulate which test killed it.
#
#   kernel-patch/mutate.sh [MUTANT ...]     (default: every mutant)
#   kernel-patch/mutate.sh --check          does every mutant still apply?
#
# --check builds and boots nothing: it tries each mutant against the series'
# tree (git apply --check), names every one that no longer applies and exits 1
# if any does. test.sh runs it, so a change to the series that leaves a mutant
# behind fails CI instead of the next mutation run.
#
# Needs a built series (kernel-patch/build.sh). Not part of CI (it boots one
# guest per mutant); the table it writes is kernel-patch/mutants/RESULTS.md.
#
# The mutant is applied to the series' tree only while it is compiled, into its
# own build directory (out-mutant/, a copy of out-patched/ so that the builds
# are incremental), under the build lock; the tree is restored on every exit,
# so bzImage-patched and build.sh never see a mutant.
#
# Environment:
#   EXTMMAP_BUILD_DIR        build root (default /work/build)
#   EXTMMAP_MUTATE_TESTS     surefire -Dtest= value (default below)
#   EXTMMAP_MUTATE_PATHS     -Dextmmap.kernelPaths= value (default below)
#   EXTMMAP_MUTATE_TRIES     jqwik tries per walk property (default 100)
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
SRC=$BUILD/linux-6.12
OUT=$BUILD/out-mutant
LOGS=$BUILD/mutate
TABLE=$HERE/mutants/RESULTS.md
TESTS=${EXTMMAP_MUTATE_TESTS:-GraphReplayTest,ExtMmapWalkProperties,OriginalCasesTest,BlockedFaultTest,MunmapHoleTest,InterruptedCommitTest,LentPageTest,RecycledPageTest}
CONFIGS=Quick,Errors,Windows,Claims,Pulling,Fork,Commits
PATHS=${EXTMMAP_MUTATE_PATHS:-Quick:300,Errors:300,Windows:200,Claims:200,Pulling:150,Fork:150,Commits:200}
TRIES=${EXTMMAP_MUTATE_TRIES:-100}

say() { echo "[mutate.sh $(date +%H:%M:%S)] $*"; }
die() { echo "mutate.sh: $*" >&2; exit 1; }

[ -d "$SRC/.git" ] && [ -f "$BUILD/out-patched/.config" ] ||
	die "no built series in $BUILD (run kernel-patch/build.sh first)"
git -C "$SRC" diff --quiet ||
	die "$SRC has uncommitted changes; it must be the series exactly (git -C $SRC status)"

CHECK=0
if [ "${1:-}" = --check ]; then
	CHECK=1
	shift
fi
mutants=()
if [ $# -gt 0 ]; then
	for m in "$@"; do
		f=$HERE/mutants/${m%.patch}.patch
		[ -f "$f" ] || die "no mutant $f"
		mutants+=("$f")
	done
else
	mutants=("$HERE"/mutants/[0-9]*.patch)
fi

if [ $CHECK = 1 ]; then
	stale=0
	for f in "${mutants[@]}"; do
		if ! err=$(git -C "$SRC" apply --check "$f" 2>&1); then
			echo "mutate.sh: $(basename "$f") no longer applies to the series:" >&2
			echo "$err" | sed 's/^/    /' >&2
			stale=$((stale + 1))
		fi
	done
	if [ $stale -gt 0 ]; then
		die "$stale of ${#mutants[@]} mutants no longer apply: make each one again against the series (change the line it names, git -C $SRC diff > the mutant, keep its Rule: line), and run it"
	fi
	echo "mutate.sh: all ${#mutants[@]} mutants apply to the series"
	exit 0
fi

mkdir -p "$LOGS"
exec 8>"$BUILD/build.lock"
if ! flock -n 8; then
	say "another kernel build is running; waiting for it (lock $BUILD/build.lock)"
	flock 8
fi
restore() { git -C "$SRC" checkout -q -- . ; }
trap restore EXIT
trap 'restore; exit 130' INT TERM

if [ ! -f "$OUT/.config" ]; then
	say "copying out-patched/ to out-mutant/ (once: later builds are incremental)"
	cp -a "$BUILD/out-patched" "$OUT" || die "cannot copy $BUILD/out-patched"
fi
say "building out-mutant/ from the unmutated series (a check that the copy builds incrementally)"
start=$(date +%s)
make -s -C "$SRC" O="$OUT" -j"$(nproc)" bzImage >"$LOGS/base.log" 2>&1 ||
	die "the unmutated series does not build in $OUT: $LOGS/base.log"
say "base build: $(( $(date +%s) - start )) s"

# The host side of the suite, built once (the agent is built by mvn itself).
# Online, and with surefire run once, so that on a new machine every plugin
# the offline runs below need is in ~/.m2.
say "compiling the suite and resolving its test plugins (mvn test -Dtest=NONE; online)"
(cd "$REPO" && mvn -q -B test -pl model,conformance -Dtest=NONE \
	-Dsurefire.failIfNoSpecifiedTests=false >"$LOGS/compile.log" 2>&1) ||
	die "mvn could not compile the suite or resolve its plugins: $LOGS/compile.log"

rows=()
killed=0 total=0 undecided=0 t0=$(date +%s)
for f in "${mutants[@]}"; do
	name=$(basename "$f" .patch)
	rule=$(sed -n '1s/^Rule: //p' "$f")
	total=$((total + 1))
	say "[$total/${#mutants[@]}] $name: $rule"
	git -C "$SRC" apply "$f" || die "$name does not apply to the series"
	make -s -C "$SRC" O="$OUT" -j"$(nproc)" bzImage >"$LOGS/$name.build.log" 2>&1
	built=$?
	restore
	if [ $built -ne 0 ]; then
		say "$name: does not build ($LOGS/$name.build.log): not counted"
		rows+=("| $name | $rule | not built | $(grep -m1 'error:' "$LOGS/$name.build.log" | sed 's/|/\\|/g') |")
		total=$((total - 1))
		continue
	fi
	cp "$OUT/arch/x86/boot/bzImage" "$LOGS/$name.bzImage"
	ms=$(date +%s)
	"$REPO/conformance/kernel-suite.sh" "$LOGS/$name.bzImage" test -o -Dtest="$TESTS" \
		-Dextmmap.stopAfterFailures=1 -Djqwik.shrinking.default=OFF -Dextmmap.configs=Quick \
		-Dextmmap.seed=7 -Dextmmap.reuseGraphs=true -Djqwik.tries.default="$TRIES" -Dextmmap.kernelConfigs="$CONFIGS" \
		-Dextmmap.kernelPaths="$PATHS" >"$LOGS/$name.test.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - ms ))
	# the first test that failed: a graph path names itself, other tests are named by surefire
	killer=$(sed -n 's/^GraphReplayTest: FAILED on the kernel: /GraphReplayTest /p' "$LOGS/$name.test.log" | head -1)
	[ -n "$killer" ] || killer=$(grep -m1 -E '^\[ERROR\]   [A-Za-z]+' "$LOGS/$name.test.log" |
		sed -E 's/^\[ERROR\] +//; s/ ».*//; s/:[0-9].*//' | cut -c1-160 | sed 's/|/\\|/g')
	if [ $rc -ne 0 ] && [ -n "$killer" ]; then
		killed=$((killed + 1))
		verdict="killed ($secs s)"
	elif [ $rc -ne 0 ]; then
		# No test failed: mvn or the guest broke down (a missing plugin, a
		# guest that did not boot). That is not a kill: not counted.
		undecided=$((undecided + 1))
		total=$((total - 1))
		verdict="UNDECIDED ($secs s, not counted)"
		killer="mvn exit $rc and no test failed; see $LOGS/$name.test.log: $(grep -m1 -E 'ERROR|did not' "$LOGS/$name.test.log" | cut -c1-120 | sed 's/|/\\|/g')"
	else
		verdict="SURVIVED ($secs s)"
		killer="-"
	fi
	say "$name: $verdict: $killer"
	rows+=("| $name | $rule | $verdict | $killer |")
done
restore
say "rebuilding out-mutant/ without a mutant"
make -s -C "$SRC" O="$OUT" -j"$(nproc)" bzImage >"$LOGS/base.log" 2>&1 || true

{
	echo "# Kernel mutation score"
	echo
	echo "Written by \`kernel-patch/mutate.sh\` on $(date -u +%Y-%m-%d), $(uname -m), guest under QEMU TCG."
	echo "Tests: \`-Dtest=$TESTS\`, kernel configurations $CONFIGS sampled \`$PATHS\`,"
	echo "$TRIES jqwik tries per walk property (no shrinking), seed 7; the graph paths stop at the first failing one"
	echo "(the rest are reported NOT RUN), so a killed mutant's time is the time to its first failure."
	echo "Mutants run: $total, killed: $killed; undecided (no test ran to a verdict): $undecided; whole run $(( $(date +%s) - t0 )) s."
	echo
	echo "| mutant | rule it breaks (spec/README.md) | verdict | first failing test |"
	echo "|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
} >"$TABLE.new"
if [ $# -eq 0 ]; then
	mv "$TABLE.new" "$TABLE"
	say "table: $TABLE"
else
	say "table of this partial run: $TABLE.new"
fi
say "killed $killed of $total"
if [ $undecided -gt 0 ]; then
	die "$undecided mutants UNDECIDED: the suite failed without a failing test (their .test.log in $LOGS says why); fix that and run them again"
fi
