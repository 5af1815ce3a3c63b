#!/usr/bin/env bash
# How long the first DNS answers take after a start:
#   load-tests/first-answer.sh [RUNS]
# RUNS times (3): starts ./meridian dev (three members in one JVM, a data directory of its own), registers one
# instance of "web" as soon as writes are open, waits 8 s, then asks dig for web.service.consul SRV and then A, each
# the first query of its kind the member has seen; prints both query times and stops the cluster. Needs dig (dnsutils).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs=${1:-3}
query_ms() { dig @127.0.0.1 -p 8600 web.service.consul "$1" +tries=1 +time=3 | awk '/Query time/ { print $4 }'; }
for run in $(seq "$runs"); do
  data=$(mktemp -d /tmp/meridian-first-answer.XXXXXX)
  (cd "$data" && exec "$here/meridian" dev > "$data/dev.log" 2>&1) &
  dev=$!
  trap 'kill -TERM $dev 2>/dev/null; wait $dev 2>/dev/null; rm -rf "$data"' EXIT
  for _ in $(seq 240); do
    curl -sf -XPUT -d '{"ID":"web-1","Name":"web","Address":"10.0.0.1","Port":80}' \
      127.0.0.1:8500/v1/agent/service/register >/dev/null 2>&1 && break
    sleep 0.5
  done
  sleep 8
  echo "run $run: first SRV answer $(query_ms SRV) ms, first A answer $(query_ms A) ms"
  kill -TERM $dev; wait $dev 2>/dev/null || true
  rm -rf "$data"
  trap - EXIT
done
