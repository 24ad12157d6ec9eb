#!/usr/bin/env bash
# The conformance suite inside the patched kernel, in one guest boot, with one report on the host.
#
#   conformance/guest-suite.sh
#
# Needs a host build first (`mvn verify`, as ./test.sh runs it): it leaves the classes, Surefire's
# test classpath and TLC's DOT dumps. Builds the patched kernel if needed (kernel-patch/build.sh),
# boots it (kernel-patch/run-guest.sh) and runs there:
#   1. every edge-covering path of the Quick graph (GuestMain), per-rule table, C reproducers;
#   2. the kernel-facing JUnit classes, with the jqwik kernel walks at EXTMMAP_WALK_TRIES tries.
# Report: conformance/target/guest-suite/conformance-report.md (+ repro-*.c, junit.md, graph-kernel.md).
# Environment: EXTMMAP_TIME_SCALE (see guest-jvm.sh),
#   EXTMMAP_GRAPH_PATHS (default all), EXTMMAP_WALK_TRIES (default 700), EXTMMAP_GRAPHS (default Quick).
# Exit status: 0 everything passed; 1 failures; 2 extended mmap absent or prerequisites missing;
#   run-guest.sh's 124 (timeout), 125 (crash), 126 (kernel warning in the console).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=$HERE/target/guest-suite
PATHS=${EXTMMAP_GRAPH_PATHS:-1000000}
TRIES=${EXTMMAP_WALK_TRIES:-700}
read -r -a GRAPHS <<<"${EXTMMAP_GRAPHS:-Quick}"
# class names have no blanks; no process substitution: the guest has no /dev/fd
CLASSES=($(grep -v '^#' "$HERE/guest-classes.txt"))

if [ "${1:-}" = --inside ]; then
    # in the guest (which gets no host environment): SNAP (everything the guest reads), the
    # classpath, the settings; results go to $EXTMMAP_RESULTS (the host's $OUT)
    SNAP=$2 CP=$3 PATHS=$5 TRIES=$6
    read -r -a GRAPHS <<<"$7"
    export EXTMMAP_TIME_SCALE=$4
    source "$SNAP/guest-jvm.sh"
    guest_jvm_java "$EXTMMAP_RESULTS"
    JAVA=("${GUEST_JAVA[@]}")
    t0=$(cut -d' ' -f1 /proc/uptime)
    echo "[guest-suite] graphs: ${GRAPHS[*]} (at most $PATHS paths each)"
    set +e
    "${JAVA[@]}" -cp "$CP" org.extmmap.conformance.GuestMain "$SNAP/spec" "$SNAP/tlc" \
        "$EXTMMAP_RESULTS/graph-kernel.md" "$PATHS" "${GRAPHS[@]}" >"$EXTMMAP_RESULTS/graph.log" 2>&1
    g=$?
    grep -E '^\[guest-main\]|paths:' "$EXTMMAP_RESULTS/graph.log" | tail -3
    t1=$(cut -d' ' -f1 /proc/uptime)
    echo "[guest-suite] JUnit classes, kernel walks at $TRIES tries"
    "${JAVA[@]}" -Djqwik.tries.default="$TRIES" -Djqwik.database=/tmp/jqwik-database \
        -Djqwik.reporting.usejunitplatform=true \
        -Dextmmap.child="$SNAP/extmmap-child" -Dextmmap.spec.dir="$SNAP/spec" \
        -Dextmmap.junitReport="$EXTMMAP_RESULTS/junit.md" \
        -cp "$CP" org.extmmap.conformance.GuestJUnit "${CLASSES[@]}" >"$EXTMMAP_RESULTS/junit.log" 2>&1
    j=$?
    grep '^\[guest-junit\]' "$EXTMMAP_RESULTS/junit.log" || tail -20 "$EXTMMAP_RESULTS/junit.log"
    t2=$(cut -d' ' -f1 /proc/uptime)
    echo "graph $g $t0 $t1" >"$EXTMMAP_RESULTS/times"
    echo "junit $j $t1 $t2" >>"$EXTMMAP_RESULTS/times"
    [ $g -eq 0 ] && [ $j -eq 0 ] && exit 0
    [ $g -eq 2 ] && exit 2
    exit 1
fi

