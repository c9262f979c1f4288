#!/usr/bin/env bash
# Runs a set of JMH benchmarks and prints a table.
#
#   benchmarks/run.sh [REGEX] [JMH OPTIONS...]
#   benchmarks/run.sh Xor -f 1 -wi 2 -i 3
#   GO=go-results.txt PAIRS=benchmarks/pairs.tsv benchmarks/run.sh Xor
#
# REGEX selects benchmarks (default: all). The JSON result goes to
# benchmarks/results/<time>.json. With GO set to a file holding `go test -bench`
# output (one or more, separated by spaces), the table also compares each pair
# listed in PAIRS (default benchmarks/pairs.tsv) and prints the ratio Go/Java.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "${REBUILD:-}" ]; then
  mvn -q -pl benchmarks -am package -DskipTests
fi
mkdir -p benchmarks/results
out=benchmarks/results/$(date +%Y%m%d-%H%M%S).json
regex=${1:-.}
shift || true
java -jar "$jar" "$regex" -rf json -rff "$out" "$@"
args=("$out")
for g in ${GO:-}; do args+=(--go "$g"); done
[ -n "${GO:-}" ] && args+=(--pairs "${PAIRS:-benchmarks/pairs.tsv}")
java -cp "$jar" io.promtsdb.benchmarks.Report "${args[@]}"
