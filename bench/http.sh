#!/usr/bin/env bash
# Plaintext and JSON under `wrk -t2 -c64`: requests per second and latency, median of ROUNDS runs.
# Usage: bench/http.sh [seconds per run (default 10)] [rounds (default 3)]
source "$(dirname "$0")/lib.sh"
SECONDS_PER_RUN=${1:-10}
ROUNDS=${2:-3}
build_release
PORT=$(free_port)
start_basar "$PORT"
echo "endpoint rps p50_ms p99_ms non2xx (median of $ROUNDS × ${SECONDS_PER_RUN}s, wrk -t2 -c64)"
for path in /bench/plaintext /bench/json; do
  rps=(); p50=(); p99=(); bad=0
  for _ in $(seq 1 "$ROUNDS"); do
    read -r r a b e < <(run_wrk "http://127.0.0.1:$PORT$path" -t2 -c64 -d"${SECONDS_PER_RUN}s" 2>/dev/null)
    rps+=("$r"); p50+=("$a"); p99+=("$b"); bad=$((bad + e))
  done
  echo "$path $(median "${rps[@]}") $(median "${p50[@]}") $(median "${p99[@]}") $bad"
done
