#!/usr/bin/env bash
# DNS queries per second: Meridian's DNS interface against BIND 9 serving the same records from a static zone, in one
# run, both asked by dnsperf on loopback. Installs dnsperf and bind9 from Debian if they are missing (needs root).
#   load-tests/dns-bench.sh [seconds-per-server] [dnsperf-clients]   (1 client asks as ../shared/peers does)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
clients=${2:-4}
http=18500; meridian_dns=18600; bind_dns=18653
if ! command -v dnsperf >/dev/null || ! command -v named >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf bind9 >/dev/null
fi
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

MERIDIAN_DNS_PORT=$meridian_dns ./meridian dev --http-port $http > "$work/meridian.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$http/v1/status/leader" | grep -q 127 && break; sleep 1; done
for i in $(seq 1 10); do
  curl -fs -X PUT "http://127.0.0.1:$http/v1/agent/service/register" \
    -d "{\"ID\":\"web-$i\",\"Name\":\"web\",\"Address\":\"10.0.0.$i\",\"Port\":$((8000 + i))}" >/dev/null
done

# The same ten instances as a static zone.
{
  echo '$TTL 0'
  echo '@ IN SOA ns.consul. hostmaster.consul. 1 3600 600 86400 0'
  echo '@ IN NS ns.consul.'
  echo 'ns IN A 127.0.0.1'
  for i in $(seq 1 10); do
    echo "web.service IN A 10.0.0.$i"
    addr=$(printf '0a0000%02x' "$i")
    echo "web.service IN SRV 1 1 $((8000 + i)) $addr.addr.dc1"
    echo "$addr.addr.dc1 IN A 10.0.0.$i"
  done
} > "$work/consul.zone"
cat > "$work/named.conf" <<CONF
options { directory "$work"; listen-on port $bind_dns { 127.0.0.1; }; listen-on-v6 { none; };
          recursion no; pid-file "$work/named.pid"; };
zone "consul" { type primary; file "$work/consul.zone"; };
CONF
named -g -c "$work/named.conf" -u "$(id -un)" > "$work/named.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 30); do dig +short @127.0.0.1 -p $bind_dns web.service.consul A | grep -q 10.0.0 && break; sleep 1; done

printf 'web.service.consul A\nweb.service.consul SRV\n' > "$work/queries"
echo "Meridian: $(dig +short @127.0.0.1 -p $meridian_dns web.service.consul A | wc -l) A records; BIND: $(dig +short @127.0.0.1 -p $bind_dns web.service.consul A | wc -l)"
for target in "Meridian $meridian_dns" "BIND-9 $bind_dns"; do
  set -- $target
  dnsperf -s 127.0.0.1 -p "$2" -d "$work/queries" -l "$seconds" -c "$clients" -T 1 > "$work/$1.out" 2>&1
  qps=$(awk '/Queries per second/ {print $4}' "$work/$1.out")
  latency=$(awk '/Average Latency/ {print $4}' "$work/$1.out")
  lost=$(awk '/Queries lost/ {print $3}' "$work/$1.out")
  codes=$(grep 'Response codes' "$work/$1.out" | sed 's/^ *Response codes: *//')
  echo "$1: $qps queries/s, average latency $latency s, lost $lost, response codes: $codes"
done
