#!/bin/bash
# No regressions for unmapped pipes (issue 6): plain pipe throughput,
# write() -> read() in 64 KiB chunks (`xbench pipe a 65536 SIZE`, every byte
# checked), on the stock and on the patched bench kernel, same config, same
# emulator, boots alternating; prints per-run MiB/s, the median per kernel,
# the ratio patched/stock with its spread, and a verdict against
# "patched >= 0.97 x stock".
#
#   bench/pipe-regress.sh [--rounds 8] [--reps 3] [--size 512M]
#                         [--pipe-sizes 64K,1M] [--perf] [--no-build] [--no-copy]
#
#   --rounds      R rounds of two boots each (2R boots). The order is
#                 counterbalanced, stock-patched, patched-stock, ... (ABBA),
#                 so a slow drift of the shared host cancels in the pairs.
#                 Boots differ from each other by a few % (the first run,
#                 4 rounds x 5 reps, showed it), so more boots with fewer
#                 reps each narrow the interval more than longer boots
#   --reps        K measured runs per pipe size per boot, after one warm-up
#                 run per pipe size (recorded as rep 0, not counted)
#   --size        bytes per run (multiple of 64K); 512M is ~4-5 s per run at
#                 ~110-120 MiB/s under TCG
#   --pipe-sizes  pipe capacities (F_SETPIPE_SZ) to measure, comma list;
#                 64K is what a program gets by default, 1M what bench/run.sh
#                 uses. Within a boot the sizes alternate run by run
#   --perf        also profile one run per pipe size with perf (cpu-clock,
#                 system-wide) in the first round's two boots: perf-*.txt
#   --no-build    do not call kernel-patch/build.sh (the kernels must exist)
#   --no-copy     do not copy the small result files into bench/results/
#
# Defaults: 8 rounds x 3 reps x 2 pipe sizes x 512M = 16 boots of about
# 40 s each (~11 min of guest time on a quiet host; more under load). Each
# run moves 512M in ~4.3 s at ~120 MiB/s (TCG).
#
# Builds bench/xbench and both bench kernels when missing or stale
# (kernel-patch/build.sh --bench [--stock]; ~12 min each from scratch, waits
# for any other build). Every boot goes through kernel-patch/run-guest.sh,
# which waits for any other guest (guest lock). Each boot first checks that
# it is the kernel it should be (mmap() of a pipe's read end works on the
# patched kernel only).
#
# Verdict (per pipe size; bench/pipe-regress.py): the 95% interval of
# median(patched)/median(stock) comes from a bootstrap that resamples the
# rounds (the pairs of adjacent boots) and the runs within each boot, since
# boot-to-boot variation is part of the noise. PASS: the interval's lower end
# is >= 0.97; FAIL: its upper end is < 0.97; INCONCLUSIVE otherwise (the
# noise is wider than the 3% criterion: rerun with more rounds, on a quieter
# host). Overall: FAIL if any size fails, PASS if all pass, else INCONCLUSIVE.
#
# Results: $EXTMMAP_BUILD_DIR/pipe-regress/<time>/ (default /work/build/...):
#   runs.csv      every run: kernel, round, boot, pipe, rep, wall, user, sys,
#                 MiB/s, minflt, csw (rep 0 = warm-up)
#   boots.csv     per boot: guest seconds, host load before/after
#   summary.txt   the tables and the verdict; meta.txt; console-*.log
# and (unless --no-copy) meta.txt, runs.csv, boots.csv, summary.txt (and
# perf-*.txt) in bench/results/<time>-pipe-regress/.
# Exit status: 0 PASS, 1 error, 3 FAIL, 4 INCONCLUSIVE.
#
# Environment: EXTMMAP_BUILD_DIR, EXTMMAP_TIMEOUT (per boot, default 900 s),
# EXTMMAP_MEM, EXTMMAP_SMP (as for kernel-patch/run-guest.sh).
set -euo pipefail

