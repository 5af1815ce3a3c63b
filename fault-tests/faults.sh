#!/usr/bin/env bash
# Fault scenarios with real processes in network namespaces (as root):
#   fault-tests/faults.sh [--members N] [--runs R] [--seed S] SCENARIO...|ALL
# Prints one Markdown row per run (the table of RELIABILITY.md) and exits 1 if a run lost a write, showed an anomaly
# or did not converge; the members' logs of a failed run go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v iptables >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables iproute2 >/dev/null
fi
mvn -B -q -o install -DskipTests -pl fault-tests -am 2>/dev/null || mvn -B -q install -DskipTests -pl fault-tests -am
classpath_file="$PWD/fault-tests/target/classpath.txt"
mvn -B -q -o dependency:build-classpath -pl fault-tests -Dmdep.outputFile="$classpath_file" >/dev/null
exec java -cp "fault-tests/target/classes:$(cat "$classpath_file")" io.meridian.faults.FaultsMain "$@"
