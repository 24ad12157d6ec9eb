#!/bin/bash
# Build the extmmap kernel (patched, default) or the unpatched one (--stock).
#
#   kernel-patch/build.sh [--stock] [--bench|--debug] [--config-only] [--no-install]
#
# Config variants (tinyconfig + fragments from config/, merged in this order):
#   default   extmmap.config + checks.config (lockdep, DEBUG_VM, ...): CI,
#             conformance, selftests          -> out-patched, out-stock
#   --bench   extmmap.config + bench.config (no debugging checks, perf
#             events for profiling): benchmarks
#                                             -> out-patched-bench, out-stock-bench
#   --debug   extmmap.config + checks.config + debug.config (KASAN,
#             DEBUG_PAGEALLOC, SLUB_DEBUG, KFENCE, debug objects): slow,
#             memory-safety runs          -> out-patched-debug, out-stock-debug
#   (room for more: a variant is a name suffix plus a list of overlays)
#
# Environment:
#   EXTMMAP_BUILD_DIR  build root outside git (default /work/build)
#   EXTMMAP_JOBS       make -j (default: nproc)
#
# Layout under $EXTMMAP_BUILD_DIR:
#   linux-6.12/        git repo of the Debian linux-source-6.12 tree; tag
#                      extmmap-pristine is the tree as unpacked; the working
#                      tree is pristine + patches/*.patch (git am)
#   linux-6.12-stock/  git worktree at extmmap-pristine (for --stock)
#   out-patched/ out-stock/   O= build directories (bzImage, .config);
#                      out-*-bench/ for --bench, out-*-debug/ for --debug
#   bzImage-patched bzImage-stock  symlinks to the results (-bench suffix
#                      for --bench, -debug for --debug: bzImage-patched-debug ...)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${EXTMMAP_BUILD_DIR:-/work/build}
JOBS=${EXTMMAP_JOBS:-$(nproc)}
CONFDIR=$HERE/config
PATCHDIR=$HERE/patches
BASEFILE=$PATCHDIR/BASE
SRC=$BUILD/linux-6.12
TARBALL=/usr/src/linux-source-6.12.tar.xz
GIT=(git -c user.name=extmmap-build -c user.email=extmmap@localhost -c gc.auto=0
     -c advice.detachedHead=false)

say() { echo "[build.sh $(date +%H:%M:%S)] $*"; }
die() { echo "[build.sh] ERROR: $*" >&2; exit 1; }

VARIANT=patched
FLAVOR=
CONFIG_ONLY=0
INSTALL=1
for a in "$@"; do
	case $a in
	--stock) VARIANT=stock ;;
	--bench) [ -z "$FLAVOR" ] || die "--bench and --debug exclude each other"; FLAVOR=-bench ;;
	--debug) [ -z "$FLAVOR" ] || die "--bench and --debug exclude each other"; FLAVOR=-debug ;;
	--config-only) CONFIG_ONLY=1 ;;
	--no-install) INSTALL=0 ;;
	-h|--help) sed -n '2,29p' "$0"; exit 0 ;;
	*) echo "build.sh: unknown argument '$a'" >&2; exit 2 ;;
	esac
done

# The config fragments of the variant, base first. The default variant's
# list must stay extmmap.config + checks.config: CI and the conformance runs
# use out-patched/ and must not be rebuilt by a change of this script.
case $FLAVOR in
'')     FRAGS=("$CONFDIR/extmmap.config" "$CONFDIR/checks.config") ;;
-bench) FRAGS=("$CONFDIR/extmmap.config" "$CONFDIR/bench.config") ;;
-debug) FRAGS=("$CONFDIR/extmmap.config" "$CONFDIR/checks.config" "$CONFDIR/debug.config") ;;
*)      die "unknown variant '$FLAVOR'" ;;
esac
for f in "${FRAGS[@]}"; do
	[ -f "$f" ] || die "config fragment $f is missing (git checkout kernel-patch/config)"
done

# --- 1. packages -----------------------------------------------------------
PKGS=(linux-source-6.12 flex bison bc libelf-dev libssl-dev qemu-system-x86
      busybox-static gcc make git xz-utils perl python3)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$INSTALL" = 1 ] || die "missing Debian packages: ${missing[*]}"
	say "installing missing packages: ${missing[*]}"
	if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq "${missing[@]}"; } >"$BUILD.apt.log" 2>&1; then
		tail -20 "$BUILD.apt.log" >&2
		die "apt-get install failed for: ${missing[*]} (log: $BUILD.apt.log)"
	fi
fi
[ -f "$TARBALL" ] || die "$TARBALL not found (package linux-source-6.12)"
mkdir -p "$BUILD"

