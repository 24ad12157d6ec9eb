#!/usr/bin/env bash
# The series' uapi header, include/uapi/linux/pipe_mmap.h, taken from the patch that adds it, for
# the programs built outside the kernel tree (kernel-patch/tools, stress, the conformance agent):
# the ioctl and its struct are stated once, in the series.
#
#   kernel-patch/uapi-header.sh OUTDIR     writes OUTDIR/linux/pipe_mmap.h
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: kernel-patch/uapi-header.sh OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
out=$1/linux/pipe_mmap.h
mkdir -p "$(dirname "$out")"
patch=$(grep -l '^+++ b/include/uapi/linux/pipe_mmap.h$' "$here"/patches/0*.patch | head -n 1 || true)
[ -n "$patch" ] || { echo "uapi-header.sh: no patch in $here/patches adds include/uapi/linux/pipe_mmap.h" >&2; exit 1; }
# the new file's hunk: every line after its +++ header up to the next file, without the '+'
awk '/^\+\+\+ b\/include\/uapi\/linux\/pipe_mmap.h$/ { on = 1; next }
     on && /^diff --git / { exit }
     on && /^@@/ { next }
     on && /^\+/ { print substr($0, 2) }' "$patch" >"$out.tmp"
# the kernel's uapi types come from <linux/types.h>, which the host has
grep -q PIPE_IOC_CLAIM_END "$out.tmp" || { echo "uapi-header.sh: $patch has no PIPE_IOC_CLAIM_END" >&2; exit 1; }
mv "$out.tmp" "$out"
