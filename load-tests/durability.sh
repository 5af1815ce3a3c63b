#!/usr/bin/env bash
# Durability's cost, in one run on this machine: registrations/s and p50/p99 at 1, 16 and 64 clients against
# `./meridian dev` with its data on disk and with `--data-dir none`, then etcd 3.4's fsynced puts at the same client
# counts (../shared/peers/etcd/bench.sh). Prints a table, then the three JSON results. About 4 minutes.
# Knobs: REGISTER_SECONDS (10 per client count). Needs ports 8500/8600 and etcd's (23791-3, 23801-3) free.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/meridian-durability.XXXXXX)
cp -r "$repo/../shared/peers" "$work/peers"
. "$work/peers/lib.sh"
seconds=${REGISTER_SECONDS:-10}
meridian_pid=
trap '[ -n "$meridian_pid" ] && kill "$meridian_pid" 2>/dev/null; rm -rf "$work"' EXIT

# measure LABEL DATA_DIR: starts a dev cluster on DATA_DIR (or none), runs the peers' registration load, stops it.
measure() {
  "$repo/meridian" dev --data-dir "$2" >"$work/meridian-$1.log" 2>&1 &
  meridian_pid=$!
  for _ in $(seq 180); do
    curl -fsS -o /dev/null -X PUT --max-time 2 -d '{"ID":"durability-probe","Name":"durability-probe"}' \
      http://127.0.0.1:8500/v1/agent/service/register 2>/dev/null && break
    sleep 1
  done
  log "meridian ($1): registering at 1, 16, 64 clients, $seconds s each"
  MERIDIAN_HTTP=127.0.0.1:8500 node "$work/peers/meridian/bench.js" register "dur-$1" "$seconds" 1 16 64
  kill "$meridian_pid"
  wait "$meridian_pid" || true
  meridian_pid=
}

on=$(measure on "$work/data")
off=$(measure off none)
log "etcd: 3 members, fsynced puts"
etcd=$(PUT_SECONDS=$seconds "$work/peers/etcd/bench.sh" | tail -1)
node -e '
const [on, off, etcd] = process.argv.slice(1).map(JSON.parse);
const row = (name, levels) => levels.map((l) =>
  `| ${name} | ${l.clients} | ${l.ops_per_s} | ${l.p50_ms.toFixed(2)} | ${l.p99_ms.toFixed(2)} |`).join("\n");
console.log("| system | clients | writes/s | p50 ms | p99 ms |\n|---|---|---|---|---|");
console.log(row("Meridian, journaled (default)", on));
console.log(row("Meridian, --data-dir none", off));
console.log(row("etcd 3.4 puts (fsync)", etcd.put));
const at64 = (levels) => levels.find((l) => l.clients === 64).ops_per_s;
console.log(`\nat 64 clients: journaled/etcd = ${(at64(on) / at64(etcd.put)).toFixed(2)}, journaled/none = ${(at64(on) / at64(off)).toFixed(2)}`);
' "$on" "$off" "$etcd"
echo "$on"
echo "$off"
echo "$etcd"
