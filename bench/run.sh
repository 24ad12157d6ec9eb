#!/bin/bash
# The extmmap benchmarks, one command: build what is needed, boot the bench
# kernel once under QEMU, run every measurement in that boot, and write the
# results on the host.
#
#   bench/run.sh [--size 128M] [--reps 5] [--sections file,pipe,transfer,scaling]
#                [--smp N] [--no-perf] [--no-copy] [--no-install]
#
#   --size      bytes per file and per transfer (K/M/G suffixes); the scaling
#               section moves SIZE/16, SIZE/4, SIZE and 4*SIZE. The default,
#               128M, takes about 13 min of guest time (5 reps); the issue's
#               full size, --size 256M, about twice that (scaling 16M..1G)
#   --reps      repetitions (>= 5 for the README table)
#   --sections  a subset of file,pipe,transfer,scaling
#   --smp       guest vCPUs (default 2; 1 = writer and reader take turns on
#               one CPU, as on the uniprocessor of the 1999 measurements)
#   --no-perf   skip the perf profile of paths a, b, c after the runs
#   --no-copy   do not copy the small result files into bench/results/
#
# Results: $EXTMMAP_BUILD_DIR/bench/<time>/ (default /work/build/bench/...):
#   runs.csv      every run: section, method, chunk, size, rep, wall, user, sys, MiB/s
#   medians.csv   medians, min-max, speedups; results.md the same as Markdown
#   chart.png     throughput by method and chunk size (gnuplot)
#   env.txt, perf-*.txt, console.log
# and (unless --no-copy) the same small files in bench/results/<time>/.
#
# Environment: EXTMMAP_BUILD_DIR, EXTMMAP_TIMEOUT (default 5400 s),
# EXTMMAP_MEM (guest memory, default 2G), as for kernel-patch/run-guest.sh.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
SIZE=128M REPS=5 SECTIONS=file,pipe,transfer,scaling PERF=1 COPY=1 INSTALL=1
usage() { sed -n '2,28p' "$0"; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
	case $1 in
	--size) SIZE=${2:?--size needs a value}; shift 2 ;;
	--reps) REPS=${2:?--reps needs a value}; shift 2 ;;
	--sections) SECTIONS=${2:?--sections needs a value}; shift 2 ;;
	--smp) export EXTMMAP_SMP=${2:?--smp needs a value}; shift 2 ;;
	--no-perf) PERF=0; shift ;;
	--no-copy) COPY=0; shift ;;
	--no-install) INSTALL=0; shift ;;
	-h|--help) usage 0 ;;
	*) echo "bench/run.sh: unknown argument '$1'" >&2; usage 2 ;;
	esac
done
say() { echo "[bench/run.sh $(date +%H:%M:%S)] $*"; }
die() { echo "[bench/run.sh] ERROR: $*" >&2; exit 1; }

numfmt --from=iec "$SIZE" >/dev/null 2>&1 || die "--size '$SIZE' is not a size (e.g. 64M, 256M, 1G)"
bytes=$(numfmt --from=iec "$SIZE")
[ $((bytes % 65536)) = 0 ] && [ "$bytes" -ge $((16 * 65536)) ] ||
	die "--size must be a multiple of 64K and at least 1M (scaling uses SIZE/16 in 64K chunks)"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive number"
for s in ${SECTIONS//,/ }; do
	case $s in file|pipe|transfer|scaling) ;; *) die "unknown section '$s' (file,pipe,transfer,scaling)" ;; esac
done

