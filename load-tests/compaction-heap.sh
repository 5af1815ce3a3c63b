#!/usr/bin/env bash
# Whether the journal's compaction of a large state fits a heap: load-tests/compaction-heap.sh [MIB] [HEAP_MIB ...]
# For each heap size (320 260 200 160 130 110 by default), a JVM of its own (serial collector) appends MIB (96)
# mebibytes of 1 KB values to a journal of 32 MiB segments and prints what the compactions left: one segment and a
# snapshot of the whole state when they fit, more segments (and an OutOfMemoryError) when one did not.
set -euo pipefail
cd "$(dirname "$0")/.."
mebibytes=${1:-96}
shift $(( $# < 1 ? $# : 1 ))
mvn -q -B -DskipTests install
classpath=$(mvn -q -B -Dstyle.color=never -pl load-tests dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=/dev/stdout | sed "s/\x1b\[[0-9;]*m//g")
heaps=("$@")
[ ${#heaps[@]} -gt 0 ] || heaps=(320 260 200 160 130 110)
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
for heap in "${heaps[@]}"; do
  left=$(java "-Xmx${heap}m" -XX:+UseSerialGC -cp "load-tests/target/classes:$classpath" \
    io.meridian.load.CompactionHeap "$mebibytes" 2>"$errors")
  grep -q OutOfMemoryError "$errors" && verdict="a compaction ran out of heap" || verdict="the compactions fit"
  echo "-Xmx${heap}m: $left; $verdict"
done
