#!/usr/bin/env bash
# Crash safety, long run: the same Swift test as `swift test` (Tests/ReliabilityTests/CrashSafetyTests.swift) with
# more rounds. Each round runs a mixed load (top-ups, checkouts with coupons, flash purchases, refunds, transfers,
# wheel plays, code claims; half with Idempotency-Keys) from 24 tasks against the real `basar serve`, SIGKILLs it at
# a random moment, restarts on the same database and checks every promise (see the test's comments).
#
#   bench/crash.sh [rounds=20]
#
# Prints one summary line: rounds survived, answered requests, acknowledged requests by kind, statuses.
set -euo pipefail
ROUNDS=${1:-20}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BASAR_CRASH_ROUNDS="$ROUNDS" timeout "${CRASH_TIME_LIMIT:-1800}" \
  swift test --scratch-path "${BASAR_SCRATCH:-.build-reliability}" --filter ReliabilityTests.CrashSafetyTests 2>&1 \
  | grep -E '^crash:|✔|✘|Expectation failed|recorded an issue|error:'
exit "${PIPESTATUS[0]}"
