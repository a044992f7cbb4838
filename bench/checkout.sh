#!/usr/bin/env bash
# Paid checkouts per second over HTTP with 64 concurrent buyers (wrk -t2 -c64, bench/lua/checkout.lua: 64 funded
# accounts, two-line orders, no Idempotency-Key), against the storage ceiling measured in the same run: the same
# SQLite statements without HTTP (bench/sqlite-ceiling/ceiling.c) on a copy of a database Basar migrated.
# Rounds alternate: ceiling NORMAL, Basar NORMAL, ceiling FULL, Basar FULL (--synchronous full), three times.
# Usage: bench/checkout.sh [seconds per run (default 10)] [rounds (default 3)]
source "$(dirname "$0")/lib.sh"
SECONDS_PER_RUN=${1:-10}
ROUNDS=${2:-3}
PRODUCTS=1000
BUYERS=64
build_release
cc -O2 -Wall -o "$WORK/ceiling" "$BENCH/sqlite-ceiling/ceiling.c" -lsqlite3

# A database Basar migrated, copied for each ceiling mode: the ceiling runs on exactly Basar's schema.
P=$(free_port); start_basar "$P" "$WORK/template.sqlite"; stop_pid "$LAST_PID"
for mode in normal full; do sqlite3 "$WORK/template.sqlite" ".backup $WORK/ceiling-$mode.sqlite"; done

HAS_ORDERS=1
grep -q '"/v1/orders"' "$ROOT"/Sources/API/*.swift || HAS_ORDERS=0
if [ "$HAS_ORDERS" = 1 ]; then
  for mode in normal full; do
    port=$(free_port)
    flag=(--synchronous "$mode")
    start_basar "$port" "$WORK/checkout-$mode.sqlite" "${flag[@]}"
    eval "PORT_$mode=$port"
    token=$(staff "$port" "$WORK/checkout-$mode.sqlite" "merchant-$mode@bench.test" merchant)
    echo "seeding $PRODUCTS products and $BUYERS funded buyers into Basar ($mode)…" >&2
    timeout 600 python3 "$BENCH/tools/buyers.py" "http://127.0.0.1:$port" "$token" "$PRODUCTS" "$BUYERS" 2 \
      "$WORK/buyers-$mode.lua"
  done
  timeout 30 wrk -t2 -c64 -d2s -s "$BENCH/lua/checkout.lua" "http://127.0.0.1:$PORT_normal" -- "$WORK/buyers-normal.lua" 2 >/dev/null
else
  echo "Basar has no POST /v1/orders route yet: measuring the SQLite ceiling only" >&2
fi

ceiling() {   # ceiling MODE ROUND
  wait_quiet
  local out; out=$(timeout $((SECONDS_PER_RUN + 120)) "$WORK/ceiling" "$WORK/ceiling-$1.sqlite" "${1^^}" "$SECONDS_PER_RUN" "$PRODUCTS" "$BUYERS" 2)
  record "sqlite-$1" "checkout" "$2" "$(echo "$out" | cut -d' ' -f2)"
}
WRK=(-t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 10s)
for round in $(seq 1 "$ROUNDS"); do
  ceiling normal "$round"
  [ "$HAS_ORDERS" = 1 ] && measure basar checkout "$round" "http://127.0.0.1:$PORT_normal" "${WRK[@]}" \
    -s "$BENCH/lua/checkout.lua" -- "$WORK/buyers-normal.lua" 2
  ceiling full "$round"
  [ "$HAS_ORDERS" = 1 ] && measure basar-full checkout "$round" "http://127.0.0.1:$PORT_full" "${WRK[@]}" \
    -s "$BENCH/lua/checkout.lua" -- "$WORK/buyers-full.lua" 2
done
report
python3 - "$RESULTS" <<'PY'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    c, _, _, rps, *_ = line.split("\t")
    rates.setdefault(c, []).append(float(rps))
m = {c: statistics.median(v) for c, v in rates.items()}
print()
if "basar" in m:
    print(f"Basar (synchronous=NORMAL) = {m['basar'] / m['sqlite-normal']:.1%} of SQLite's NORMAL ceiling "
          f"({m['basar']:,.0f} vs {m['sqlite-normal']:,.0f} checkouts/s; target ≥ 50%)")
if "basar-full" in m:
    print(f"Basar (synchronous=FULL) = {m['basar-full'] / m['sqlite-full']:.2f}× SQLite's FULL per-transaction ceiling "
          f"({m['basar-full']:,.0f} vs {m['sqlite-full']:,.0f} checkouts/s; target ≥ 1.2×)")
PY
if [ "$HAS_ORDERS" = 1 ]; then   # the work must have been real: orders and a balanced ledger
  for mode in normal full; do
    echo "orders in Basar ($mode): $(sqlite3 "$WORK/checkout-$mode.sqlite" 'SELECT count(*) FROM orders')," \
      "wallet entries summing to $(sqlite3 "$WORK/checkout-$mode.sqlite" 'SELECT sum(amount_cents) FROM ledger_entries')"
  done
fi
