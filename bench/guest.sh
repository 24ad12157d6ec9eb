#!/bin/bash
# The benchmark itself; runs INSIDE the guest (started by bench/run.sh via
# kernel-patch/run-guest.sh --bench). Every measurement in this one boot.
#
#   bench/guest.sh SIZE REPS SECTIONS PERF
#
# SIZE      bytes per file/transfer (256M); scaling uses SIZE/16, /4, x1, x4
# REPS      repetitions; each repetition runs every method once, in an order
#           rotated from one repetition to the next (drift hits all alike)
# SECTIONS  comma list of file,pipe,transfer,scaling
# PERF      1: afterwards profile paths a, b, c at 64 KiB and mwc on a pipe
#           (mapped and --read) with perf (cpu-clock)
#
# Writes $EXTMMAP_RESULTS/runs.csv (one line per run: wall, user and system
# CPU seconds, MiB/s, minor faults and context switches of both processes,
# how the output was verified), env.txt, perf-*.txt.
set -euo pipefail

SIZE=$1 REPS=$2 SECTIONS=$3 PERF=$4
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
X=$HERE/xbench
BIN=$HERE/../kernel-patch/bin
OUT=${EXTMMAP_RESULTS:?not in a guest started by run-guest.sh}
W=/tmp/bench
PAT=zebra-needle
export LC_ALL=C
mkdir -p "$W"

bytes() { numfmt --from=iec "$1"; }
SZ=$(bytes "$SIZE")
human() {	# bytes -> 4K, 64K, 1M, 256M
	local b=$1
	if [ $((b % 1073741824)) = 0 ]; then echo "$((b / 1073741824))G"
	elif [ $((b % 1048576)) = 0 ]; then echo "$((b / 1048576))M"
	elif [ $((b % 1024)) = 0 ]; then echo "$((b / 1024))K"
	else echo "$b"; fi
}
has() { case ",$SECTIONS," in *",$1,"*) return 0 ;; esac; return 1; }

{
	echo "kernel: $(uname -a)"
	echo "cpus: $(nproc); $(grep -m1 'model name' /proc/cpuinfo || true)"
	grep -E 'MemTotal' /proc/meminfo
	echo "pipe-max-size: $(cat /proc/sys/fs/pipe-max-size)"
	echo "size: $SIZE reps: $REPS sections: $SECTIONS"
	echo "GNU: $(cat --version | head -1); $(grep --version | head -1)"
} >"$OUT/env.txt"

# ---- the list of experiments: "section|method|chunk|size|kind|command" ------
# kind says how the output is verified: cat (hash = input's), wc, grep,
# pipe (xbench checks every byte itself), count (byte count only: path f).
EXPS=()
if has file || has pipe; then
	echo "[bench] generating $SIZE of text on tmpfs ($W/text)"
	"$X" gentext "$W/text" "$SIZE" "$PAT" >"$W/counts"	# (no /dev/fd here: no <(...))
	read -r LINES WORDS BYTES MATCHES <"$W/counts"
	TEXTSUM=$("$X" sum "$W/text")
	echo "[bench] text: $LINES lines, $WORDS words, $BYTES bytes, $MATCHES lines with '$PAT'"
	for sec in file pipe; do
		has $sec || continue
		if [ $sec = file ]; then arg=("$W/text"); feed=(); else arg=(); feed=(--feed "$W/text" -c 64K); fi
		for prog in cat wc grep; do
			pa=(); [ $prog = grep ] && pa=("$PAT")
			gnu=("$prog"); [ $prog = grep ] && gnu=(grep -F)
			EXPS+=("$sec|m$prog mmap|$( [ $sec = pipe ] && echo 65536 || echo 0)|$SZ|$prog|${feed[*]:-}|$BIN/m$prog ${pa[*]:-} ${arg[*]:-}")
			# before the end query: claims of what FIONREAD reports (--claim avail), in the same run
			[ $sec = pipe ] && EXPS+=("$sec|m$prog mmap-avail|65536|$SZ|$prog|${feed[*]:-}|$BIN/m$prog --claim avail ${pa[*]:-} ${arg[*]:-}")
			EXPS+=("$sec|m$prog read()|$( [ $sec = pipe ] && echo 65536 || echo 0)|$SZ|$prog|${feed[*]:-}|$BIN/m$prog --read ${pa[*]:-} ${arg[*]:-}")
			EXPS+=("$sec|GNU ${gnu[*]}|$( [ $sec = pipe ] && echo 65536 || echo 0)|$SZ|$prog|${feed[*]:-}|${gnu[*]} ${pa[*]:-} ${arg[*]:-}")
		done
	done
fi
declare -A PATHNAME=(
	[a]="a write->read" [b]="b write->mmap" [c]="c window->mmap"
	[d]="d vmsplice->read" [e]="e window->read" [f]="f write->splice /dev/null (no touch)")
if has transfer; then
	for chunk in 4096 65536 1048576; do
		for p in a b c d e f; do
			kind=pipe; [ $p = f ] && kind=count
			EXPS+=("transfer|${PATHNAME[$p]}|$chunk|$SZ|$kind||$X pipe $p $chunk $SZ")
		done
	done
