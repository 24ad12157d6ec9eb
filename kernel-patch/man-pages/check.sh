#!/bin/bash
# Apply the man-pages patches of this directory to a copy of the installed
# man-pages sources (Debian manpages, manpages-dev) and check that they add
# no warning: mandoc -Tlint and groff -ww, unpatched against patched, with
# line numbers left out of the comparison.  Exit 0 only if nothing is new.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WANT=6.03-2
PAGES=(man2/mmap.2 man2/msync.2 man7/pipe.7)
for pkg in manpages manpages-dev; do
	have=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
	[ "$have" = "$WANT" ] || echo "check.sh: $pkg is '${have:-not installed}', the patches are made against $WANT" >&2
done
for tool in mandoc groff; do
	command -v "$tool" >/dev/null || { echo "check.sh: apt-get install mandoc groff" >&2; exit 1; }
done
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/a/man2" "$W/a/man7"
for p in "${PAGES[@]}"; do
	zcat "/usr/share/man/$p.gz" >"$W/a/$p"
done
cp -r "$W/a" "$W/b"
for patch in "$HERE"/0*.patch; do
	(cd "$W/b" && git apply --check -p1 "$patch" && git apply -p1 "$patch") ||
		{ echo "check.sh: does not apply: ${patch##*/}" >&2; exit 1; }
	echo "applied ${patch##*/}"
done
# One message a line, the file name and line number replaced by the page's name.
lint() { (cd "$W/$1" && mandoc -Tlint "$2" 2>&1 || true) | sed -E "s|$2:[0-9]+:[0-9]+:|$2:|"; }
warn() { (cd "$W/$1" && groff -t -man -ww -z "$2" 2>&1 || true) | sed -E "s|$2:[0-9]+:|$2:|"; }
rc=0
for p in "${PAGES[@]}"; do
	for check in lint warn; do
		"$check" a "$p" | sort >"$W/old"
		"$check" b "$p" | sort >"$W/new"
		added=$(comm -13 "$W/old" "$W/new")
		printf '%-13s %-5s unpatched %d, patched %d, new %d\n' "$p" "$check" \
			"$(wc -l <"$W/old")" "$(wc -l <"$W/new")" "$(grep -c . <<<"$added" || true)"
		[ -z "$added" ] || { echo "$added"; rc=1; }
	done
done
[ $rc = 0 ] && echo "OK: no new mandoc or groff warning" || echo "FAIL: new warnings above"
exit $rc
