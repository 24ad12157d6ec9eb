#!/usr/bin/env bash
# The main job: model-check the semantics with TLC and print the verdict of
# every configuration (spec/tlc.sh does the work; see spec/README.md).
set -euo pipefail
cd "$(dirname "$0")"
exec spec/tlc.sh "$@"
