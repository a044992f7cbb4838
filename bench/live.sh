#!/usr/bin/env bash
# One live session with 1,000 / 5,000 / 10,000 open event streams (bench/tools/live_load.c, built here with gcc -O2:
# epoll, one thread; reading a stream costs it a few µs, where live_load.py's Python cost tens and added 50-100 ms
# to the last stream's figure at 10,000 streams):
# the time from the host's pin request to the last stream receiving `pin.added` (p50 and p99 over every pin of
# every round), resident memory per open stream (VmRSS before and after opening them), and the CPU cost of a like
# storm (wrk posting likes for LIKE_SECONDS while every stream stays open; server CPU from /proc/PID/stat).
# Rounds cycle through the stream counts (1k, 5k, 10k, 1k, …), three times by default.
# Usage: bench/live.sh [pins per level and round (default 5)] [rounds (default 3)] [like seconds (default 5)]
source "$(dirname "$0")/lib.sh"
PINS=${1:-5}
ROUNDS=${2:-3}
LIKE_SECONDS=${3:-5}
LEVELS=(${LIVE_LEVELS:-1000 5000 10000})
if ! grep -q 'live-sessions' "$ROOT"/Sources/API/*.swift; then
  echo "Basar has no /v1/live-sessions routes yet (grep -l live-sessions Sources/API/*.swift): nothing to measure" >&2
  exit 2
fi
need_open_files 10100
build_release
LOAD="$WORK/live_load"
gcc -O2 -o "$LOAD" "$BENCH/tools/live_load.c"
PORT=$(free_port); start_basar "$PORT" "$WORK/live.sqlite"; SERVER=$LAST_PID
URL="http://127.0.0.1:$PORT"
HOST=$(staff "$PORT" "$WORK/live.sqlite" host@bench.test host merchant)
LIKER=$(sign_up "$PORT" viewer@bench.test)
PRODUCT=$(api POST "$URL/v1/products" '{"sku":"LIVE-1","title":"Live Artikel","price_cents":999,"stock":1000000,"category":"bench-0"}' "$HOST" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
SESSION=$(api POST "$URL/v1/live-sessions" '{"title":"Bench live"}' "$HOST" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
api POST "$URL/v1/live-sessions/$SESSION/start" '{}' "$HOST" >/dev/null
IDLE_RSS=$(rss_kib "$SERVER")
echo "session $SESSION live; idle RSS $((IDLE_RSS / 1024)) MiB" >&2

: >"$WORK/live.jsonl"
for round in $(seq 1 "$ROUNDS"); do
  for n in "${LEVELS[@]}"; do
    wait_quiet
    out=$(timeout 900 "$LOAD" "$PORT" "$SERVER" "$SESSION" "$HOST" "$PRODUCT" "$LIKER" \
      "$n" "$PINS" "$LIKE_SECONDS" "$BENCH/lua/likes.lua")
    echo "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); d['round']=$round; d['load']=$(load1); print(json.dumps(d))" >>"$WORK/live.jsonl"
    echo "  round $round, $n streams: $out" >&2
  done
done
python3 - "$WORK/live.jsonl" "$LOADED_ROUNDS" "$IDLE_RSS" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
idle = int(sys.argv[3])
# Memory per stream: RSS with the streams open over the server's idle RSS before any stream, divided by the
# streams; the smallest over the rounds, since after a larger level the allocator keeps memory that a smaller
# level then reuses, which makes later rounds of smaller levels look far costlier than they are.
def pct(values, p):
    v = sorted(values); return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")
print()
print("| open streams | rounds | pins | pin→last stream p50 ms | p99 ms | pin→first stream p50 ms | missed | KiB per open stream | like storm: likes/s | server CPU cores | CPU µs per like |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sorted({r["streams"] for r in runs}):
    rs = [r for r in runs if r["streams"] == n]
    pins = [x for r in rs for x in r["pin_ms"]]
    firsts = [r["first_p50_ms"] for r in rs if r["first_p50_ms"] is not None]
    print(f"| {n:,} | {len(rs)} | {len(pins)} | {pct(pins, 50):.1f} | {pct(pins, 99):.1f} | "
          f"{statistics.median(firsts):.1f} | {sum(r['missed'] for r in rs)} | "
          f"{min((r['rss_after_kib'] - idle) / r['opened'] for r in rs):.1f} | "
          f"{statistics.median(r['likes_per_s'] for r in rs):,.0f} | {statistics.median(r['like_cpu_cores'] for r in rs):.2f} | "
          f"{statistics.median(r['like_cpu_us'] for r in rs):.1f} |")
loads = [r["load"] for r in runs]
print(f"\nload average at the start of the rounds: min {min(loads):.2f}, max {max(loads):.2f}"
      + (f"; {sys.argv[2]} round(s) under load" if int(sys.argv[2]) else ""))
PY
echo "RSS at the end: $(( $(rss_kib "$SERVER") / 1024 )) MiB"
