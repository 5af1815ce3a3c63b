# Sourced by the load-tests scripts that measure a ./meridian dev cluster (they set $here to the repository).
# start_dev NAME [NAME=VALUE ...]: starts ./meridian dev with that environment in a data directory of its own
# ($dev_data; its JVM's PID in $dev), stops it when the script exits, and returns once a registration is acknowledged.
# stop_dev: stops it and removes its directory.
start_dev() {
  local name=$1
  shift
  dev_data=$(mktemp -d "/tmp/meridian-$name.XXXXXX")
  # the launcher execs the JVM, so $dev is the JVM's process
  (cd "$dev_data" && exec env "$@" "$here/meridian" dev > "$dev_data/dev.log" 2>&1) &
  dev=$!
  trap stop_dev EXIT
  for _ in $(seq 240); do
    curl -sf -XPUT -d '{"ID":"dev-ready","Name":"dev-ready","Port":1}' \
      127.0.0.1:8500/v1/agent/service/register >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "./meridian dev took no write in 2 minutes; its log: $dev_data/dev.log" >&2
  return 1
}

stop_dev() {
  kill -TERM "$dev" 2>/dev/null || true
  wait "$dev" 2>/dev/null || true
  rm -rf "$dev_data"
  trap - EXIT
}
