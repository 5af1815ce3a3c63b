#!/usr/bin/env bash
# Fault scenarios with real processes in network namespaces (as root):
#   fault-tests/faults.sh [--members N] [--runs R] [--seed S] [--hold-seconds H] SCENARIO...|ALL
# Scenarios: kill-leader kill-random pause-leader partition-one partition-leader bridge flapping slow-link
# rolling-restart whole-cluster-kill. Prints one Markdown row per run (the table of RELIABILITY.md) and exits 1 if a run lost a
# write, showed an anomaly or did not converge; the members' logs of a failed run go to stderr, and each run's
# history stays in the temporary directory it names.
set -euo pipefail
cd "$(dirname "$0")/.."
# iptables for the cuts; gcc and libnetfilter-queue-dev for the slow link's packet delayer (PacketDelayer)
if ! command -v iptables >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1 \
    || [ ! -e /usr/include/libnetfilter_queue/libnetfilter_queue.h ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables gcc libnetfilter-queue-dev \
    >/dev/null
fi
# Built in this checkout and run from its target directories, so a build elsewhere cannot change a run under way.
classpath_file="$PWD/fault-tests/target/classpath.txt"
build_log=$(mktemp)
if ! mvn -B -q -o package dependency:build-classpath -DskipTests -pl fault-tests -am \
    -Dmdep.outputFile="$classpath_file" >"$build_log" 2>&1 \
  && ! mvn -B -q package dependency:build-classpath -DskipTests -pl fault-tests -am \
    -Dmdep.outputFile="$classpath_file" >"$build_log" 2>&1; then
  cat "$build_log" >&2
  exit 1
fi
rm -f "$build_log"
exec java -cp "fault-tests/target/classes:$(cat "$classpath_file")" io.meridian.faults.FaultsMain "$@"