# ---- inside the guest -------------------------------------------------------
#   pipe-regress.sh --inside KERNEL ROUND BOOT SIZE REPS PIPESIZES PERF
# Appends to $EXTMMAP_RESULTS/runs.csv; prints one progress line per run.
if [ "${1:-}" = --inside ]; then
	KERNEL=$2 ROUND=$3 BOOT=$4 SIZE=$5 REPS=$6 PSIZES=$7 PERF=$8
	X=$(cd "$(dirname "$0")" && pwd)/xbench
	OUT=${EXTMMAP_RESULTS:?not in a guest started by run-guest.sh}
	export LC_ALL=C
	say() { echo "[pipe-regress guest $(cut -d' ' -f1 /proc/uptime)s] $*"; }
	# Is this the kernel we think it is? Path b maps the read end: patched only.
	if "$X" pipe b 65536 1M >/tmp/probe.out 2>&1; then is=patched; else is=stock; fi
	if [ "$is" != "$KERNEL" ]; then
		say "ERROR: expected the $KERNEL kernel, but this one ($(uname -r)) behaves as $is:"
		cat /tmp/probe.out
		exit 1
	fi
	say "kernel $(uname -r) is the $KERNEL one (mmap probe); $(nproc) CPUs; round $ROUND boot $BOOT"
	bytes=$(numfmt --from=iec "$SIZE")
	IFS=, read -r -a PS <<<"$PSIZES"
	CSV=$OUT/runs.csv
	for rep in $(seq 0 "$REPS"); do
		n=${#PS[@]}
		for j in $(seq 0 $((n - 1))); do
			ps=${PS[$(( (j + rep) % n ))]}	# rotate: each size goes first in turn
			res=$("$X" pipe a 65536 "$bytes" -p "$ps") ||
				{ say "FAILED: xbench pipe a 65536 $bytes -p $ps"; exit 1; }
			read -r wall user sys minflt csw <<<"$res"
			mibs=$(awk -v b="$bytes" -v t="$wall" 'BEGIN { printf "%.2f", b / 1048576 / t }')
			echo "$KERNEL,$ROUND,$BOOT,$ps,$rep,$wall,$user,$sys,$mibs,$minflt,$csw" >>"$CSV"
			say "$(printf '%-7s pipe %-4s rep %d%s: %6.2f s %7s MiB/s (user %.2f sys %.2f, csw %s)' \
				"$KERNEL" "$ps" "$rep" "$([ "$rep" = 0 ] && echo ' (warm-up)')" \
				"$wall" "$mibs" "$user" "$sys" "$csw")"
		done
	done
	if [ "$PERF" = 1 ]; then
		for ps in "${PS[@]}"; do
			say "profile: perf record -e cpu-clock -a -- xbench pipe a 65536 $SIZE -p $ps"
			f=$OUT/perf-$KERNEL-$ps
			if perf record -q -e cpu-clock -a -o /tmp/perf.data -- \
				"$X" pipe a 65536 "$bytes" -p "$ps" >/tmp/perf.out 2>/tmp/perf.err; then
				perf report -i /tmp/perf.data --stdio --sort sym --percent-limit 0.5 \
					>"$f.txt" 2>/tmp/perf.err || cp /tmp/perf.err "$f.err"
			else
				say "perf record failed (see $(basename "$f").err)"
				cp /tmp/perf.err "$f.err"
			fi
			rm -f /tmp/perf.data
		done
	fi
	exit 0
fi

# ---- on the host --------------------------------------------------------------
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
ROUNDS=8 REPS=3 SIZE=512M PSIZES=64K,1M PERF=0 BUILDK=1 COPY=1
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { print }' "$0"; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
	--reps) REPS=${2:?--reps needs a value}; shift 2 ;;
	--size) SIZE=${2:?--size needs a value}; shift 2 ;;
	--pipe-sizes) PSIZES=${2:?--pipe-sizes needs a value}; shift 2 ;;
	--perf) PERF=1; shift ;;
	--no-build) BUILDK=0; shift ;;
	--no-copy) COPY=0; shift ;;
	-h|--help) usage 0 ;;
	*) echo "bench/pipe-regress.sh: unknown argument '$1'" >&2; usage 2 ;;
	esac
