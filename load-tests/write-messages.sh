#!/usr/bin/env bash
# What one registration costs in TCP segments on loopback, and its latency, at one client:
#   load-tests/write-messages.sh [SECONDS]
# Starts ./meridian dev (three members in one JVM, a data directory of its own), warms it up with 20 s of
# registrations at 64 clients, counts the idle traffic for 20 s, then runs the peer harness's closed-loop
# registrations at one client for SECONDS (20); prints the rate, p50 / p99 and the TCP segments sent (OutSegs of
# /proc/net/snmp, the idle rate subtracted) per registration, its cleanup deregistration included. Needs Node 20.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/load-tests/dev-cluster.sh"
seconds=${1:-20}
bench="$here/../shared/peers/meridian/bench.js"
[ -f "$bench" ] || { echo "the peer harness is not at $bench" >&2; exit 1; }
segments() { awk '/^Tcp:/ { n++; if (n == 2) print $12 }' /proc/net/snmp; }
start_dev write-messages
node "$bench" register warm 20 64 >/dev/null 2>&1
sleep 5
idle_from=$(segments); sleep 20; idle_to=$(segments)
from=$(segments); started=$(date +%s.%N)
result=$(node "$bench" register one "$seconds" 1 2>/dev/null)
to=$(segments); ended=$(date +%s.%N)
echo "$result" | python3 -c "
import json, sys
run = json.load(sys.stdin)[0]
idle = ($idle_to - $idle_from) / 20.0
net = ($to - $from) - idle * ($ended - $started)
print(f\"one client: {run['ops_per_s']}/s, p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms; idle {idle:.0f} segments/s; \"
      f\"{net / run['ops']:.1f} TCP segments per registration and its deregistration\")"