# The series is made against one Debian upload (patches/BASE); Debian's security
# updates replace linux-source-6.12 under the same name, so install exactly that
# upload when another one is there, and fail with the way out when it is no longer served.
want_deb=$(sed -n 's/^debian: *linux-source-6.12 *//p' "$BASEFILE")
[ -n "$want_deb" ] || die "$BASEFILE has no 'debian: linux-source-6.12 VERSION' line"
have_deb=$(dpkg-query -W -f='${Version}' linux-source-6.12)
if [ "$have_deb" != "$want_deb" ]; then
	[ "$INSTALL" = 1 ] || die "linux-source-6.12 is $have_deb, the series needs $want_deb ($BASEFILE)"
	say "linux-source-6.12 is $have_deb; the series is made against $want_deb: installing that"
	if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--allow-downgrades "linux-source-6.12=$want_deb"; } >"$BUILD.apt.log" 2>&1; then
		tail -5 "$BUILD.apt.log" >&2
		die "linux-source-6.12=$want_deb cannot be installed (no longer served?).
  Rebase the series onto the served version ($have_deb): apply patches/*.patch to its
  tree, regenerate them, and update $BASEFILE."
	fi
fi

# One build.sh at a time on this machine, from here on: the series is
# applied to the source tree that every patched variant builds from, so a
# second build.sh must not reset it (or compile) while another one compiles.
exec 9>"$BUILD/build.lock"
if ! flock -n 9; then
	say "another kernel build is running; waiting for it (lock $BUILD/build.lock)"
	flock 9
fi

# --- 2. pristine tree (unpacked once) ---------------------------------------
tree_ver() {
	[ -d "$SRC/.git" ] || return 0	# nothing unpacked yet (a fresh machine)
	(cd "$SRC" && "${GIT[@]}" show extmmap-pristine:Makefile 2>/dev/null) |
	awk '/^VERSION =/{v=$3}/^PATCHLEVEL =/{p=$3}/^SUBLEVEL =/{s=$3}END{if (v != "") print v"."p"."s}'
}
want=$(sed -n 's/^upstream: *//p' "$BASEFILE")
[ -n "$want" ] || die "$BASEFILE has no 'upstream:' line"
tv=$(tree_ver)
if [ -d "$SRC/.git" ] && [ "$tv" != "$want" ]; then
	say "$SRC holds ${tv:+Linux $tv}${tv:-no tag extmmap-pristine}, the series needs $want: unpacking the tarball again"
	[ ! -d "$BUILD/linux-6.12-stock" ] || (cd "$SRC" && "${GIT[@]}" worktree remove --force "$BUILD/linux-6.12-stock")
	rm -rf "$SRC"
fi
if [ ! -d "$SRC/.git" ]; then
	say "unpacking $TARBALL into $SRC (once)"
	rm -rf "$SRC" "$BUILD/linux-source-6.12"
	tar -C "$BUILD" -xJf "$TARBALL"
	mv "$BUILD/linux-source-6.12" "$SRC"
	say "recording the pristine tree in git (tag extmmap-pristine)"
	(cd "$SRC" && "${GIT[@]}" init -q && "${GIT[@]}" add -A -f . >/dev/null &&
	 "${GIT[@]}" commit -q -m "pristine linux-source-6.12" &&
	 "${GIT[@]}" tag extmmap-pristine)
fi

kver() {
	make -s -C "$1" kernelversion 2>/dev/null ||
	awk '/^VERSION/{v=$3}/^PATCHLEVEL/{p=$3}/^SUBLEVEL/{s=$3}END{print v"."p"."s}' "$1/Makefile"
}
have=$(tree_ver)
if [ "$have" != "$want" ]; then
	die "the tree is Linux $have, the series was made against $want ($BASEFILE).
  Install the matching linux-source-6.12, or rebase the series and update $BASEFILE."
fi
say "tree: Linux $have (series made against $want) — OK"

# --- 3. source tree for the variant -----------------------------------------
if [ "$VARIANT" = stock ]; then
	TREE=$BUILD/linux-6.12-stock
	if [ ! -d "$TREE" ]; then
		say "creating stock worktree $TREE"
		(cd "$SRC" && "${GIT[@]}" worktree add -q --detach "$TREE" extmmap-pristine)
	fi
	(cd "$TREE" && "${GIT[@]}" diff --quiet extmmap-pristine) ||
		die "$TREE differs from extmmap-pristine; run: git -C $TREE reset --hard extmmap-pristine"
