#!/bin/bash
# The stress and fault runs of issue 6 (races, signals, resources, bad input,
# security: kernel-patch/stress/), in one boot of a kernel built by build.sh.
#
#   kernel-patch/stress.sh [--stock] [--debug] [-t SECONDS] [-s SCALE] [NAME...]
#
# --debug boots the KASAN kernel (build.sh --debug), --stock the unpatched
# one (there the run must stop with "EXTENDED MMAP ABSENT", exit 4).
# -t: seconds per timed test (default 15), -s: wait/limit multiplier for the
# emulator (default 3; 6 suits the debug kernel). NAME: tests or groups
# (bin/pipe_mmap_stress -l lists them); none = all.
# Exit: pipe_mmap_stress's status (0 all passed), or run-guest.sh's (124
# timeout, 125 no status, 126 console log not clean: KASAN, lockdep,
# hung task, WARNING, ...). The log is kept in $EXTMMAP_BUILD_DIR/stress/.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
variant=() secs=15 scale=3 names=()
while [ $# -gt 0 ]; do
	case $1 in
	--stock|--debug) variant+=("$1"); shift ;;
	-t) secs=${2:?-t needs seconds}; shift 2 ;;
	-s) scale=${2:?-s needs a factor}; shift 2 ;;
	-h|--help) sed -n '2,14p' "$0"; exit 0 ;;
	-*) echo "stress.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	*) names+=("$1"); shift ;;
	esac
done
make -s -C "$HERE" bin/pipe_mmap_stress
# The guest sees the host root read-only but not the host's /tmp (a CI
# clone lives there): run a copy kept under the build directory.
mkdir -p "$BUILD/stress"
stamp=$(date +%Y%m%d-%H%M%S)
bin=$BUILD/stress/pipe_mmap_stress-$stamp-$$
log=$BUILD/stress/stress-$stamp-$$.log
cp "$HERE/bin/pipe_mmap_stress" "$bin"
trap 'rm -f "$bin"' EXIT
echo "stress.sh: ${variant[*]:-patched} kernel, ${secs} s per timed test, scale $scale, log $log"
set +e
"$HERE/run-guest.sh" "${variant[@]}" "$bin" -t "$secs" -s "$scale" "${names[@]}" 2>&1 |
	tee "$log"
rc=${PIPESTATUS[0]}
set -e
case $rc in
0) echo "stress.sh: PASSED (log $log)" ;;
4) echo "stress.sh: EXTENDED MMAP ABSENT in this kernel: no stress test ran (log $log)" ;;
*) echo "stress.sh: FAILED, exit $rc (log $log)" ;;
esac
exit "$rc"
