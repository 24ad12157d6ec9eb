#!/bin/bash
# Boot the extmmap kernel under QEMU (TCG) with the host root file system
# read-only over virtio-9p, run CMD inside, exit with CMD's exit status.
#
#   kernel-patch/run-guest.sh [--stock] [--bench|--debug] CMD [ARGS...]
#
# --stock boots the unpatched kernel, --bench the variant built by
# `build.sh --bench` (no debugging checks), --debug the one built by
# `build.sh --debug` (KASAN etc.): bzImage-{patched,stock}[-bench|-debug].
# CMD runs under /bin/sh -c in the host's current directory (when that path
# is visible in the guest: /tmp is a fresh tmpfs there), with
# EXTMMAP_RESULTS=/mnt/results naming a directory that is writable and shared
# with the host ($EXTMMAP_RESULTS_DIR on the host).
#
# Environment:
#   EXTMMAP_BUILD_DIR    build root (default /work/build)
#   EXTMMAP_KERNEL       bzImage to boot (default $EXTMMAP_BUILD_DIR/bzImage-patched,
#                        or as chosen by --stock/--bench)
#   EXTMMAP_RESULTS_DIR  host directory exported writable (default
#                        $EXTMMAP_BUILD_DIR/guest/results)
#   EXTMMAP_TIMEOUT      seconds before a hung guest is killed (default 900)
#   EXTMMAP_MEM          guest memory (default 2G); EXTMMAP_SMP (default 2)
#   EXTMMAP_LOG          console log path (default $EXTMMAP_BUILD_DIR/guest/console-<time>.log)
#   EXTMMAP_AGENT_SOCKET a unix socket the host listens on: the guest gets a virtio-serial
#                        port named org.extmmap.agent whose other end QEMU connects there
#                        (the conformance suite's agent channel, conformance/README.md)
#
# Exit status: CMD's status; 124 on timeout; 125 when the guest never
# reported a status (crash, panic); 126 when CMD succeeded but the console
# log shows a kernel problem (Oops, BUG, WARNING, lockdep, panic, KASAN).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
VARIANT=patched
FLAVOR=
while [ $# -gt 0 ]; do
	case $1 in
	--stock) VARIANT=stock; shift ;;
	--bench) FLAVOR=-bench; shift ;;
	--debug) FLAVOR=-debug; shift ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { sed -n '2,26p' "$0"; exit 2; }
KERNEL=${EXTMMAP_KERNEL:-$BUILD/bzImage-$VARIANT$FLAVOR}
RESULTS=${EXTMMAP_RESULTS_DIR:-$BUILD/guest/results}
TIMEOUT=${EXTMMAP_TIMEOUT:-900}
MEM=${EXTMMAP_MEM:-2G}
SMP=${EXTMMAP_SMP:-2}
mkdir -p "$RESULTS" "$BUILD/guest"
LOG=${EXTMMAP_LOG:-$BUILD/guest/console-$(date +%Y%m%d-%H%M%S)-$$.log}
INIT=$HERE/guest-init.sh

buildargs=
[ "$VARIANT" = stock ] && buildargs+=" --stock"
[ -n "$FLAVOR" ] && buildargs+=" --${FLAVOR#-}"
[ -e "$KERNEL" ] || { echo "run-guest.sh: no kernel at $KERNEL (run kernel-patch/build.sh$buildargs)" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "run-guest.sh: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 2; }
[ -x "$INIT" ] || { echo "run-guest.sh: $INIT is not executable" >&2; exit 2; }

# One guest at a time on this machine (2 cores): wait for any other guest.
exec 9>"$BUILD/guest.lock"
if ! flock -n 9; then
	echo "run-guest.sh: another guest is running; waiting for it (lock $BUILD/guest.lock)" >&2
	flock 9
fi
# The command, quoted for sh, and the cwd, handed over through the results dir.
rm -f "$RESULTS/status" "$RESULTS/cmd.sh"
{
	echo "cd $(printf '%q' "$PWD") 2>/dev/null || cd /"
	printf 'exec'
	printf ' %q' "$@"
	echo
} >"$RESULTS/cmd.sh"

AGENT=()
if [ -n "${EXTMMAP_AGENT_SOCKET:-}" ]; then
	AGENT=(-device virtio-serial-pci,id=vser
		-chardev "socket,id=agent,path=$EXTMMAP_AGENT_SOCKET"
		-device virtserialport,bus=vser.0,chardev=agent,name=org.extmmap.agent)
fi

echo "run-guest.sh: booting $(readlink -f "$KERNEL") (timeout ${TIMEOUT}s); console log: $LOG" >&2
t0=$(date +%s.%N)
timeout --foreground -k 10 "$TIMEOUT" qemu-system-x86_64 \
	-machine q35,accel=tcg -cpu max -smp "$SMP" -m "$MEM" \
	-display none -no-reboot -monitor none -serial stdio \
	-kernel "$KERNEL" \
	-fsdev local,id=root,path=/,readonly=on,security_model=none,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=rootfs \
	-fsdev local,id=res,path="$RESULTS",security_model=none \
	-device virtio-9p-pci,fsdev=res,mount_tag=results \
	"${AGENT[@]}" \
	-append "root=rootfs rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro console=ttyS0 panic=-1 oops=panic=0 init=$INIT" \
	</dev/null 2>&1 | tee "$LOG"
qrc=${PIPESTATUS[0]}
t1=$(date +%s.%N)
secs=$(echo "$t1 - $t0" | bc)

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "run-guest.sh: TIMEOUT: guest still running after ${TIMEOUT}s, killed (log: $LOG)" >&2
	exit 124
fi
if [ ! -f "$RESULTS/status" ]; then
	echo "run-guest.sh: the guest ended without reporting CMD's status (qemu rc=$qrc, ${secs}s); see $LOG" >&2
	exit 125
fi
status=$(cat "$RESULTS/status")
pattern='Oops|BUG:|WARNING:|possible circular locking|possible recursive locking|INFO: |Kernel panic|KASAN|UBSAN|general protection fault|Call Trace:'
if grep -aEq "$pattern" "$LOG"; then
	echo "run-guest.sh: KERNEL PROBLEM in the console log ($LOG):" >&2
	grep -aEn "$pattern" "$LOG" | head -20 >&2
	echo "run-guest.sh: CMD exit status was $status; failing anyway (${secs}s)" >&2
	[ "$status" = 0 ] && exit 126
	exit "$status"
fi
echo "run-guest.sh: CMD exited with status $status; guest ran ${secs}s; console log clean: $LOG" >&2
exit "$status"
