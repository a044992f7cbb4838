#!/usr/bin/env bash
# Catalog reads: product by id from SQLite (Basar, 10,000 products) vs the Hummingbird peer's in-memory product,
# and search p50/p99/rps at 64 connections over 10,000 and 100,000 products (Basar only: the peer has no search),
# the 100,000 also with the search cache off (`--search-cache 0`), which is what a query nobody asked before costs.
# The 10,000 products are created through Basar's API (POST /v1/products as a merchant); the 100,000 are imported
# as SQL with the sqlite3 CLI into a database Basar migrated (its FTS triggers index them during the import).
# Also prints start-up time to the first served request and idle RSS on the 100,000-product database.
# Usage: bench/catalog.sh [seconds per run (default 10)] [rounds (default 3)]
source "$(dirname "$0")/lib.sh"
SECONDS_PER_RUN=${1:-10}
ROUNDS=${2:-3}
build_release
build_peer
WRK=(-t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 5s)
N1=${CATALOG_N1:-10000}; N2=${CATALOG_N2:-100000}   # smaller only for a smoke test of the script

echo "seeding 10,000 products through the API…" >&2
P10=$(free_port); start_basar "$P10" "$WORK/catalog-10k.sqlite"; PID10=$LAST_PID
seed_catalog "$P10" "$WORK/catalog-10k.sqlite" "$N1" "$WORK/ids-basar.lua"
python3 -c 'import sys; print("ids = {" + ",".join("\"prd_B%015d\"" % i for i in range(int(sys.argv[1]))) + "}")' "$N1" >"$WORK/ids-peer.lua"
python3 "$BENCH/tools/catalog.py" words "$WORK/queries.lua"

echo "importing 100,000 products as SQL…" >&2
P100=$(free_port); start_basar "$P100" "$WORK/catalog-100k.sqlite"; stop_pid "$LAST_PID"   # migrations only
python3 "$BENCH/tools/catalog.py" sql "$N2" "$WORK/catalog-100k.sql"
timeout 600 sqlite3 "$WORK/catalog-100k.sqlite" <"$WORK/catalog-100k.sql"
# Start-up to the first served request, polled every 2 ms (the issue's target: under 200 ms at 100,000 products).
"$BASAR" serve --port "$P100" --db "$WORK/catalog-100k.sqlite" --content "$ROOT/Content" --log-level warning \
  >"$WORK/server-$P100.log" 2>&1 &
PIDS+=($!); PID100=$!
STARTUP_MS=$(python3 - "$P100" <<'PY'
import socket, sys, time
start = time.monotonic()
while time.monotonic() - start < 30:
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        if s.recv(64).startswith(b"HTTP/1.1 200"):
            print(f"{(time.monotonic() - start) * 1000:.0f}"); break
    except OSError:
        time.sleep(0.002)
PY
)
sleep 1; IDLE_RSS=$(rss_kib "$PID100")
# The same 100,000 products with the search cache off (a second process on the same file), so every search runs.
PUNC=$(free_port); start_basar "$PUNC" "$WORK/catalog-100k.sqlite" --search-cache 0
PEER_PORT=$(free_port); start_peer "$PEER_PORT" "$N1"
for url in "http://127.0.0.1:$P10" "http://127.0.0.1:$PEER_PORT"; do   # warm-up
  timeout 30 wrk -t2 -c64 -d2s -s "$BENCH/lua/ids.lua" "$url" -- "$WORK/ids-$([ "$url" = "http://127.0.0.1:$P10" ] && echo basar || echo peer).lua" >/dev/null
done

for round in $(seq 1 "$ROUNDS"); do
  measure basar product-by-id "$round" "http://127.0.0.1:$P10" "${WRK[@]}" -s "$BENCH/lua/ids.lua" -- "$WORK/ids-basar.lua"
  measure hummingbird product-by-id "$round" "http://127.0.0.1:$PEER_PORT" "${WRK[@]}" -s "$BENCH/lua/ids.lua" -- "$WORK/ids-peer.lua"
  measure basar search-10k "$round" "http://127.0.0.1:$P10" "${WRK[@]}" -s "$BENCH/lua/search.lua" -- "$WORK/queries.lua"
  measure basar search-100k "$round" "http://127.0.0.1:$P100" "${WRK[@]}" -s "$BENCH/lua/search.lua" -- "$WORK/queries.lua"
  measure basar search-100k-uncached "$round" "http://127.0.0.1:$PUNC" "${WRK[@]}" -s "$BENCH/lua/search.lua" -- "$WORK/queries.lua"
done
report
echo
echo "Basar on 100,000 products: start-up to first served request ${STARTUP_MS} ms; idle RSS $((IDLE_RSS / 1024)) MiB ($IDLE_RSS KiB)"
echo "RSS after the runs: Basar 10k $(( $(rss_kib "$PID10") / 1024 )) MiB, Basar 100k $(( $(rss_kib "$PID100") / 1024 )) MiB"
