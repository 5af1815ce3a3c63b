#!/usr/bin/env bash
# Compares the write path of two or more builds on this machine, in the same hour:
#   load-tests/write-ab.sh [ROUNDS] JAR...
# Each round runs every JAR once, in turn, each on a fresh `java -Xmx1g -jar JAR dev` in an empty directory:
# 15 s of registrations at 64 clients to warm up, then MEASURE_SECONDS (default 20) measured (rate, p50, the member
# JVM's CPU per acknowledged write from /proc), then 10 s at one client (rate, p50, p99). A measured stretch of a few
# minutes includes the journal's compactions, which take a minute or more of writes to be needed. With
# ASYNC_PROFILER=/path/to/libasyncProfiler.so it also prints the bytes allocated per write over the measured stretch
# (the profiler's sampled total). Uses the peer harness's bench.js (../shared/peers, copied to PEERS, default
# /tmp/peers) and node.
set -euo pipefail
rounds=1
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
[[ $# -ge 1 ]] || { echo "usage: $0 [ROUNDS] JAR..." >&2; exit 2; }
peers=${PEERS:-/tmp/peers}
[[ -f $peers/meridian/bench.js ]] || cp -r "$(dirname "$0")/../../shared/peers" "$peers"
work=$(mktemp -d /tmp/write-ab.XXXXXX)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; true; }
trap cleanup EXIT

field() { sed "s/.*\"$1\":\([0-9.]*\).*/\1/" <<< "$2"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
profiler() { jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"$1\"" > /dev/null; }

run() {
  local jar=$1 tag=$2 dir=$work/$2
  mkdir -p "$dir"
  (cd "$dir" && exec java -Xmx1g -jar "$jar" dev > "$dir/dev.log" 2>&1) &
  pid=$!
  local waited=0
  until curl -s -o /dev/null -w '%{http_code}' -X PUT -d '{"Name":"warm","ID":"warm-1","Port":1}' \
      localhost:8500/v1/agent/service/register 2>/dev/null | grep -q 200; do
    (( waited++ < 120 )) || { echo "$jar: no write acknowledged in 120 s" >&2; tail -20 "$dir/dev.log" >&2; exit 1; }
    sleep 1
  done
  node "$peers/meridian/bench.js" register "${tag}w" 15 64 > "$dir/warm.log" 2>&1
  [[ -n ${ASYNC_PROFILER:-} ]] && profiler start,event=alloc
  node "$peers/meridian/bench.js" register "${tag}m" "${MEASURE_SECONDS:-20}" 64 > "$dir/measured.log" 2>&1 &
  local bench=$! before after
  before=$(cpu_ticks)
  until grep -q 'register 64 clients:' "$dir/measured.log"; do sleep 0.2; done
  after=$(cpu_ticks)
  [[ -n ${ASYNC_PROFILER:-} ]] && profiler "stop,file=$dir/alloc.collapsed,collapsed,total"
  wait "$bench"
  local line ops alloc=""
  line=$(grep 'register 64 clients:' "$dir/measured.log")
  ops=$(field ops "$line")
  if [[ -n ${ASYNC_PROFILER:-} ]]; then
    alloc=$(awk -v ops="$ops" '{s += $NF} END {printf ", %.0f KB allocated per write", s / ops / 1024}' \
      "$dir/alloc.collapsed")
  fi
  node "$peers/meridian/bench.js" register "${tag}o" 10 1 > "$dir/one.log" 2>&1
  local one
  one=$(grep 'register 1 clients:' "$dir/one.log")
  printf '%s %s: 64 clients %s/s p50 %s ms, %d us of member CPU per write%s; 1 client %s/s p50 %s ms p99 %s ms\n' \
    "$tag" "$(basename "$jar")" "$(field ops_per_s "$line")" "$(field p50_ms "$line")" \
    $(( (after - before) * 1000000 / $(getconf CLK_TCK) / ops )) "$alloc" \
    "$(field ops_per_s "$one")" "$(field p50_ms "$one")" "$(field p99_ms "$one")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

for round in $(seq "$rounds"); do
  n=0
  for jar in "$@"; do
    n=$((n + 1))
    run "$(realpath "$jar")" "r${round}j${n}"
  done
done
echo "logs in $work"
