#!/usr/bin/env bash
# Issue 25's benchmark in one run, on one machine (bench/cluster.sh --seed --vapor: PostgreSQL, 3 Basar nodes,
# nginx, the Vapor + Fluent peer, all on loopback, one database):
#   checkout    Basar through nginx and 3 nodes vs pgbench running the same transaction (bench/pg/checkout.sql)
#               directly (target ≥ 0.5×), and vs the Vapor peer's checkout (target ≥ 1.2×)
#   product     GET /v1/products/{id}: 3 nodes through nginx vs 1 node directly, and vs the Vapor peer (≥ 1.2×)
# Each contender runs ROUNDS (2) times for SECONDS (10) at CONNECTIONS (64), interleaved; the table shows each
# round's rate. The machine is shared by everything (2 cores here): rates measure the whole stack on it.
# Usage: bench/scaleout.sh [seconds (10)] [rounds (2)] [connections (64)]
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
SECONDS_PER=${1:-10} ROUNDS=${2:-2} CONNECTIONS=${3:-64}
export CLUSTER_DIR=${CLUSTER_DIR:-${TMPDIR:-/tmp}/basar-scaleout-$$}
"$BENCH/cluster.sh" --detach --seed --vapor >/dev/null
trap 'CLUSTER_DIR=$CLUSTER_DIR "$BENCH/cluster.sh" stop >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$CLUSTER_DIR/cluster.env"
BUYERS_LUA="$CLUSTER_DIR/buyers.lua"
FIRST_NODE=${NODE_URLS%% *}
BASAR_BIN=${BASAR:-${BASAR_SCRATCH:-$(dirname "$BENCH")/.build-bench}-pg/release/basar}

rate() {  # wrk's requests/s and non-2xx count, as "RATE (N non-2xx)"
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER}s" --latency "$@" 2>&1)
  local rps non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '%.0f%s' "$rps" "${non2xx:+ ($non2xx non-2xx)}"
}
pgbench_rate() {
  DATABASE_URL=$DATABASE_URL "$BENCH/pg/pgbench.sh" "$SECONDS_PER" "$CONNECTIONS" 2>&1 \
    | awk '/^tps/ {printf "%.0f", $3}'
}

declare -A results
for round in $(seq 1 "$ROUNDS"); do
  results[pgbench,$round]=$(pgbench_rate)
  results[basar_checkout,$round]=$(rate -s "$BENCH/lua/checkout.lua" "$NGINX_URL" -- "$BUYERS_LUA" 2)
  results[vapor_checkout,$round]=$(rate -s "$BENCH/lua/checkout.lua" "$VAPOR_URL" -- "$BUYERS_LUA" 2)
  results[ids_cluster,$round]=$(rate -s "$BENCH/lua/ids.lua" "$NGINX_URL" -- "$BUYERS_LUA")
  results[ids_one,$round]=$(rate -s "$BENCH/lua/ids.lua" "$FIRST_NODE" -- "$BUYERS_LUA")
  results[ids_vapor,$round]=$(rate -s "$BENCH/lua/ids.lua" "$VAPOR_URL" -- "$BUYERS_LUA")
  echo "round $round done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done

echo "| contender | $(for r in $(seq 1 "$ROUNDS"); do printf 'round %s | ' "$r"; done)"
echo "|---|$(for r in $(seq 1 "$ROUNDS"); do printf -- '---:|'; done)"
for key in pgbench basar_checkout vapor_checkout ids_cluster ids_one ids_vapor; do
  label=$(case $key in
    pgbench) echo "checkout: pgbench, the same transaction, tps" ;;
    basar_checkout) echo "checkout: Basar, nginx + 3 nodes, req/s" ;;
    vapor_checkout) echo "checkout: Vapor + Fluent, req/s" ;;
    ids_cluster) echo "product by id: Basar, nginx + 3 nodes" ;;
    ids_one) echo "product by id: Basar, 1 node" ;;
    ids_vapor) echo "product by id: Vapor + Fluent" ;;
  esac)
  echo "| $label | $(for r in $(seq 1 "$ROUNDS"); do printf '%s | ' "${results[$key,$r]}"; done)"
done
echo
echo "basar check on the cluster's database after the run:"
"$BASAR_BIN" check --database "$DATABASE_URL" --json 2>/dev/null | head -c 400 || true
echo
