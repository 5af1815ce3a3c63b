#!/usr/bin/env bash
# Soak: three meridian node processes under steady load for MINUTES (default 60), sampling heap after GC, threads and
# open files of each member every 30 s; prints the samples and each figure's growth over the run:
#   load-tests/soak.sh [MINUTES]
# The load (writes paced at 1,000/s, lookups, 200 blocking queries, 200 HTTP checks every 10 s) is Soak.java's.
set -euo pipefail
exec "$(dirname "$0")/run.sh" soak "${1:-60}"
