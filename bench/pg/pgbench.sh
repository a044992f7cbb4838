#!/usr/bin/env bash
# pgbench running Basar's checkout (bench/pg/checkout.sql) directly on DATABASE_URL, seeded by bench/pg/seed.sql
# (bench/cluster.sh --seed does both).
# Usage: DATABASE_URL=postgresql://… bench/pg/pgbench.sh [seconds (10)] [clients (64)]
#   PRODUCTS (1000) and BUYERS (64) as seeded; AUTH=1 adds Basar's token and roles lookups before each transaction.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL (bench/cluster.sh prints it)}"
exec pgbench -n -M prepared -f "$(dirname "$0")/checkout.sql" -D products="${PRODUCTS:-1000}" \
  -D buyers="${BUYERS:-64}" -D auth="${AUTH:-0}" -c "${2:-64}" -j 2 -T "${1:-10}" --max-tries=10 "$DATABASE_URL"
