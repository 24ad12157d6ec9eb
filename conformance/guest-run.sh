#!/usr/bin/env bash
# Runs the graph-derived kernel tests inside the patched kernel (kernel-patch/run-guest.sh),
# without Maven: the guest sees the host's files read-only, so this uses what a host run of
#   mvn verify
# left behind: compiled classes, Surefire's test classpath and TLC's DOT dumps under conformance/target/tlc.
# Usage: conformance/guest-run.sh [MAXPATHS [CONFIG...]]   (default: 200 Quick)
# Environment: EXTMMAP_TIME_SCALE (see guest-jvm.sh).
# The report lands in conformance/target/guest/graph-kernel.md; exit status is GuestMain's
# (0 passed, 1 failures, 2 extended mmap absent) or run-guest.sh's (124 timeout, 125 panic, 126 oops).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
source "$HERE/guest-jvm.sh"
MAX=${1:-200}
shift || true
if [ $# -gt 0 ]; then CONFIGS=("$@"); else CONFIGS=(Quick); fi
for c in "${CONFIGS[@]}"; do
    [ -e "$HERE/target/tlc/conformance-$c/states.dot" ] || {
        echo "guest-run.sh: no DOT dump for $c: run GraphReplayTest on the host first" >&2; exit 2; }
done
guest_jvm_snapshot "$HERE/target/guest-classes"
guest_jvm_java /mnt/results
mkdir -p "$HERE/target/guest"
export EXTMMAP_RESULTS_DIR=$HERE/target/guest
cd "$HERE"
exec "$ROOT/kernel-patch/run-guest.sh" "${GUEST_JAVA[@]}" -cp "$GUEST_CP" org.extmmap.conformance.GuestMain \
    "$ROOT/spec" "$HERE/target/tlc" /mnt/results/graph-kernel.md "$MAX" "${CONFIGS[@]}"
