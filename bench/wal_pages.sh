#!/usr/bin/env bash
# WAL pages a paid checkout writes, by table and index: the writer's disk work per order, which a noisy machine does
# not move. Paid two-line checkouts (bench/lua/checkout.lua, 64 funded buyers) run for a few seconds against a server
# whose checkpoint never comes (--wal-checkpoint-pages at its maximum); the server is then killed with SIGKILL so
# that the WAL stays as written, and bench/tools/wal_pages.py maps every frame to the B-tree owning its page.
# Usage: bench/wal_pages.sh [BASAR (default: a release build of this tree)] [seconds (default 5)]
source "$(dirname "$0")/lib.sh"
if [ -n "${1:-}" ]; then BASAR=$(realpath "$1"); else build_release; fi
SECONDS_PER_RUN=${2:-5}

port=$(free_port); start_basar "$port" "$WORK/c.sqlite"
token=$(staff "$port" "$WORK/c.sqlite" "merchant@bench.test" merchant)
timeout 600 python3 "$BENCH/tools/buyers.py" "http://127.0.0.1:$port" "$token" 1000 64 2 "$WORK/buyers.lua"
stop_pid "$LAST_PID"   # a clean stop checkpoints the set-up away: the WAL then holds only the orders

start_basar "$port" "$WORK/c.sqlite" --wal-checkpoint-pages 2147483647; SERVER=$LAST_PID
timeout 60 wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 5s -s "$BENCH/lua/checkout.lua" "http://127.0.0.1:$port" \
  -- "$WORK/buyers.lua" 2 | grep -E "requests in|Requests/sec"
kill -KILL "$SERVER"; wait "$SERVER" 2>/dev/null || true
python3 "$BENCH/tools/wal_pages.py" "$WORK/c.sqlite"
