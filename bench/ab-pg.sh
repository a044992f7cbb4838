#!/usr/bin/env bash
# Two builds of Basar on one PostgreSQL database, one node each, rounds alternating A B A B, to price a change of
# the PostgreSQL engine: product by id and paid checkouts (bench/lua/ids.lua and checkout.lua over
# bench/pg/seed.sql's products and funded buyers), wrk -t2 -c64. PostgreSQL is started as bench/cluster.sh pg
# starts it (as CI does, durable: synchronous_commit on). The table calls A "before" and B "basar".
# Usage: bench/ab-pg.sh BASAR_A BASAR_B [seconds per run (8)] [rounds (3)]   (both built with --traits PostgreSQL)
source "$(dirname "$0")/lib.sh"
A=$(realpath "$1"); B=$(realpath "$2")
SECONDS_PER_RUN=${3:-8}
ROUNDS=${4:-3}
WRK=(-t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 5s)

# Not under $WORK: that is private to this user, and PostgreSQL runs as `postgres` when this runs as root.
export CLUSTER_DIR="${TMPDIR:-/tmp}/basar-ab-pg-$$"
# Build A migrates the database (cluster.sh pg) and B finds it current: no migration may come between them.
BASAR=$A "$BENCH/cluster.sh" pg --detach --seed >/dev/null
trap 'CLUSTER_DIR=$CLUSTER_DIR "$BENCH/cluster.sh" stop >/dev/null 2>&1 || true; cleanup' EXIT
# shellcheck disable=SC1091
source "$CLUSTER_DIR/cluster.env"
BUYERS_LUA="$CLUSTER_DIR/buyers.lua"

BASAR=$A; PA=$(free_port); start_basar "$PA" "$DATABASE_URL"
BASAR=$B; PB=$(free_port); start_basar "$PB" "$DATABASE_URL"
warm_up "$BUYERS_LUA" "$PA" "$PB"
cases() {   # SIDE ROUND URL
  measure "$1" product-by-id "$2" "$3" "${WRK[@]}" -s "$BENCH/lua/ids.lua" -- "$BUYERS_LUA"
  measure "$1" checkout "$2" "$3" "${WRK[@]}" -s "$BENCH/lua/checkout.lua" -- "$BUYERS_LUA" 2
}
ab_rounds "$PA" "$PB" cases
report
