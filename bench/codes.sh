#!/usr/bin/env bash
# Coupon codes in bulk: how long `POST /v1/campaigns/{id}/codes {"count": N}` takes, a fresh campaign each round,
# on SQLite, or on PostgreSQL with DATABASE_URL (a build with the trait: BASAR=…-pg/release/basar). The test suite
# checks that 100,000 codes are stored distinct; how long it takes is measured here, on a known load, not in a test.
# Usage: bench/codes.sh [count (100000)] [rounds (3)]
source "$(dirname "$0")/lib.sh"
COUNT=${1:-100000}
ROUNDS=${2:-3}
[ -n "${BASAR:-}" ] || build_release
DB=${DATABASE_URL:-$WORK/codes.sqlite}
PORT=$(free_port)
start_basar "$PORT" "$DB"
token=$(staff "$PORT" "$DB" "merchant-$$@bench.test" merchant)
for round in $(seq 1 "$ROUNDS"); do
  wait_quiet
  campaign=$(api POST "http://127.0.0.1:$PORT/v1/campaigns" "{\"name\":\"Codes $round\",\"discount\":{\"type\":\"percent\",\"value\":10},\
\"valid_from\":\"2020-01-01T00:00:00Z\",\"valid_until\":\"2040-01-01T00:00:00Z\",\"max_coupons\":$COUNT,\"per_account_limit\":1}" "$token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  seconds=$(curl -fsS -o /dev/null -w '%{time_total}' -X POST "http://127.0.0.1:$PORT/v1/campaigns/$campaign/codes" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $token" --data "{\"count\":$COUNT}")
  record basar "codes-$COUNT" "$round" "$(python3 -c "print(round($COUNT / $seconds))")"
  echo "  round $round: $COUNT codes in $seconds s (load $(load1))" >&2
done
report
