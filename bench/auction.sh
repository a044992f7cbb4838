#!/usr/bin/env bash
# A bidding war (API.md §22): one live session with 10,000 open event streams (bench/tools/auction_load.c, built here
# with gcc -O2: epoll, one thread) and bids on one auction pin at 200 per second from 20 bidders, each bid a new
# leader. Figure: the time from a bid's request to the last stream receiving its `auction.bid` event, p50 and p99
# over every accepted bid of a round (the issue's target: p99 under 250 ms), the first stream's p50, the bid's own
# answer, and the CPU time of the server (/proc/PID/stat) and of the load tool during the war: if the two together
# fill the machine, the latencies measure the machine.
# Each round pins a fresh auction (600 s, so no soft close or close happens during the war).
# Usage: bench/auction.sh [streams (default 10000)] [bids per second (default 200)] [seconds (default 10)] [rounds (default 3)]
# COUNT_WRITES=1 also counts the server's socket writes per round (needs perf and syscall tracepoints).
source "$(dirname "$0")/lib.sh"
STREAMS=${1:-10000}
RATE=${2:-200}
SECONDS_PER_ROUND=${3:-10}
ROUNDS=${4:-3}
BIDDERS=20
STARTING=100
INCREMENT=10
if ! grep -q 'pins/{pin_id}/bids' "$ROOT"/Sources/API/*.swift; then
  echo "Basar has no auction bids yet (POST /v1/live-sessions/{id}/pins/{pin_id}/bids): nothing to measure" >&2
  exit 2
fi
need_open_files $((STREAMS + 4200))
build_release
LOAD="$WORK/auction_load"
gcc -O2 -o "$LOAD" "$BENCH/tools/auction_load.c"
# SERVER_ARGS adds options to `basar serve`, e.g. SERVER_ARGS="--synchronous normal" to take fsync out of a bid.
PORT=$(free_port); start_basar "$PORT" "$WORK/auction.sqlite" ${SERVER_ARGS:-}; SERVER=$LAST_PID
URL="http://127.0.0.1:$PORT"
id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
HOST=$(staff "$PORT" "$WORK/auction.sqlite" host@bench.test host merchant)
PRODUCT=$(api POST "$URL/v1/products" '{"sku":"AUCTION-1","title":"Auktion","price_cents":99999,"stock":1000,"category":"bench-0"}' "$HOST" | id_of)
SESSION=$(api POST "$URL/v1/live-sessions" '{"title":"Bench auction"}' "$HOST" | id_of)
api POST "$URL/v1/live-sessions/$SESSION/start" '{}' "$HOST" >/dev/null
: >"$WORK/bidders.txt"
for i in $(seq 1 "$BIDDERS"); do
  token=$(sign_up "$PORT" "bidder$i@bench.test")
  api POST "$URL/v1/wallet/top-ups" '{"amount_cents":100000,"method":"sandbox"}' "$token" >/dev/null
  echo "$token" >>"$WORK/bidders.txt"
done
echo "session $SESSION live, $BIDDERS bidders" >&2

: >"$WORK/auction.jsonl"
for round in $(seq 1 "$ROUNDS"); do
  wait_quiet
  PIN=$(api POST "$URL/v1/live-sessions/$SESSION/pins" \
    "{\"product_id\":\"$PRODUCT\",\"auction\":{\"starting_bid_cents\":$STARTING,\"increment_cents\":$INCREMENT,\"duration_seconds\":600}}" \
    "$HOST" | id_of)
  # COUNT_WRITES=1 counts the server's socket writes (sendto) during the round with perf: the fan-out's cost that
  # does not depend on how much of the machine the server got, unlike the latencies on a shared machine.
  COUNT=()
  if [ "${COUNT_WRITES:-0}" = 1 ]; then
    COUNT=(perf stat -e syscalls:sys_enter_sendto -x, -o "$WORK/sendto.$round" -p "$SERVER" --)
  fi
  out=$(timeout 900 "${COUNT[@]}" "$LOAD" "$PORT" "$SERVER" "$SESSION" "$PIN" "$STREAMS" "$RATE" "$SECONDS_PER_ROUND" \
    "$STARTING" "$INCREMENT" "$WORK/bidders.txt")
  echo "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); d['round']=$round; d['load']=$(load1); print(json.dumps(d))" >>"$WORK/auction.jsonl"
  echo "  round $round: $out" >&2
  if [ "${COUNT_WRITES:-0}" = 1 ]; then
    echo "  round $round: $(grep -E '^[0-9]+,' "$WORK/sendto.$round" | cut -d, -f1) socket writes" >&2
  fi
done
# The ledger after the war: balanced, and the escrow holds exactly the leaders' maximums (one per open auction).
CHECK=$("$BASAR" check --json --db "$WORK/auction.sqlite" 2>/dev/null || true)
python3 - "$WORK/auction.jsonl" "$LOADED_ROUNDS" "$CHECK" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print()
print("| open streams | rounds | bids/s | accepted | refused | failed | bid → last stream p50 ms | p99 ms | max ms | "
      "bid → first stream p50 ms | answer p50 / p99 ms | missed | server CPU (cores) | CPU ms per bid | tool CPU (cores) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sorted({r["streams"] for r in runs}):
    rs = [r for r in runs if r["streams"] == n]
    med = lambda key: statistics.median(r[key] for r in rs if r[key] is not None)
    print(f"| {n:,} | {len(rs)} | {med('bids_per_s'):.0f} | {sum(r['accepted'] for r in rs)} | "
          f"{sum(r['refused'] for r in rs)} | {sum(r['failed'] for r in rs)} | {med('bid_p50_ms'):.1f} | "
          f"{med('bid_p99_ms'):.1f} | {max(r['bid_max_ms'] for r in rs):.1f} | {med('first_p50_ms'):.1f} | "
          f"{med('answer_p50_ms'):.1f} / {med('answer_p99_ms'):.1f} | {sum(r['missed'] for r in rs)} | "
          f"{med('server_cpu_cores'):.2f} | {med('server_cpu_ms_per_bid'):.2f} | {med('client_cpu_cores'):.2f} |")
loads = [r["load"] for r in runs]
print(f"\np50/p99: median over the rounds; load average at the start of the rounds: min {min(loads):.2f}, max {max(loads):.2f}"
      + (f"; {sys.argv[2]} round(s) under load" if int(sys.argv[2]) else ""))
if sys.argv[3].strip():
    print(f"basar check --json after the war: {sys.argv[3].strip()[:400]}")
PY
echo "RSS at the end: $(( $(rss_kib "$SERVER") / 1024 )) MiB"
