#!/bin/bash
# Build the kselftest of the series (tools/testing/selftests/pipe_mmap) from
# the patched tree into $EXTMMAP_BUILD_DIR/selftest/pipe_mmap_test.
# Run build.sh first (it applies the series).
set -euo pipefail
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
SRC=$BUILD/linux-6.12
DIR=$SRC/tools/testing/selftests/pipe_mmap
[ -d "$DIR" ] || { echo "build-selftest.sh: $DIR missing: run build.sh first" >&2; exit 1; }
mkdir -p "$BUILD/selftest"
# The test includes the series' uapi header <linux/pipe_mmap.h>, which the
# host's /usr/include lacks: export the patched tree's uapi headers (make
# headers, into its own O= directory; seconds, incremental) and compile
# against them, as kselftest does with KHDR_INCLUDES.
HDR=$BUILD/selftest/khdr
make -s -C "$SRC" O="$HDR" headers >"$BUILD/selftest/build.log" 2>&1 ||
	{ cat "$BUILD/selftest/build.log" >&2; echo "build-selftest.sh: make headers failed" >&2; exit 1; }
make -s -C "$DIR" OUTPUT="$BUILD/selftest" KHDR_INCLUDES="-isystem $HDR/usr/include" \
	>>"$BUILD/selftest/build.log" 2>&1 ||
	{ cat "$BUILD/selftest/build.log" >&2; echo "build-selftest.sh: build failed" >&2; exit 1; }
echo "build-selftest.sh: built $BUILD/selftest/pipe_mmap_test"
