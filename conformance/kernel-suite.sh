#!/usr/bin/env bash
# The conformance suite against a kernel image: this JVM drives, the agent runs in a guest booted
# from the image (see conformance/README.md, "Checking the patched kernel"). The one place for what
# every kernel run shares; the callers (./test.sh, kernel-patch/mutate.sh) add what they choose.
#
#   conformance/kernel-suite.sh BZIMAGE GOAL [MAVEN ARGUMENTS...]     (GOAL: test or verify)
#
# Environment: EXTMMAP_TIME_SCALE (default 3) multiplies every wait: the guest is emulated (TCG).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: conformance/kernel-suite.sh BZIMAGE GOAL [MAVEN ARGUMENTS...]" >&2; exit 2; }
image=$1 goal=$2
shift 2
[ -f "$image" ] || { echo "kernel-suite.sh: no kernel image $image (build one: kernel-patch/build.sh)" >&2; exit 2; }
cd "$(dirname "$0")/.."
exec mvn -B "$goal" -pl model,conformance -Dsurefire.failIfNoSpecifiedTests=false \
    -Dextmmap.kernel="$image" -Dextmmap.timeScale="${EXTMMAP_TIME_SCALE:-3}" "$@"
