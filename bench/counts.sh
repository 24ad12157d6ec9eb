#!/bin/bash
# The guest half of the cost model (issue 14): how many of each event the
# kernel performs per MiB moved, per transfer path and chunk size. Runs
# INSIDE the bench guest:
#
#   kernel-patch/run-guest.sh --bench bench/counts.sh [SIZE] [CHUNKS] [PATHS]
#
# SIZE (default 64M), CHUNKS (default "4K 64K 1M"), PATHS (default "a b c d e f").
# For each run of `xbench pipe PATH CHUNK SIZE` it takes /proc/vmstat before
# and after (the guest runs nothing else) and writes, per MiB moved: page
# faults, pages allocated and freed, TLB flushes (local and remote; the bench
# config sets VM_EVENT_COUNTERS and DEBUG_TLBFLUSH for this), and from
# xbench's wait4 rusage the minor faults and context switches of the two
# processes. Copies, zeroed pages and system calls per MiB are not kernel
# counters: they follow from the path and the chunk (bench/README.md).
# Output: $EXTMMAP_RESULTS/counts.csv and a table on stdout.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
X=$HERE/xbench
SIZE=${1:-64M} CHUNKS=${2:-4K 64K 1M} PATHS=${3:-a b c d e f}
OUT=${EXTMMAP_RESULTS:?not in a guest started by run-guest.sh}
KEYS="pgfault pgalloc_normal pgalloc_dma32 pgfree nr_tlb_local_flush_one nr_tlb_local_flush_all nr_tlb_remote_flush nr_tlb_remote_flush_received"
[ -r /proc/vmstat ] && grep -q '^pgfault ' /proc/vmstat || {
	echo "counts.sh: /proc/vmstat has no event counters: build the bench kernel with CONFIG_VM_EVENT_COUNTERS (kernel-patch/config/bench.config)" >&2
	exit 2
}
mib=$(( $(numfmt --from=iec "$SIZE") / 1048576 ))
snap() { awk -v keys="$KEYS" 'BEGIN { n = split(keys, k, " "); for (i = 1; i <= n; i++) want[k[i]] = 1 }
	want[$1] { v[$1] = $2 } END { for (i = 1; i <= n; i++) printf "%s ", (k[i] in v ? v[k[i]] : "NA") }' /proc/vmstat; }
echo "path,chunk,size,wall_s,$(echo $KEYS | tr ' ' ','),minflt,csw (all but path..wall_s per MiB)" >"$OUT/counts.csv"
for p in $PATHS; do
	for c in $CHUNKS; do
		echo "[counts] path $p chunk $c size $SIZE"
		before=$(snap)
		"$X" pipe "$p" "$c" "$SIZE" >/tmp/counts.run	# (no /dev/fd in the guest: no <(...))
		read -r wall user sys minflt csw </tmp/counts.run
		after=$(snap)
		row=$(awk -v b="$before" -v a="$after" -v m="$mib" 'BEGIN { n = split(b, x, " "); split(a, y, " ");
			for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? "," : ""), (x[i] == "NA" ? "NA" : sprintf("%.2f", (y[i] - x[i]) / m)) }')
		echo "$p,$c,$SIZE,$wall,$row,$(awk -v f="$minflt" -v m="$mib" 'BEGIN { printf "%.2f", f / m }'),$(awk -v s="$csw" -v m="$mib" 'BEGIN { printf "%.2f", s / m }')" >>"$OUT/counts.csv"
	done
done
column -s, -t <"$OUT/counts.csv" 2>/dev/null || cat "$OUT/counts.csv"
