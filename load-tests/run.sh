#!/usr/bin/env bash
# Runs one benchmark of Meridian's harness: load-tests/run.sh http|flat-cost|watchers [arg]
# Builds the project first (tests skipped), then runs io.meridian.load.Bench with the module's runtime classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
if [ "${1:-}" = checks ] && ! command -v haproxy >/dev/null; then
  # the HTTP and TCP checks' targets (CheckTargets)
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
fi
classpath=$(mvn -q -B -Dstyle.color=never -pl load-tests dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=/dev/stdout | sed "s/\x1b\[[0-9;]*m//g")
exec java ${BENCH_JAVA_OPTS:--Xmx6g} \
  --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -cp "load-tests/target/classes:$classpath" io.meridian.load.Bench "$@"
