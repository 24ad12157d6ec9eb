#!/bin/bash
# Native per-event costs of the hardware cost model (issue 14), measured on
# this machine's CPU and the stock host kernel (no QEMU, no kernel build).
#
#   bench/costs.sh [--reps 7] [--size 256M] [--no-pipe]
#
#   --reps     repetitions per measurement, after one untimed warm-up
#   --size     bytes moved per xbench pipe run (paths a, d, f), in M or G
#   --no-pipe  skip the pipe paths and their steps (section 7)
#
# Builds bench/costs and bench/xbench, prints the CPU, kernel and hypervisor,
# runs costs (one progress line per measurement) and writes
# bench/results/costs-<time>/costs.csv (name,unit,median,min,max,reps) and
# costs.md (the machine, then the table). About 22 s with --reps 9 on the
# 2-core host. Take figures for the model on a quiet machine: other jobs
# inflate every row, the cross-CPU ones most. Then: bench/model.py (its
# docstring says how the prices combine).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
REPS=7 SIZE=256M EXTRA=()
usage() { sed -n '2,16p' "$0"; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
	case $1 in
	--reps) REPS=${2:?--reps needs a value}; shift 2 ;;
	--size) SIZE=${2:?--size needs a value}; shift 2 ;;
	--no-pipe) EXTRA+=(--no-pipe); shift ;;
	-h|--help) usage 0 ;;
	*) echo "bench/costs.sh: unknown argument '$1'" >&2; usage 2 ;;
	esac
done
[[ $REPS =~ ^[1-9][0-9]*$ ]] || { echo "bench/costs.sh: --reps must be a positive number" >&2; exit 2; }
say() { echo "[bench/costs.sh $(date +%H:%M:%S)] $*"; }

say "building bench/costs and bench/xbench"
make -s -C "$HERE" xbench costs

OUT=$HERE/results/costs-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
hyp=$(lscpu | sed -n 's/^Hypervisor vendor: *//p')
[ -n "$hyp" ] || hyp=$(systemd-detect-virt 2>/dev/null || true)
[ -n "$hyp" ] || { grep -qw hypervisor /proc/cpuinfo && hyp="yes (cpuinfo flag)" || hyp="none detected"; }
fab=$(cat /sys/kernel/debug/fault_around_bytes 2>/dev/null ||
	echo "not readable (debugfs); the kernel default is 65536")
thp=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo "?")
load0=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
say "CPU: $cpu, $(nproc) CPUs; kernel $(uname -r); hypervisor: $hyp; load $load0"
awk -v l="${load0%% *}" 'BEGIN { exit !(l > 0.5) }' &&
	say "WARNING: the 1-min load is $load0: the machine is not quiet, figures will be inflated"

cmd="bench/costs.sh --reps $REPS --size $SIZE${EXTRA[*]:+ ${EXTRA[*]}}"
say "running costs --reps $REPS --size $SIZE${EXTRA[*]:+ ${EXTRA[*]}} -> $OUT"
"$HERE/costs" --reps "$REPS" --size "$SIZE" --csv "$OUT/costs.csv" "${EXTRA[@]}" >"$OUT/table.md"
load1=$(cut -d' ' -f1-3 /proc/loadavg)
{
	echo "# Native event costs (bench/costs.sh)"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- command: $cmd"
	echo "- repo commit: $commit"
	echo "- CPU: $cpu, $(nproc) CPUs (lscpu)"
	echo "- kernel: $(uname -r)"
	echo "- hypervisor: $hyp"
	echo "- THP: $thp (costs maps its regions MADV_NOHUGEPAGE); fault_around_bytes: $fab"
	echo "- load (1, 5, 15 min) at start: $load0; at end: $load1"
	echo
	cat "$OUT/table.md"
} >"$OUT/costs.md"
rm "$OUT/table.md"
cat "$OUT/costs.md"
say "wrote $OUT/costs.csv and costs.md"
