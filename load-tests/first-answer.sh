#!/usr/bin/env bash
# How long the first DNS answers take after a start:
#   load-tests/first-answer.sh [RUNS]
# RUNS times (3): starts ./meridian dev (three members in one JVM, a data directory of its own), registers one
# instance of "web" as soon as writes are open, waits 8 s, then asks dig for web.service.consul SRV and then A, each
# the first query of its kind the member has seen; prints both query times and stops the cluster. Needs dig (dnsutils).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/load-tests/dev-cluster.sh"
runs=${1:-3}
query_ms() { dig @127.0.0.1 -p 8600 web.service.consul "$1" +tries=1 +time=3 | awk '/Query time/ { print $4 }'; }
for run in $(seq "$runs"); do
  start_dev first-answer
  curl -sf -XPUT -d '{"ID":"web-1","Name":"web","Address":"10.0.0.1","Port":80}' \
    127.0.0.1:8500/v1/agent/service/register >/dev/null
  sleep 8
  echo "run $run: first SRV answer $(query_ms SRV) ms, first A answer $(query_ms A) ms"
  stop_dev
done
