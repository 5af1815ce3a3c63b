#!/usr/bin/env bash
# What requests for nothing leave behind on a meridian node process: heap after GC, threads and open files before and
# after random-name DNS queries, timed-out blocking queries and trickling DNS TCP connections:
#   load-tests/growth.sh [DNS_QUERIES] [BLOCKING_QUERIES] [TCP_CONNECTIONS]     (defaults 1000000 100000 5000)
# The phases are RequestGrowth.java's. The connections need that many file descriptors in this shell.
set -euo pipefail
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec "$(dirname "$0")/run.sh" growth "${1:-1000000}" "${2:-100000}" "${3:-5000}"
