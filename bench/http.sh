#!/usr/bin/env bash
# Basar vs Hummingbird 2 vs nginx on loopback: plaintext, JSON and JSON echo under `wrk -t2 -c64`.
# Rounds alternate the contenders (Basar, Hummingbird, nginx, Basar, …); the table gives medians and ratios.
# Usage: bench/http.sh [seconds per run (default 10)] [rounds (default 3)]
source "$(dirname "$0")/lib.sh"
SECONDS_PER_RUN=${1:-10}
ROUNDS=${2:-3}
build_release
build_peer
BASAR_PORT=$(free_port); start_basar "$BASAR_PORT" "$WORK/basar.sqlite"
PEER_PORT=$(free_port); start_peer "$PEER_PORT"
NGINX_PORT=$(free_port); start_nginx "$NGINX_PORT"
WRK=(-t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 5s)
for contender in basar:$BASAR_PORT hummingbird:$PEER_PORT; do   # warm-up: caches, lazy initialisation
  timeout 30 wrk -t2 -c64 -d2s "http://127.0.0.1:${contender#*:}/bench/json" >/dev/null
done
echo "wrk ${WRK[*]}, $ROUNDS rounds, contenders alternated" >&2
for round in $(seq 1 "$ROUNDS"); do
  for case in plaintext json echo; do
    extra=(); [ "$case" = echo ] && extra=(-s "$BENCH/lua/echo.lua")
    measure basar "$case" "$round" "http://127.0.0.1:$BASAR_PORT/bench/$case" "${WRK[@]}" "${extra[@]}"
    measure hummingbird "$case" "$round" "http://127.0.0.1:$PEER_PORT/bench/$case" "${WRK[@]}" "${extra[@]}"
    [ "$case" = plaintext ] && measure nginx "$case" "$round" "http://127.0.0.1:$NGINX_PORT/bench/plaintext" "${WRK[@]}"
  done
done
report
