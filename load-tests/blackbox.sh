#!/usr/bin/env bash
# Black-box run: generated hostile HTTP requests and DNS packets against a meridian node process, then checks that no
# answer was a 5xx, the node still answers, and the registry is as it was:
#   load-tests/blackbox.sh [HTTP_REQUESTS] [DNS_PACKETS] [SEED]     (defaults 100000 100000 1)
# The generators and the checks are BlackBox.java's.
set -euo pipefail
exec "$(dirname "$0")/run.sh" blackbox "${1:-100000}" "${2:-100000}" "${3:-1}"
