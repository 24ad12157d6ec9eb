#!/usr/bin/env bash
# Runs JUnit test classes of this module inside the patched kernel (kernel-patch/run-guest.sh)
# without Maven, on the exact test classpath of the last host run (see guest-jvm.sh).
# Usage: conformance/guest-tests.sh [CLASS...]   (default: the kernel-facing classes in guest-classes.txt)
# Environment: EXTMMAP_TIME_SCALE (see guest-jvm.sh), EXTMMAP_WALK_TRIES (jqwik tries of
#   properties that name none, such as the kernel walks; default: junit-platform.properties' 100).
# Report with tries and seeds: conformance/target/guest/junit.md.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
source "$HERE/guest-jvm.sh"
guest_jvm_snapshot "$HERE/target/guest-test-classes"
guest_jvm_java /mnt/results
if [ $# -gt 0 ]; then CLASSES=("$@"); else CLASSES=($(grep -v '^#' "$HERE/guest-classes.txt")); fi
mkdir -p "$HERE/target/guest"
export EXTMMAP_RESULTS_DIR=$HERE/target/guest
cd "$HERE"
exec "$ROOT/kernel-patch/run-guest.sh" "${GUEST_JAVA[@]}" -Dextmmap.child="$HERE/target/extmmap-child" \
    -Dextmmap.spec.dir="$ROOT/spec" -Djqwik.database=/tmp/jqwik-database \
    ${EXTMMAP_WALK_TRIES:+-Djqwik.tries.default="$EXTMMAP_WALK_TRIES"} \
    -Djqwik.reporting.usejunitplatform=true -Dextmmap.junitReport=/mnt/results/junit.md \
    -cp "$GUEST_CP" org.extmmap.conformance.GuestJUnit "${CLASSES[@]}"