fi
if has scaling; then
	for s in $((SZ / 16)) $((SZ / 4)) $SZ $((SZ * 4)); do
		for p in a c; do
			EXPS+=("scaling|${PATHNAME[$p]}|65536|$s|pipe||$X pipe $p 65536 $s")
		done
	done
fi
N=${#EXPS[@]}
TOTAL=$((N * REPS))
[ "$N" -gt 0 ] || { echo "[bench] no experiments selected (SECTIONS=$SECTIONS)" >&2; exit 2; }

CSV=$OUT/runs.csv
echo "section,method,chunk,size,rep,order,wall_s,user_s,sys_s,mib_s,minflt,csw,verified" >"$CSV"

fail() { echo "[bench] FAILED: $*" >&2; exit 1; }

verify() {	# kind -> prints how it was verified; fails loudly otherwise
	case $1 in
	cat)
		[ "$("$X" sum "$W/out")" = "$TEXTSUM" ] || fail "output differs from the input (hash)"
		echo "hash" ;;
	wc)
		read -r l w b _ <"$W/out" || true
		[ "$l $w $b" = "$LINES $WORDS $BYTES" ] ||
			fail "wc output '$l $w $b', expected '$LINES $WORDS $BYTES'"
		echo "counts" ;;
	grep)
		cmp -s "$W/out" "$W/text.grep" || fail "grep output differs from the $MATCHES expected lines"
		echo "lines" ;;
	pipe) echo "every byte" ;;
	count) echo "count only" ;;
	esac
}

t_start=$(date +%s)
done_runs=0
for rep in $(seq 1 "$REPS"); do
	for k in $(seq 0 $((N - 1))); do
		i=$(( (k + (rep - 1) * 7) % N ))	# rotate the order per repetition
		IFS='|' read -r sec method chunk size kind feed cmd <<<"${EXPS[$i]}"
		rm -f "$W/out"
		# shellcheck disable=SC2086
		if [ "$kind" = pipe ] || [ "$kind" = count ]; then
			res=$($cmd) || fail "$sec / $method / chunk $chunk / size $size: $cmd"
		else
			res=$("$X" cmd $feed -o "$W/out" -- $cmd) ||
				fail "$sec / $method: xbench cmd $feed -- $cmd"
		fi
		how=$(verify "$kind")
		read -r wall user sys minflt csw <<<"$res"
		mibs=$(awk -v b="$size" -v t="$wall" 'BEGIN { printf "%.2f", b / 1048576 / t }')
		echo "$sec,$method,$chunk,$size,$rep,$k,$wall,$user,$sys,$mibs,$minflt,$csw,$how" >>"$CSV"
		rm -f "$W/out"
		done_runs=$((done_runs + 1))
		el=$(( $(date +%s) - t_start ))
		eta=$(( el * (TOTAL - done_runs) / done_runs ))
		printf '[bench %3d/%d %4ds, ~%ds left] rep %d %-8s %-38s %7s %6s: %7.2f s %8s MiB/s (user %.2f sys %.2f) %s\n' \
			"$done_runs" "$TOTAL" "$el" "$eta" "$rep" "$sec" "$method" \
			"$( [ "$chunk" = 0 ] && echo - || human "$chunk")" "$(human "$size")" \
			"$wall" "$mibs" "$user" "$sys" "$how"
	done
done
echo "[bench] $TOTAL runs in $(( $(date +%s) - t_start )) s, all verified"

if [ "$PERF" = 1 ]; then
	PS=$(( SZ / 4 ))
	for p in a b c; do
		echo "[bench] profile: perf record -e cpu-clock -a, path $p, 64K, $(human $PS)"
		if ! perf record -q -e cpu-clock -a -o "$W/perf.data" -- "$X" pipe $p 65536 $PS \
			>"$W/perf.out" 2>"$W/perf.err"; then
			echo "[bench] perf record did not work (see perf-$p.err); no profile"
			cp "$W/perf.err" "$OUT/perf-$p.err"
			continue
		fi
		perf report -i "$W/perf.data" --stdio --sort sym --percent-limit 0.5 \
			>"$OUT/perf-$p.txt" 2>"$W/perf.err" || cp "$W/perf.err" "$OUT/perf-$p.err"
		rm -f "$W/perf.data"
	done
	# mwc on a pipe: mapped (mmap claims) and --read
	if has pipe; then
		for m in mmap read; do
			ra=(); [ $m = read ] && ra=(--read)
			echo "[bench] profile: perf record -e cpu-clock -a, mwc ($m) on a pipe, $SIZE"
			if perf record -q -e cpu-clock -a -o "$W/perf.data" -- "$X" cmd --feed "$W/text" \
				-c 64K -o "$W/out" -- "$BIN/mwc" "${ra[@]}" >"$W/perf.out" 2>"$W/perf.err"; then
				perf report -i "$W/perf.data" --stdio --sort sym --percent-limit 0.5 \
					>"$OUT/perf-mwc-pipe-$m.txt" 2>"$W/perf.err" ||
					cp "$W/perf.err" "$OUT/perf-mwc-pipe-$m.err"
			else
				cp "$W/perf.err" "$OUT/perf-mwc-pipe-$m.err"
			fi
			rm -f "$W/perf.data" "$W/out"
		done
	fi
fi
