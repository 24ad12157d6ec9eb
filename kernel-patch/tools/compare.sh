#!/bin/bash
# Compare mcat, mwc, mgrep with cat, wc, grep -F on files and pipes.
# Usage: tools/compare.sh [BIN_DIR]   (exit 0 when all outputs are equal)
set -u
BIN=${1:-$(cd "$(dirname "$0")/.." && pwd)/bin}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LC_ALL=C
fail=0 n=0
seq 1 200000 >"$T/seq"
printf 'no newline at the end\nfoo bar\n\n  spaced   words\there \vv \f\r\nlast' >"$T/odd"
: >"$T/empty"
head -c 3000000 /dev/urandom >"$T/rand" 2>/dev/null || dd if=/dev/urandom of="$T/rand" bs=1M count=3 2>/dev/null
yes 'the quick brown fox jumps over the lazy dog' | head -c 5000001 >"$T/yes"
# the end query's reason to be: zero bytes are data, whether the last page ends in them or is
# all of them, at a page boundary or not, and across the claim size (--claim 64k below)
{ printf 'zeros follow\n'; head -c 10000 /dev/zero; } >"$T/zerotail"
head -c 8192 /dev/zero >"$T/zeropages"
{ head -c 70000 /dev/urandom; head -c 61072 /dev/zero; } >"$T/zeroclaim"
check() {	# name, expected command, actual command
	n=$((n + 1))
	bash -c "$2" >"$T/want" 2>/dev/null; w=$?
	bash -c "$3" >"$T/got" 2>"$T/err"; g=$?
	if cmp -s "$T/want" "$T/got" && [ $w = $g ]; then
		:
	else
		echo "FAIL: $1: '$3' differs from '$2' (status $g vs $w)"; head -c 300 "$T/err"
		fail=$((fail + 1))
	fi
}
for f in seq odd empty rand yes zerotail zeropages zeroclaim; do
	for mode in "" "--read "; do
		check "mcat file $f $mode" "cat $T/$f" "$BIN/mcat $mode$T/$f"
		check "mcat pipe $f $mode" "cat $T/$f | cat" "cat $T/$f | $BIN/mcat $mode"
		check "mwc file $f $mode" "wc $T/$f" "$BIN/mwc $mode$T/$f"
		check "mwc pipe $f $mode" "cat $T/$f | wc" "cat $T/$f | $BIN/mwc $mode"
		for p in 99 'fox' 'lazy dog' 'spaced' 'zzz-no-match' ''; do
			check "mgrep file $f '$p' $mode" "grep -aF -- '$p' $T/$f" "$BIN/mgrep $mode'$p' $T/$f"
			check "mgrep pipe $f '$p' $mode" "cat $T/$f | grep -aF -- '$p'" "cat $T/$f | $BIN/mgrep $mode'$p'"
		done
	done
done
check "mwc two files" "wc $T/seq $T/odd" "$BIN/mwc $T/seq $T/odd"
check "mcat two files" "cat $T/seq $T/odd" "$BIN/mcat $T/seq $T/odd"
check "mgrep two files" "grep -aF 12 $T/seq $T/odd" "$BIN/mgrep 12 $T/seq $T/odd"
check "seq 2000000 | mwc" "seq 1 2000000 | wc" "seq 1 2000000 | $BIN/mwc"
# many claims of one stream: a small claim size makes the stream cross claim ends
for f in rand zerotail zeroclaim; do
	check "mcat --claim 64k pipe $f" "cat $T/$f | cat" "cat $T/$f | $BIN/mcat --claim 64k"
	check "mwc --claim 4k pipe $f" "cat $T/$f | wc" "cat $T/$f | $BIN/mwc --claim 4k"
done
# slow writer: claims must follow the stream as it trickles in
check "slow writer" "for i in 1 2 3 4 5; do echo line \$i; sleep 0.1; done | wc" \
	"for i in 1 2 3 4 5; do echo line \$i; sleep 0.1; done | $BIN/mwc"
echo "compare.sh: $((n - fail))/$n equal"
[ $fail = 0 ]