else
	TREE=$SRC
	# The series: every patches/*.patch but 0000-cover-letter.patch, the
	# mail cover of git format-patch --cover-letter.  It changes no file
	# (git am would stop at it: "Patch is empty"), so it is neither applied
	# nor part of the sum below: editing it does not re-apply the series.
	series=()
	shopt -s nullglob
	for p in "$PATCHDIR"/*.patch; do
		[ "${p##*/}" = 0000-cover-letter.patch ] || series+=("$p")
	done
	shopt -u nullglob
	sum=$(cat "$BASEFILE" "${series[@]}" | sha256sum | cut -d' ' -f1)
	stamp=$SRC/.git/extmmap-series.sha256
	head_ok=0
	if [ -f "$stamp" ] &&
	   [ "$(cat "$stamp")" = "$sum $(cd "$SRC" && "${GIT[@]}" rev-parse HEAD)" ] &&
	   (cd "$SRC" && "${GIT[@]}" diff --quiet HEAD); then
		head_ok=1
	fi
	if [ $head_ok = 1 ]; then
		say "series unchanged (${#series[@]} patches): incremental build"
	else
		say "applying the series (${#series[@]} patches) onto extmmap-pristine"
		rm -f "$stamp"
		(cd "$SRC" && { "${GIT[@]}" am --abort >/dev/null 2>&1 || true; } &&
		 "${GIT[@]}" checkout -q -B extmmap extmmap-pristine &&
		 "${GIT[@]}" reset -q --hard extmmap-pristine)
		for p in "${series[@]}"; do
			if ! (cd "$SRC" && "${GIT[@]}" am -q --3way "$p") >"$BUILD/am.log" 2>&1; then
				cat "$BUILD/am.log" >&2
				(cd "$SRC" && "${GIT[@]}" am --abort >/dev/null 2>&1 || true)
				die "patch does not apply: $(basename "$p")"
			fi
			say "  applied $(basename "$p")"
		done
		echo "$sum $(cd "$SRC" && "${GIT[@]}" rev-parse HEAD)" >"$stamp"
	fi
fi
OUT=$BUILD/out-$VARIANT$FLAVOR
mkdir -p "$OUT"

# --- 4. config: tinyconfig + fragments ---------------------------------------
cfgsum=$( (cat "${FRAGS[@]}"; kver "$TREE") | sha256sum | cut -d' ' -f1)
if [ ! -f "$OUT/.config" ] || [ "$(cat "$OUT/.extmmap-config.sha256" 2>/dev/null)" != "$cfgsum" ]; then
	say "generating .config: tinyconfig + $(cd "$CONFDIR" && echo "${FRAGS[@]##*/}")"
	make -s -C "$TREE" O="$OUT" tinyconfig >"$OUT/config.log" 2>&1 ||
		{ cat "$OUT/config.log" >&2; die "make tinyconfig failed"; }
	(cd "$TREE" && scripts/kconfig/merge_config.sh -m -O "$OUT" "$OUT/.config" "${FRAGS[@]}") \
		>>"$OUT/config.log" 2>&1 || { tail -20 "$OUT/config.log" >&2; die "merge_config.sh failed"; }
	make -s -C "$TREE" O="$OUT" olddefconfig >>"$OUT/config.log" 2>&1 ||
		{ tail -20 "$OUT/config.log" >&2; die "make olddefconfig failed"; }
	bad=0
	while IFS= read -r line; do
		case $line in CONFIG_*=*) ;; *) continue ;; esac
		if ! grep -qx -- "$line" "$OUT/.config"; then
			echo "[build.sh] WARNING: option did not stick: $line" >&2
			bad=1
		fi
	done < <(cat "${FRAGS[@]}")
	[ $bad = 0 ] || say "(see $OUT/config.log; unmet dependencies?)"
	echo "$cfgsum" >"$OUT/.extmmap-config.sha256"
fi
[ "$CONFIG_ONLY" = 1 ] && { say "config in $OUT/.config"; exit 0; }

# --- 5. build ----------------------------------------------------------------
LOG=$OUT/build.log
say "building bzImage ($VARIANT$FLAVOR) with -j$JOBS; log: $LOG"
t0=$(date +%s)
set +e
make -C "$TREE" O="$OUT" -j"$JOBS" bzImage 2>&1 | tee "$LOG" |
	grep --line-buffered -E '^ +(CC|LD|AR|AS|BZIMAGE|Kernel:)|error|Error' |
	awk -v start="$t0" '{ n++; if (/error|Error|Kernel:/ || n % 100 == 0) { printf "[%4ds] %6d  %s\n", systime()-start, n, $0; fflush() } }'
rc=${PIPESTATUS[0]}
set -e
t1=$(date +%s)
if [ "$rc" != 0 ]; then
	echo "[build.sh] ERROR: kernel build failed ($VARIANT$FLAVOR). First errors:" >&2
	grep -E '(error|Error)[: ]' "$LOG" | head -20 >&2
	files=$(grep -oE '^[^ :]+\.[chS]:[0-9]+' "$LOG" | sort -u | head -10)
	[ -n "$files" ] && echo "[build.sh] files: $files" >&2
	exit 1
fi
IMG=$OUT/arch/x86/boot/bzImage
[ -f "$IMG" ] || die "no $IMG after a successful make?"
ln -sfn "$IMG" "$BUILD/bzImage-$VARIANT$FLAVOR"
say "built $BUILD/bzImage-$VARIANT$FLAVOR ($(stat -c %s "$IMG") bytes) in $((t1 - t0)) s"
