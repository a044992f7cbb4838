#!/usr/bin/env bash
# Two builds of Basar side by side on the same data, rounds alternating A B A B, to see what one change is worth
# on a noisy machine: product by id, search and plaintext, wrk -t2 -c64; then paid checkouts (bench/lua/checkout.lua,
# 64 funded buyers, two-line orders), each build on its own database seeded the same way through the API. The table calls A "before" and B
# "basar"; the ratio is B ÷ A.
# The catalog (10,000 products through the API, or CATALOG_N) is seeded once with build A and copied for B.
# Usage: bench/ab.sh BASAR_A BASAR_B [seconds per run (default 8)] [rounds (default 3)]
#   e.g. bench/ab.sh /tmp/old/.build-bench/release/basar .build-bench/release/basar 8 3
# Build A reads Content and Fixtures from A_ROOT (default: this tree), since an older build may not understand
# newer content files; build B reads this tree's.
source "$(dirname "$0")/lib.sh"
A=$(realpath "$1"); B=$(realpath "$2")
SECONDS_PER_RUN=${3:-8}
ROUNDS=${4:-3}
N=${CATALOG_N:-10000}
WRK=(-t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 5s)

BASAR=$A; BASAR_ROOT=${A_ROOT:-$ROOT}
PORT=$(free_port); start_basar "$PORT" "$WORK/a.sqlite"
seed_catalog "$PORT" "$WORK/a.sqlite" "$N" "$WORK/ids.lua"
python3 "$BENCH/tools/catalog.py" words "$WORK/queries.lua"
stop_pid "$LAST_PID"
sqlite3 "$WORK/a.sqlite" ".backup '$WORK/b.sqlite'"   # a consistent copy, whatever is still in the WAL

PA=$(free_port); BASAR=$A; BASAR_ROOT=${A_ROOT:-$ROOT}; start_basar "$PA" "$WORK/a.sqlite"; PID_A=$LAST_PID
PB=$(free_port); BASAR=$B; BASAR_ROOT=$ROOT; start_basar "$PB" "$WORK/b.sqlite"; PID_B=$LAST_PID
warm_up "$WORK/ids.lua" "$PA" "$PB"
reads() {   # SIDE ROUND URL
  measure "$1" product-by-id "$2" "$3" "${WRK[@]}" -s "$BENCH/lua/ids.lua" -- "$WORK/ids.lua"
  measure "$1" search "$2" "$3" "${WRK[@]}" -s "$BENCH/lua/search.lua" -- "$WORK/queries.lua"
  measure "$1" plaintext "$2" "$3/bench/plaintext" "${WRK[@]}"
}
ab_rounds "$PA" "$PB" reads
stop_pid "$PID_A"; stop_pid "$PID_B"

# Checkout writes, so each build gets its own database, seeded by the same script with the same seed.
for side in before basar; do
  BASAR=$A; BASAR_ROOT=${A_ROOT:-$ROOT}; [ "$side" = basar ] && { BASAR=$B; BASAR_ROOT=$ROOT; }
  checkout_shop "$side"
  eval "PORT_$side=$SHOP_PORT"
done
checkouts() {   # SIDE ROUND URL: each build on its own database, with its own buyers
  measure "$1" checkout "$2" "$3" "${WRK[@]}" -s "$BENCH/lua/checkout.lua" -- "$WORK/buyers-$1.lua" 2
}
ab_rounds "$PORT_before" "$PORT_basar" checkouts
report
