#!/bin/bash
# The acceptance checks of kernel-patch/, in one boot of the patched kernel:
#   1. the kselftest tools/testing/selftests/pipe_mmap
#   2. pipemap 256M (every byte verified)
#   3. seq 1 2000000 | mwc  equals  seq 1 2000000 | wc
#   4. tools/compare.sh: mcat/mwc/mgrep equal cat/wc/grep -F
# Usage: kernel-patch/guest-check.sh [--stock]   (exit 0 = all passed and the
# console log is clean). Needs build.sh, build-selftest.sh and make first.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
if [ "${1:-}" = --inside ]; then
	rc=0
	cd "$HERE"
	echo "=== selftest"
	"$BUILD/selftest/pipe_mmap_test" || rc=1
	echo "=== pipemap ${PIPEMAP_SIZE:-256M}"
	bin/pipemap "${PIPEMAP_SIZE:-256M}" || rc=1
	# page aligned claims and commits: the zero-copy (page take-over) path
	bin/pipemap -w 1M -c 1M -r 1M "${PIPEMAP_SIZE:-256M}" || rc=1
	bin/pipemap --read "${PIPEMAP_SIZE:-256M}" || rc=1
	echo "=== seq 1 2000000 | mwc"
	a=$(seq 1 2000000 | bin/mwc) b=$(seq 1 2000000 | wc)
	echo "mwc: '$a'"; echo "wc:  '$b'"
	[ "$a" = "$b" ] || { echo "MISMATCH"; rc=1; }
	echo "=== compare.sh"
	TMPDIR=/tmp tools/compare.sh || rc=1
	echo "=== guest-check: rc=$rc"
	exit $rc
fi
stock=
[ "${1:-}" = --stock ] && stock=--stock
make -s -C "$HERE" || exit 1
"$HERE/build-selftest.sh" || exit 1
cd "$HERE" && exec "$HERE/run-guest.sh" $stock "$HERE/guest-check.sh" --inside
