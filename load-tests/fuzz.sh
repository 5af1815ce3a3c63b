#!/usr/bin/env bash
# Fuzzes every Jazzer fuzz test for real, MINUTES each (default 5):
#   load-tests/fuzz.sh [MINUTES]
# mvn verify only replays each test's regression corpus (src/test/resources/<package>/<Test>Inputs/<method>/). Here
# JAZZER_FUZZ=1 makes Jazzer mutate inputs, guided by coverage. A finding fails the run and is written into that
# corpus directory as crash-<sha1>: rename it to say what it shows, fix the code, and add a test that names it; from
# then on mvn verify replays it. The run is stopped with SIGINT, which libFuzzer takes as "stop and exit" (SIGTERM
# would make it save the input it was on as a crash). What it learned stays in <module>/.cifuzz-corpus (not kept in git).
set -uo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-5}"
mvn -B -q -o install -DskipTests >/dev/null 2>&1 || mvn -B -q install -DskipTests >/dev/null
tests=(
  "registry-core SnapshotArchiveFuzzTest"
  "rest-api RegistrationBodyFuzzTest"
  "rest-api GoDurationFuzzTest"
  "rest-api FilterFuzzTest"
  "rest-api DnsMessageFuzzTest"
)
found=0
for entry in "${tests[@]}"; do
  read -r module test <<<"$entry"
  echo "== $test ($module), $minutes min"
  JAZZER_FUZZ=1 timeout --signal=INT "${minutes}m" mvn -B -o test -pl "$module" -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    > "/tmp/fuzz-$test.log" 2>&1
  status=$?
  if [ "$status" = 0 ] || [ "$status" = 124 ]; then
    echo "   no finding ($(grep -o '#[0-9]*' "/tmp/fuzz-$test.log" | tail -1 | tr -d '#') inputs)"
  else
    found=1
    echo "   FINDING: see /tmp/fuzz-$test.log"; grep -m3 "FuzzTestFinding\|crash-" "/tmp/fuzz-$test.log"
  fi
done
exit "$found"
