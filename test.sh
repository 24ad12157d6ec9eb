#!/usr/bin/env bash
# The test command.
#   ./test.sh            mvn verify (spec, wrong variants, model == TLC graph,
#                        conformance harness and host-kernel tests), then the
#                        kernel stage: build the patched kernel, boot it under
#                        QEMU and run the kselftest of the series inside it,
#                        then the conformance suite inside it
#                        (conformance/guest-suite.sh: report in
#                        conformance/target/guest-suite/conformance-report.md),
#                        then the stress and fault runs in one more boot
#                        (kernel-patch/stress.sh: races, signals, resources,
#                        bad input, security)
#   ./test.sh --full     also kernel-patch/guest-check.sh (pipemap 256M, mwc,
#                        mcat/mgrep comparisons) in the patched guest
#   ./test.sh --no-kernel   skip the kernel stage (says so loudly)
set -euo pipefail
cd "$(dirname "$0")"
kernel=yes full=
for a in "$@"; do
    case $a in
        --full) full=yes ;;
        --no-kernel) kernel= ;;
        *) echo "test.sh: unknown argument $a (use --full or --no-kernel)" >&2; exit 2 ;;
    esac
done
for tool in java mvn; do
    command -v "$tool" >/dev/null || {
        echo "test.sh: $tool not found. On Debian 12: apt-get install openjdk-17-jdk-headless maven" >&2
        exit 2
    }
done

echo "=== test.sh: mvn verify"
mvn -B verify

banner() { printf '\n%s\n%s\n%s\n\n' "########################################################################" "$1" "########################################################################"; }
if [ -z "$kernel" ]; then
    banner "KERNEL STAGE NOT RUN (--no-kernel): the patched kernel was not built or booted"
    exit 0
fi

echo "=== test.sh: kernel stage: build the patched kernel (kernel-patch/build.sh)"
kernel-patch/build.sh
echo "=== test.sh: kernel stage: checkpatch.pl --strict on every patch"
kernel-patch/checkpatch.sh
kernel-patch/build-selftest.sh
make -s -C kernel-patch
build=${EXTMMAP_BUILD_DIR:-/work/build}
echo "=== test.sh: kernel stage: kselftest pipe_mmap inside the patched guest"
kernel-patch/run-guest.sh "$build/selftest/pipe_mmap_test"
echo "=== test.sh: kernel stage: the conformance suite inside the patched guest (about 15-20 min under TCG)"
conformance/guest-suite.sh
echo "=== test.sh: kernel stage: stress and fault runs inside the patched guest (kernel-patch/stress.sh, a few minutes)"
kernel-patch/stress.sh
if [ -n "$full" ]; then
    echo "=== test.sh: kernel stage: guest-check.sh (pipemap 256M, mwc, comparisons)"
    kernel-patch/guest-check.sh
fi
banner "KERNEL STAGE PASSED: checkpatch clean; kselftest pipe_mmap, the conformance suite, the stress runs${full:+ and guest-check.sh} in the patched guest; console log clean"
