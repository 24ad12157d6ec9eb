#!/usr/bin/env bash
# Runs the graph-derived kernel tests inside the patched kernel (kernel-patch/run-guest.sh),
# without Maven: the guest sees the host's files read-only, so this uses what a host run of
#   mvn -o -pl conformance -am verify -Dtest='org.extmmap.conformance.**' -Dsurefire.failIfNoSpecifiedTests=false
# left behind: compiled classes and TLC's DOT dumps under conformance/target/tlc.
# Usage: conformance/guest-run.sh [MAXPATHS [CONFIG...]]   (default: 200 Quick)
# The report lands in conformance/target/guest/graph-kernel.md; exit status is GuestMain's
# (0 passed, 1 failures, 2 extended mmap absent) or run-guest.sh's (124 timeout, 125 panic, 126 oops).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
MAX=${1:-200}
shift || true
if [ $# -gt 0 ]; then CONFIGS=("$@"); else CONFIGS=(Quick); fi
REPO=${MAVEN_REPO:-$HOME/.m2/repository}
JNA=$REPO/net/java/dev/jna/jna/5.19.1/jna-5.19.1.jar
# a snapshot of the classes: the guest loads them lazily over 9p while the host may rebuild
SNAP=$HERE/target/guest-classes
CP=$SNAP/conformance:$SNAP/model:$JNA
for f in "$HERE/target/classes/org/extmmap/conformance/GuestMain.class" "$JNA"; do
    [ -e "$f" ] || { echo "guest-run.sh: missing $f: run the Maven build on the host first" >&2; exit 2; }
done
for c in "${CONFIGS[@]}"; do
    [ -e "$HERE/target/tlc/conformance-$c/states.dot" ] || {
        echo "guest-run.sh: no DOT dump for $c: run GraphReplayTest on the host first" >&2; exit 2; }
done
mkdir -p "$HERE/target/guest"
rm -rf "$SNAP" && mkdir -p "$SNAP" && cp -r "$HERE/target/classes" "$SNAP/conformance" \
    && cp -r "$ROOT/model/target/classes" "$SNAP/model"
export EXTMMAP_RESULTS_DIR=$HERE/target/guest
cd "$HERE"
# the guest is emulated (TCG): every wait x8; JNA unpacks its stub into the guest's /tmp
# taskset: the JVM on one vCPU, see guest-suite.sh
exec "$ROOT/kernel-patch/run-guest.sh" taskset -c 0 java -Dextmmap.timeScale="${EXTMMAP_TIME_SCALE:-8}" -XX:ErrorFile=/mnt/results/hs_err_pid%p.log \
    -Djava.io.tmpdir=/tmp -Djna.tmpdir=/tmp -cp "$CP" org.extmmap.conformance.GuestMain \
    "$ROOT/spec" "$HERE/target/tlc" /mnt/results/graph-kernel.md "$MAX" "${CONFIGS[@]}"