done
say() { echo "[pipe-regress $(date +%H:%M:%S)] $*"; }
die() { echo "[pipe-regress] ERROR: $*" >&2; exit 1; }

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive number"
bytes=$(numfmt --from=iec "$SIZE" 2>/dev/null) || die "--size '$SIZE' is not a size (e.g. 256M, 512M, 1G)"
[ $((bytes % 65536)) = 0 ] && [ "$bytes" -gt 0 ] || die "--size must be a positive multiple of 64K"
for ps in ${PSIZES//,/ }; do
	p=$(numfmt --from=iec "$ps" 2>/dev/null) || die "--pipe-sizes: '$ps' is not a size"
	[ "$p" -ge 4096 ] && [ "$p" -le 1048576 ] || die "--pipe-sizes: $ps is outside 4K..1M (pipe-max-size)"
done
[ -n "${PSIZES//,/}" ] || die "--pipe-sizes is empty"
command -v python3 >/dev/null || die "python3 is missing (it computes the summary)"

say "building bench/xbench"
make -s -C "$HERE" xbench || die "make -C bench failed"
for v in patched stock; do
	flags=(--bench); [ $v = stock ] && flags+=(--stock)
	if [ $BUILDK = 1 ]; then
		say "kernel-patch/build.sh ${flags[*]} (incremental; ~12 min from scratch; waits for other builds)"
		"$ROOT/kernel-patch/build.sh" "${flags[@]}" >"$BUILD/pipe-regress-build-$v.log" 2>&1 ||
			{ tail -20 "$BUILD/pipe-regress-build-$v.log" >&2;
			  die "kernel-patch/build.sh ${flags[*]} failed (log $BUILD/pipe-regress-build-$v.log)"; }
		tail -1 "$BUILD/pipe-regress-build-$v.log"
	fi
	[ -e "$BUILD/bzImage-$v-bench" ] ||
		die "no $BUILD/bzImage-$v-bench: run kernel-patch/build.sh ${flags[*]} (or drop --no-build)"
done

STAMP=$(date +%Y%m%d-%H%M%S)
R=$BUILD/pipe-regress/$STAMP
# What the guest runs, copied out of the checkout (fixed while others rebuild;
# the guest sees the host root read-only, but /tmp there is its own tmpfs).
SNAP=$R/snap
mkdir -p "$SNAP"
cp "$HERE/xbench" "$HERE/pipe-regress.sh" "$SNAP/"
SELF=$SNAP/pipe-regress.sh
echo "kernel,round,boot,pipe,rep,wall_s,user_s,sys_s,mib_s,minflt,csw" >"$R/runs.csv"
echo "boot,round,kernel,guest_s,load_before,load_after" >"$R/boots.csv"
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "command: bench/pipe-regress.sh --rounds $ROUNDS --reps $REPS --size $SIZE --pipe-sizes $PSIZES$([ $PERF = 1 ] && echo ' --perf')"
	echo "measurement: xbench pipe a 65536 $bytes -p PIPESIZE (write() -> read(), 64 KiB chunks, every byte checked)"
	echo "repo commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- bench kernel-patch 2>/dev/null || echo ' (+ uncommitted changes in bench/ or kernel-patch/)')"
	for v in stock patched; do
		img=$(readlink -f "$BUILD/bzImage-$v-bench")
		echo "kernel $v: $img ($(stat -c '%s bytes, built %y' "$img" | cut -d. -f1))"
	done
	echo "config: build.sh --bench (extmmap.config + bench.config) for both; the stock tree is extmmap-pristine"
	echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -r)"
	echo "guest: QEMU $(qemu-system-x86_64 --version | head -1 | awk '{print $4}') TCG (no KVM), -smp ${EXTMMAP_SMP:-2} -m ${EXTMMAP_MEM:-2G}"
} >"$R/meta.txt"
cat "$R/meta.txt"
say "results: $R"