# --- on the host --------------------------------------------------------------
source "$HERE/guest-jvm.sh"
SCALE=$GUEST_TIME_SCALE
# One suite at a time: the snapshot and the results directory below are shared.
LOCK=${EXTMMAP_BUILD_DIR:-/work/build}/guest-suite.lock
exec 8>"$LOCK"
if ! flock -n 8; then
    echo "guest-suite.sh: another guest-suite.sh is running; waiting for it (lock $LOCK)" >&2
    flock 8
fi
need() { [ -e "$1" ] || { echo "guest-suite.sh: missing $1: $2" >&2; exit 2; }; }
need "$HERE/target/extmmap-child" "run the host build first (mvn verify)"
for g in "${GRAPHS[@]}"; do
    need "$HERE/target/tlc/conformance-$g/states.dot" "run the host build first (mvn verify: GraphReplayTest dumps it)"
done
"$ROOT/kernel-patch/build.sh"
# A snapshot of all the guest reads, outside the repo: the guest cannot see a clone under /tmp
# (a fresh tmpfs there).
SNAP=${EXTMMAP_BUILD_DIR:-/work/build}/guest-suite
guest_jvm_snapshot "$SNAP"
CP=$GUEST_CP
mkdir -p "$SNAP/tlc" "$SNAP/spec"
cp "$ROOT"/spec/*.tla "$ROOT"/spec/*.cfg "$SNAP/spec/"
for g in "${GRAPHS[@]}"; do cp -r "$HERE/target/tlc/conformance-$g" "$SNAP/tlc/"; done
cp "$HERE/target/extmmap-child" "$HERE/guest-suite.sh" "$HERE/guest-jvm.sh" "$HERE/guest-classes.txt" "$SNAP/"
rm -rf "$OUT" && mkdir -p "$OUT"
echo "guest-suite.sh: booting the patched kernel; graphs ${GRAPHS[*]}, kernel walks at $TRIES tries, waits x$SCALE"
set +e
EXTMMAP_RESULTS_DIR=$OUT EXTMMAP_TIMEOUT=${EXTMMAP_TIMEOUT:-2700} \
    "$ROOT/kernel-patch/run-guest.sh" "$SNAP/guest-suite.sh" --inside "$SNAP" "$CP" "$SCALE" "$PATHS" "$TRIES" "${GRAPHS[*]}" 2>&1 |
    grep --line-buffered -vE '^\[ *[0-9]+\.[0-9]+\]' # the kernel's boot log stays in the console log
rc=${PIPESTATUS[0]}
set -e

REPORT=$OUT/conformance-report.md
{
    echo "# Conformance report: extended mmap on the patched kernel"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), \`conformance/guest-suite.sh\` (waits x$SCALE), exit status $rc"
    echo "(0 passed; 1 failures; 2 extended mmap absent; 124 timeout; 125 guest crash; 126 kernel warning)."
    if [ -f "$OUT/times" ]; then
        awk '{t[NR] = sprintf("%s %.0f s", $1, $4 - $3); sum += $4 - $3}
             END {printf "Guest time: %s, %s; %.0f s in all.\n", t[1], t[2], sum}' "$OUT/times"
    fi
    echo
    echo "Spec: spec/ExtMmap.tla; each rule is a spec action, named as in spec/README.md."
    echo
    [ -f "$OUT/graph-kernel.md" ] && sed 's/^#/##/' "$OUT/graph-kernel.md" && echo
    echo "## JUnit classes in the guest (walks: jqwik, model as oracle, real sizes)"
    echo
    if [ -f "$OUT/junit.md" ]; then cat "$OUT/junit.md"; else echo "**no JUnit report: see $OUT/junit.log**"; fi
    echo
    if [ -f "$HERE/target/conformance-report/fault-injected.md" ]; then
        echo "## Can the tester fail? (host build)"
        echo
        sed 's/^#/###/' "$HERE/target/conformance-report/fault-injected.md"
    fi
} >"$REPORT"
echo "guest-suite.sh: report $REPORT (exit status $rc)"
grep -E '^Quick:|^[A-Za-z]+: [0-9]+ paths|jqwik tries|^Tests:|Kill rate|EXTENDED MMAP ABSENT' "$REPORT" || true
exit "$rc"
