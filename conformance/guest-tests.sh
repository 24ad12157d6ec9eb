#!/usr/bin/env bash
# Runs JUnit test classes of this module inside the patched kernel (kernel-patch/run-guest.sh)
# without Maven, on the exact test classpath of the last host run (read from a Surefire report).
# Usage: conformance/guest-tests.sh [CLASS...]   (default: the kernel-facing classes below)
# Environment: EXTMMAP_TIME_SCALE (default 8), EXTMMAP_WALK_TRIES (jqwik tries of properties
#   that name none, such as the kernel walks; default: junit-platform.properties' 100).
# Report with tries and seeds: conformance/target/guest/junit.md.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
XML=$HERE/target/surefire-reports/TEST-org.extmmap.conformance.sys.LibcSyscallsTest.xml
[ -e "$XML" ] || { echo "guest-tests.sh: run the host build first (no $XML)" >&2; exit 2; }
CP=$(grep -o 'name="surefire.test.class.path" value="[^"]*"' "$XML" | sed 's/.*value="//; s/"$//')
# a snapshot of the module's classes: the guest loads them lazily while the host may rebuild
SNAP=$HERE/target/guest-test-classes
rm -rf "$SNAP" && mkdir -p "$SNAP" && cp -r "$HERE/target/classes" "$SNAP/classes" \
    && cp -r "$HERE/target/test-classes" "$SNAP/test-classes"
CP=${CP//$HERE\/target\/test-classes/$SNAP/test-classes}
CP=${CP//$HERE\/target\/classes/$SNAP/classes}
if [ $# -gt 0 ]; then CLASSES=("$@"); else CLASSES=($(grep -v '^#' "$HERE/guest-classes.txt")); fi
mkdir -p "$HERE/target/guest"
export EXTMMAP_RESULTS_DIR=$HERE/target/guest
cd "$HERE"
# taskset: the JVM on one vCPU, see guest-suite.sh
exec "$ROOT/kernel-patch/run-guest.sh" taskset -c 0 java -Dextmmap.timeScale="${EXTMMAP_TIME_SCALE:-8}" \
    -Djava.io.tmpdir=/tmp -Djna.tmpdir=/tmp -Dextmmap.child="$HERE/target/extmmap-child" \
    -Dextmmap.spec.dir="$ROOT/spec" -Djqwik.database=/tmp/jqwik-database \
    ${EXTMMAP_WALK_TRIES:+-Djqwik.tries.default="$EXTMMAP_WALK_TRIES"} \
    -Djqwik.reporting.usejunitplatform=true -Dextmmap.junitReport=/mnt/results/junit.md \
    -cp "$CP" org.extmmap.conformance.GuestJUnit "${CLASSES[@]}"
