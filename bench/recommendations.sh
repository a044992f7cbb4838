#!/usr/bin/env bash
# Recommendations (issue 22): the item-to-item build over 1,000,000 order lines and 100,000 products (target: under
# 60 s), then GET /v1/products/{id}/recommendations at 64 connections (target: p99 under 5 ms).
# Products (catalog.py sql) and orders (orders.py sql: one category per order, popular products more often, 3% fully
# and 5% partly refunded) are imported as SQL with the sqlite3 CLI into a database Basar migrated; the build is
# POST /v1/admin/recommendations/rebuild, timed by curl, with the server's RSS before and after.
# Usage: bench/recommendations.sh [seconds per run (default 10)] [rounds (default 3)]
# REC_DB=FILE keeps the imported and built database in FILE; a later run with the same FILE skips the import and the
# builds and measures only the requests, so a quiet moment on a shared machine is not spent importing.
source "$(dirname "$0")/lib.sh"
SECONDS_PER_RUN=${1:-10}
ROUNDS=${2:-3}
build_release
WRK=(-t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 5s)
PRODUCTS=${REC_PRODUCTS:-100000}; LINES=${REC_LINES:-1000000}   # smaller only for a smoke test of the script
DB="${REC_DB:-$WORK/recommendations.sqlite}"
REUSE=0
[ -n "${REC_DB:-}" ] && [ -s "$REC_DB" ] && REUSE=1

PORT=$(free_port)
if [ "$REUSE" = 0 ]; then
  echo "importing $PRODUCTS products and $LINES order lines as SQL…" >&2
  start_basar "$PORT" "$DB"; stop_pid "$LAST_PID"   # migrations only
  python3 "$BENCH/tools/catalog.py" sql "$PRODUCTS" "$WORK/products.sql"
  python3 "$BENCH/tools/orders.py" sql "$PRODUCTS" "$LINES" "$(date +%s)" "$WORK/orders.sql"
  timeout 900 sqlite3 "$DB" <"$WORK/products.sql"
  timeout 900 sqlite3 "$DB" <"$WORK/orders.sql"
else
  echo "reusing $DB: no import, no builds" >&2
fi
python3 "$BENCH/tools/orders.py" lua-ids "$PRODUCTS" 20000 "$WORK/ids.lua"

start_basar "$PORT" "$DB"; PID=$LAST_PID
RSS_BEFORE=$(rss_kib "$PID")
[ "$REUSE" = 0 ] && ADMIN=$(staff "$PORT" "$DB" admin@bench.test admin)
for round in $(seq 1 "$((REUSE ? 0 : ROUNDS))"); do
  wait_quiet
  OUT=$(curl -fsS -m 600 -w ' %{time_total}' -X POST "http://127.0.0.1:$PORT/v1/admin/recommendations/rebuild" \
    -H "Authorization: Bearer $ADMIN")
  SECONDS_TAKEN=${OUT##* }
  echo "  build round $round: ${OUT% *} in ${SECONDS_TAKEN} s" >&2
  record basar item-to-item-build-s "$round" "$SECONDS_TAKEN"
done
RSS_AFTER=$(rss_kib "$PID")
timeout 30 wrk -t2 -c64 -d10s -s "$BENCH/lua/ids.lua" "http://127.0.0.1:$PORT" -- "$WORK/ids.lua" /recommendations >/dev/null
# The server's CPU time per request (utime + stime from /proc, in µs), a figure that other load on the machine
# disturbs far less than latency: it is printed after each round.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
per_request() {   # CASE TICKS_BEFORE: µs of server CPU per request of the round just recorded
  local rps; rps=$(awk -F'\t' -v c="$1" '$2 == c {r = $4} END {print r}' "$RESULTS")
  python3 -c "print(f'  server CPU per request ($1): {($(cpu_ticks) - $2) * 10000 / ($rps * $SECONDS_PER_RUN):.1f} µs')" >&2
}
for round in $(seq 1 "$ROUNDS"); do
  T=$(cpu_ticks)
  measure basar recommendations "$round" "http://127.0.0.1:$PORT" "${WRK[@]}" -s "$BENCH/lua/ids.lua" -- "$WORK/ids.lua" /recommendations
  per_request recommendations "$T"
  T=$(cpu_ticks)
  measure basar product-by-id "$round" "http://127.0.0.1:$PORT" "${WRK[@]}" -s "$BENCH/lua/ids.lua" -- "$WORK/ids.lua"
  per_request product-by-id "$T"
done
report
echo
echo "tables: $(sqlite3 "$DB" 'SELECT COUNT(*) FROM co_purchase_counts') products with co-purchases, $(sqlite3 "$DB" \
  'SELECT COUNT(*) / 2 FROM co_purchase_pairs') pairs; server RSS $((RSS_BEFORE / 1024)) MiB before the builds, $((RSS_AFTER / 1024)) MiB after"
echo "one answer: $(curl -fsS "http://127.0.0.1:$PORT/v1/products/prd_B000000000000008/recommendations?limit=3" | head -c 400)"
