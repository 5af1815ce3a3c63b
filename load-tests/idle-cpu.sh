#!/usr/bin/env bash
# What ./meridian dev costs at rest while it holds a registry:
#   load-tests/idle-cpu.sh [INSTANCES] [RUNS] [NAME=VALUE ...]
# RUNS times (1): starts ./meridian dev (three members in one JVM, a data directory of its own) with the given
# environment (MERIDIAN_ANTI_ENTROPY_INTERVAL=1s, say), registers INSTANCES (10,000) instances over 500 services, each
# with 200 bytes of meta and a passing TTL check of one hour, from 16 concurrent clients; waits 40 s for the writes'
# aftermath to settle, then prints the JVM's CPU over the next 60 s (user and system, from /proc) and stops the cluster.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/load-tests/dev-cluster.sh"
instances=${1:-10000}
runs=${2:-1}
shift $(( $# < 2 ? $# : 2 ))
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for run in $(seq "$runs"); do
  start_dev idle-cpu "$@"
  python3 - "$instances" <<'PY'
import concurrent.futures, json, sys, urllib.request
def register(i):
    body = json.dumps({"ID": f"idle-{i}", "Name": f"idle-svc-{i % 500}", "Port": 8000 + i % 1000,
                       "Meta": {"k": "v" * 200},
                       "Check": {"CheckID": f"idle-ttl-{i}", "TTL": "1h", "Status": "passing"}}).encode()
    request = urllib.request.Request("http://127.0.0.1:8500/v1/agent/service/register", data=body, method="PUT")
    urllib.request.urlopen(request).read()
with concurrent.futures.ThreadPoolExecutor(16) as clients:
    list(clients.map(register, range(int(sys.argv[1]))))
PY
  sleep 40
  before=$(cpu_ticks "$dev"); sleep 60; after=$(cpu_ticks "$dev")
  echo "run $run: $instances instances at rest (${*:-default settings}): $(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.3f", t / hz / 60 }') cores"
  stop_dev
done
