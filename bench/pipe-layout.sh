#!/bin/bash
# Where the fields of struct pipe_inode_info lie, stock vs patched, as the
# bench kernels are built (issue 14's layout hypothesis for the plain-pipe
# shift): compiles a probe with each bench kernel's own gcc command line for
# fs/pipe.o (its .cmd file), so config, flags and headers are exactly that
# build's. Needs both bench builds (kernel-patch/build.sh --bench [--stock]).
#
#   bench/pipe-layout.sh        # prints one line per kernel: field offset ...
set -euo pipefail
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/probe.c" <<'C'
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/pipe_fs_i.h>
#include <linux/stddef.h>
#define OFF(f) asm volatile("\n.ascii \"->" #f " %0\"" : : "i" (offsetof(struct pipe_inode_info, f)))
void probe(void);
void probe(void)
{
	OFF(mutex); OFF(rd_wait); OFF(wr_wait); OFF(head); OFF(tail); OFF(max_usage);
	OFF(ring_size); OFF(readers); OFF(writers); OFF(poll_usage); OFF(tmp_page);
	OFF(fasync_readers); OFF(fasync_writers); OFF(bufs); OFF(user);
	asm volatile("\n.ascii \"->sizeof %0\"" : : "i" (sizeof(struct pipe_inode_info)));
}
C
for v in stock patched; do
	out=$BUILD/out-$v-bench
	[ -f "$out/fs/.pipe.o.cmd" ] || { echo "pipe-layout.sh: no $out/fs/.pipe.o.cmd (run: kernel-patch/build.sh --bench${v/patched/}${v/stock/ --stock})" >&2; exit 2; }
	cmd=$(sed -n 's/^savedcmd_fs\/pipe.o := //p' "$out/fs/.pipe.o.cmd")
	src=$(sed -n 's/^source_fs\/pipe.o := //p' "$out/fs/.pipe.o.cmd")
	cmd=${cmd/-Wp,-MMD,fs\/.pipe.o.d/}
	cmd=${cmd/ -c -o fs\/pipe.o / -S -o $tmp/$v.s }
	cmd=${cmd/$src/$tmp/probe.c}
	(cd "$out" && eval "$cmd")
	printf '%-8s' "$v"
	grep -o -- '->[a-z_]* \$*[0-9]*' "$tmp/$v.s" | sed 's/->//; s/\$//' | tr '\n' ' '
	echo
done