# --- what the host needs: gcc/make (programs), python3 (report), gnuplot (PNG)
need=()
command -v gcc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
command -v numfmt >/dev/null || need+=(coreutils)
if [ ${#need[@]} -gt 0 ]; then
	[ $INSTALL = 1 ] || die "missing Debian packages: ${need[*]} (apt-get install ${need[*]})"
	say "installing ${need[*]}"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } \
		>"$BUILD/bench-apt.log" 2>&1 || { tail -20 "$BUILD/bench-apt.log" >&2;
		die "apt-get install ${need[*]} failed (log $BUILD/bench-apt.log)"; }
fi

say "building the programs (kernel-patch/bin, bench/xbench)"
make -s -C "$ROOT/kernel-patch" || die "make -C kernel-patch failed"
make -s -C "$HERE" || die "make -C bench failed"
say "building the bench kernel (kernel-patch/build.sh --bench; ~13 min from scratch)"
inst=(); [ $INSTALL = 1 ] || inst=(--no-install)
"$ROOT/kernel-patch/build.sh" --bench "${inst[@]}" || die "kernel-patch/build.sh --bench failed"

STAMP=$(date +%Y%m%d-%H%M%S)
R=$BUILD/bench/$STAMP
mkdir -p "$R/guest"
say "results: $R (size $SIZE, $REPS reps, sections $SECTIONS, perf $PERF)"
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "command: bench/run.sh --size $SIZE --reps $REPS --sections $SECTIONS --smp ${EXTMMAP_SMP:-2}$([ $PERF = 1 ] || echo ' --no-perf')"
	echo "repo commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet -- bench kernel-patch 2>/dev/null || echo ' (+ uncommitted changes in bench/ or kernel-patch/)')"
	echo "kernel: $(readlink -f "$BUILD/bzImage-patched-bench") (build.sh --bench: extmmap.config + bench.config, no lockdep/DEBUG_VM)"
	echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -r)"
	echo "guest: QEMU $(qemu-system-x86_64 --version | head -1 | awk '{print $4}') TCG (no KVM), -smp ${EXTMMAP_SMP:-2} -m ${EXTMMAP_MEM:-2G}"
	echo "host load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$R/meta.txt"
cat "$R/meta.txt"

# What the guest runs, copied outside the checkout: the guest sees the host's root read-only
# but mounts empty tmpfs on /tmp, /run, /dev/shm and /mnt (kernel-patch/guest-init.sh), so a
# clone there would be invisible; the copy also keeps the programs fixed while the host rebuilds.
SNAP=$BUILD/bench-snapshot
rm -rf "$SNAP" && mkdir -p "$SNAP/bench" "$SNAP/kernel-patch"
cp "$HERE/guest.sh" "$HERE/xbench" "$SNAP/bench/" && cp -r "$ROOT/kernel-patch/bin" "$SNAP/kernel-patch/"

say "booting the bench kernel; progress lines follow (the guest lock may make this wait)"
cd /
set +e
EXTMMAP_RESULTS_DIR=$R/guest EXTMMAP_TIMEOUT=${EXTMMAP_TIMEOUT:-5400} \
EXTMMAP_LOG=$R/console.log \
	"$ROOT/kernel-patch/run-guest.sh" --bench "$SNAP/bench/guest.sh" "$SIZE" "$REPS" "$SECTIONS" "$PERF"
rc=$?
set -e
echo "host load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$R/meta.txt"
[ $rc = 0 ] || die "the guest run failed (status $rc; console log $R/console.log, partial runs in $R/guest/runs.csv)"
[ -s "$R/guest/runs.csv" ] || die "the guest wrote no runs.csv ($R/guest)"

for f in runs.csv env.txt; do cp "$R/guest/$f" "$R/"; done
cp "$R"/guest/perf-* "$R/" 2>/dev/null || true
python3 "$HERE/report.py" "$R"
if [ -f "$R/chart-transfer.dat" ] && [ -f "$R/chart-programs.dat" ] && [ -f "$R/chart-scaling.dat" ]; then
	gnuplot -e "d='$R'" "$HERE/chart.gp" 2>"$R/gnuplot.log" || die "gnuplot failed ($R/gnuplot.log)"
else
	say "not every section ran: no chart.png (it needs transfer, file/pipe and scaling)"
fi
if [ $COPY = 1 ]; then
	C=$HERE/results/$STAMP
	mkdir -p "$C"
	cp "$R"/{meta.txt,env.txt,runs.csv,medians.csv,results.md} "$C/"
	cp "$R"/chart.png "$R"/perf-*.txt "$C/" 2>/dev/null || true
	say "small files copied to $C"
fi
say "done: $R/results.md"
cat "$R/results.md"
