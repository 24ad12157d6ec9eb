#!/bin/bash
# Run scripts/checkpatch.pl --strict on every patch of the series.
# Exit 0 only if every patch has 0 errors, 0 warnings and 0 checks.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=${EXTMMAP_BUILD_DIR:-/work/build}/linux-6.12
[ -x "$SRC/scripts/checkpatch.pl" ] || { echo "checkpatch.sh: run build.sh first" >&2; exit 1; }
# checkpatch's SPDX check needs ply and git for the system python3.
if ! /usr/bin/python3 -c 'import ply, git' 2>/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-ply python3-git >/dev/null ||
		{ echo "checkpatch.sh: cannot install python3-ply python3-git" >&2; exit 1; }
fi
rc=0
for p in "$HERE"/patches/*.patch; do
	# The cover letter (git format-patch --cover-letter) is the series'
	# mail, not a patch: it holds no diff, so checkpatch.pl has nothing
	# to check in it ("0 lines checked").
	[ "${p##*/}" = 0000-cover-letter.patch ] && continue
	out=$(cd "$SRC" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict "$p" 2>&1)
	total=$(grep '^total:' <<<"$out")
	echo "$(basename "$p"): $total"
	grep -q '^total: 0 errors, 0 warnings, 0 checks' <<<"$out" || { echo "$out"; rc=1; }
done
exit $rc
