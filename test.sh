#!/usr/bin/env bash
# The test command: everything `mvn verify` checks (TLC on the quick
# configuration, the wrong spec variants, the Java model against TLC's state
# graphs, the tooling's own tests).
set -euo pipefail
cd "$(dirname "$0")"
for tool in java mvn; do
    command -v "$tool" >/dev/null || {
        echo "test.sh: $tool not found. On Debian 12: apt-get install openjdk-17-jdk-headless maven" >&2
        exit 2
    }
done
exec mvn -B verify "$@"