nboots=$((2 * ROUNDS))
boot=0
t_start=$(date +%s)
guest_total=0
cd /
for round in $(seq 1 "$ROUNDS"); do
	if [ $((round % 2)) = 1 ]; then order=(stock patched); else order=(patched stock); fi
	for k in "${order[@]}"; do
		boot=$((boot + 1))
		b=$(printf '%02d' "$boot")
		args=(--bench); [ "$k" = stock ] && args+=(--stock)
		perf=0; [ $PERF = 1 ] && [ "$round" = 1 ] && perf=1
		GR=$R/guest-$b-$k
		mkdir -p "$GR"
		load0=$(cut -d' ' -f1 /proc/loadavg)
		say "boot $boot/$nboots: round $round, $k kernel (host load $load0)"
		set +e
		EXTMMAP_RESULTS_DIR=$GR EXTMMAP_LOG=$R/console-$b-$k.log EXTMMAP_TIMEOUT=${EXTMMAP_TIMEOUT:-900} \
			"$ROOT/kernel-patch/run-guest.sh" "${args[@]}" "$SELF" --inside "$k" "$round" "$boot" \
			"$SIZE" "$REPS" "$PSIZES" "$perf" >"$R/boot-$b-$k.log" 2>&1 &
		gpid=$!
		# progress: the guest's lines and run-guest.sh's, from the log as it grows
		tail -n +1 -f --pid=$gpid "$R/boot-$b-$k.log" 2>/dev/null |
			grep --line-buffered -aE '^\[pipe-regress guest|^run-guest.sh:' | sed -u 's/\r$//' || true
		wait $gpid
		rc=$?
		set -e
		load1=$(cut -d' ' -f1 /proc/loadavg)
		[ $rc = 0 ] || die "boot $boot ($k) failed: run-guest.sh exit $rc (log $R/boot-$b-$k.log, console $R/console-$b-$k.log)"
		[ -s "$GR/runs.csv" ] || die "boot $boot ($k) wrote no runs.csv ($GR)"
		cat "$GR/runs.csv" >>"$R/runs.csv"
		cp "$GR"/perf-* "$R/" 2>/dev/null || true
		gs=$(sed -n 's/.*guest ran \([0-9.]*\)s.*/\1/p' "$R/boot-$b-$k.log" | tail -1)
		[ -n "$gs" ] && gs=$(printf '%.1f' "$gs")
		echo "$boot,$round,$k,${gs:-},$load0,$load1" >>"$R/boots.csv"
		guest_total=$(echo "$guest_total + ${gs:-0}" | bc)
		el=$(( $(date +%s) - t_start ))
		left=$(echo "$guest_total * ($nboots - $boot) / $boot" | bc)
		say "boot $boot/$nboots done: guest ${gs:-?} s; elapsed ${el} s, guest total ${guest_total} s; ~${left} s of guest time left (plus any wait for the guest lock)"
	done
done

set +e
python3 "$HERE/pipe-regress.py" "$R" | tee "$R/summary.txt"
vrc=${PIPESTATUS[0]}
set -e
[ "$vrc" = 0 ] || [ "$vrc" = 3 ] || [ "$vrc" = 4 ] || die "pipe-regress.py failed (exit $vrc)"
if [ $COPY = 1 ]; then
	C=$HERE/results/$STAMP-pipe-regress
	mkdir -p "$C"
	cp "$R"/{meta.txt,runs.csv,boots.csv,summary.txt} "$C/"
	cp "$R"/perf-*.txt "$C/" 2>/dev/null || true
	say "small files copied to $C"
fi
say "done in $(( $(date +%s) - t_start )) s; full results in $R"
exit "$vrc"
