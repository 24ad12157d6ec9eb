#!/usr/bin/env bash
# The test command.
#   ./test.sh            mvn verify (spec, wrong variants, model == TLC graph,
#                        conformance harness and host-kernel tests), then the
#                        kernel stage: build the patched kernel, checkpatch,
#                        check that every mutant still applies, boot it under
#                        QEMU and run the kselftest of the series inside it,
#                        then the conformance suite against it: mvn verify
#                        with -Dextmmap.kernel (the JVM here, extmmap-agent
#                        in the guest; reports in conformance/target/
#                        conformance-report/), then a sample of it by a JVM
#                        inside the guest (conformance/guest-suite.sh),
#                        then concurrent histories of free-running processes
#                        judged by the spec (conformance/concurrent-suite.sh:
#                        16 short ones, judged by the model's checker and by
#                        TLC, then 8 long ones, by the model's checker),
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
echo "=== test.sh: kernel stage: every mutant of kernel-patch/mutants still applies to the series"
kernel-patch/mutate.sh --check
kernel-patch/build-selftest.sh
make -s -C kernel-patch
build=${EXTMMAP_BUILD_DIR:-/work/build}
echo "=== test.sh: kernel stage: kselftest pipe_mmap inside the patched guest"
kernel-patch/run-guest.sh "$build/selftest/pipe_mmap_test"
echo "=== test.sh: kernel stage: the conformance suite against the patched kernel: the driver here, the agent in the guest (about 30 min)"
status=conformance/target/guest-agent.status
rm -f "$status"
conformance/kernel-suite.sh "$build/bzImage-patched" verify -Dtest='org.extmmap.conformance.**' \
    -Djqwik.tries.default="${EXTMMAP_WALK_TRIES:-1200}" \
    -Dextmmap.kernelConfigs=Quick,Errors,Windows,Claims,Pulling,Liveness,Fork,Commits,LoadAhead \
    -Dextmmap.kernelPaths="${EXTMMAP_KERNEL_PATHS:-Windows:1200,Claims:1200,Pulling:450,Liveness:600,Fork:450,Commits:400,LoadAhead:400}" \
    -Dextmmap.guestStatus="$PWD/$status"
# the guest ends after the tests (a shutdown hook): its console verdict comes back in a file
[ -f "$status" ] || { echo "test.sh: the guest of the conformance run left no status ($status)" >&2; exit 1; }
read -r guest_rc guest_console <"$status"
[ "$guest_rc" = 0 ] || { echo "test.sh: the guest of the conformance run ended with $guest_rc: $guest_console" >&2; exit 1; }
echo "=== test.sh: kernel stage: a sample of the suite by a JVM inside the patched guest (the in-process target; a few minutes)"
EXTMMAP_GRAPH_PATHS=${EXTMMAP_GUEST_PATHS:-150} EXTMMAP_WALK_TRIES=${EXTMMAP_GUEST_TRIES:-30} conformance/guest-suite.sh
echo "=== test.sh: kernel stage: concurrent histories of free-running processes in the patched guest, judged by the spec (conformance/concurrent-suite.sh, a few minutes)"
conformance/concurrent-suite.sh --small -n "${EXTMMAP_HISTORIES:-16}" -t "${EXTMMAP_HISTORY_SECONDS:-3}"
conformance/concurrent-suite.sh --long -n "${EXTMMAP_LONG_HISTORIES:-8}" -t "${EXTMMAP_HISTORY_SECONDS:-3}" -s 101
echo "=== test.sh: kernel stage: stress and fault runs inside the patched guest (kernel-patch/stress.sh, a few minutes)"
kernel-patch/stress.sh
if [ -n "$full" ]; then
    echo "=== test.sh: kernel stage: guest-check.sh (pipemap 256M, mwc, comparisons)"
    kernel-patch/guest-check.sh
fi
banner "KERNEL STAGE PASSED: checkpatch clean; kselftest pipe_mmap, the conformance suite (host driver, agent in the guest; and a sample by a JVM in the guest), the concurrent histories, the stress runs${full:+ and guest-check.sh} in the patched guest; console logs clean"
